import { useT } from "~/lib/i18n.tsx";
import { formatTiyn } from "../../../domain/i18n/index.ts";

/** A trainee's contract money: price, paid and the balance (tiyn). */
export function MoneyFacts({ price, paid, balance }: { price: number; paid: number; balance: number }) {
  const t = useT();
  return (
    <dl className="facts">
      <dt>{t("training:contract.price")}</dt>
      <dd>{formatTiyn(price)}</dd>
      <dt>{t("training:contract.paid")}</dt>
      <dd>{formatTiyn(paid)}</dd>
      <dt>{t("training:contract.balance")}</dt>
      <dd>
        <strong>{formatTiyn(balance)}</strong>
      </dd>
    </dl>
  );
}
