import { Link } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import { useT } from "~/lib/i18n.tsx";

export type BulkOutcome = { selected: number; done: number; refused: { id: string; name: string; reason: string }[] };

/** What a bulk action did: how many of how many, and each trainee it could not do, with the reason. */
export function BulkResult({ result, base }: { result: BulkOutcome; base: string }) {
  const t = useT();
  return (
    <div className="bulk-result" role="status" data-testid="bulk-result">
      <Notice>{t("workspace:bulk.done", { done: result.done, selected: result.selected })}</Notice>
      {result.refused.length ? (
        <div className="card">
          <p>{t("workspace:bulk.refused", { count: result.refused.length })}</p>
          <ul>
            {result.refused.map((r) => (
              <li key={r.id}>
                <Link to={`${base}/${r.id}`}>{r.name}</Link> — {r.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
