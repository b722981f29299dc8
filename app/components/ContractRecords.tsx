import { Table } from "~/components/Table.tsx";
import { useFormat, useT } from "~/lib/i18n.tsx";

type Acceptance = {
  offerVersion: { version: number };
  acceptedAt: Date | string;
  textSha256: string;
  ip: string | null;
  userAgent?: string | null;
};
type Consent = { kind: string; grantedAt: Date | string; withdrawnAt: Date | string | null };

/** Which offer versions the school accepted, when, from where (school settings and the operator's card). */
export function OfferAcceptances({ rows, showUserAgent = false }: { rows: Acceptance[]; showUserAgent?: boolean }) {
  const t = useT();
  const fmt = useFormat();
  return (
    <Table
      rows={rows}
      empty={t("workspace:settings.offer.none")}
      labels="workspace:settings.offer"
      columns={["version", "acceptedAt", "sha", "ip", showUserAgent && ["admin:school.userAgent", "hide-phone"]]}
      row={(a) => (
        <tr key={`${a.offerVersion.version}-${String(a.acceptedAt)}`}>
          <td>{a.offerVersion.version}</td>
          <td className="nowrap">{fmt.dateTime(a.acceptedAt)}</td>
          <td className="mono">
            <abbr title={a.textSha256}>{a.textSha256.slice(0, 12)}…</abbr>
          </td>
          <td className="mono">{a.ip ?? "—"}</td>
          {showUserAgent ? (
            <td className="hide-phone small">
              <span title={a.userAgent ?? undefined}>
                {a.userAgent ? `${a.userAgent.slice(0, 40)}${a.userAgent.length > 40 ? "…" : ""}` : "—"}
              </span>
            </td>
          ) : null}
        </tr>
      )}
    />
  );
}

/** Consents given and withdrawn (personal data, reviews, marketing). */
export function Consents({ rows }: { rows: Consent[] }) {
  const t = useT();
  const fmt = useFormat();
  return (
    <Table
      rows={rows}
      empty={t("workspace:settings.consents.none")}
      labels="workspace:settings.consents"
      columns={["kind", "granted", "withdrawn"]}
      row={(c) => (
        <tr key={`${c.kind}-${String(c.grantedAt)}`}>
          <td>{t(`workspace:settings.consents.kinds.${c.kind}`)}</td>
          <td className="nowrap">{fmt.dateTime(c.grantedAt)}</td>
          <td className="nowrap">{c.withdrawnAt ? fmt.dateTime(c.withdrawnAt) : "—"}</td>
        </tr>
      )}
    />
  );
}
