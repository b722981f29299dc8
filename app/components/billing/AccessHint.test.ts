// The billing page's access line says who suspended a school: the operator's suspension by hand has no payment
// words (it is not about money, the banner gives the reason); the ladder's keeps "pay and access is back".
import { translator } from "../../../domain/i18n/index.ts";
import { accessHintKey } from "./AccessHint.tsx";

const PAYMENT = /оплат|оплач|төле|төлем/i;

describe("the billing page's access hint", () => {
  it("for a suspension by the operator names the operator and says nothing of paying, in kk and ru", () => {
    const key = accessHintKey("suspended", { byOperator: true });
    const ru = translator("ru")(key);
    const kk = translator("kk")(key);
    expect(ru).toContain("приостановлен оператором Avtomektep");
    expect(kk).toContain("Avtomektep операторы тоқтатты");
    for (const text of [ru, kk]) expect(text).not.toMatch(PAYMENT);
  });

  it("a suspension for non-payment and the other states keep their own words", () => {
    expect(translator("ru")(accessHintKey("suspended", { byOperator: false }))).toBe(
      "Доступ приостановлен за неоплату (п. 4.2.6 оферты). Данные сохранены; доступ откроется сразу после оплаты.",
    );
    expect(translator("kk")(accessHintKey("suspended", null))).toMatch(PAYMENT);
    expect(accessHintKey("restricted", { byOperator: true })).toBe("billing:hint.restricted");
  });
});
