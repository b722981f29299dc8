import { Link, useRevalidator } from "@remix-run/react";
import { Table } from "~/components/Table.tsx";
import { useEffect } from "react";
import { useT } from "~/lib/i18n.tsx";
import { trpc } from "~/lib/trpc.ts";
import { reasonText, type BadRow, type PreviewRow } from "../../../domain/import-reasons.ts";
import { priorHours } from "~/components/training/PriorTraining.tsx";

/** How many bad rows the page lists; the rest are counted. */
export const BAD_ROWS_SHOWN = 300;

export function Counts({ total, good, bad }: { total: number; good: number; bad: number }) {
  const t = useT();
  return (
    <dl className="imp-counts">
      <div>
        <dt>{t("traineeImport:preview.total")}</dt>
        <dd>{total}</dd>
      </div>
      <div className="imp-good">
        <dt>{t("traineeImport:preview.good")}</dt>
        <dd>{good}</dd>
      </div>
      <div className={bad > 0 ? "imp-bad" : ""}>
        <dt>{t("traineeImport:preview.bad")}</dt>
        <dd>{bad}</dd>
      </div>
    </dl>
  );
}

/** Rows that won't be imported, each with every reason, in the reader's language. */
export function BadRowsTable({ rows }: { rows: BadRow[] }) {
  const t = useT();
  const shown = rows.slice(0, BAD_ROWS_SHOWN);
  return (
    <>
      <Table
        rows={shown}
        className="imp-table imp-bad-table"
        labels="traineeImport:preview"
        columns={[["row", "num"], "name", "iin", "reasons"]}
        row={(r) => (
          <tr key={r.row}>
            <td className="num">
              <span className="imp-phone-only">{t("traineeImport:preview.row")} </span>
              {r.row}
            </td>
            <td className="imp-name">{r.name}</td>
            <td className="mono nowrap imp-iin">{r.iin}</td>
            <td className="imp-why">
              <ul className="imp-reasons">
                {r.reasons.map((reason, i) => (
                  <li key={i}>{reasonText(t, reason)}</li>
                ))}
              </ul>
            </td>
          </tr>
        )}
      />
      {rows.length > shown.length ? (
        <p className="muted">{t("traineeImport:preview.badMore", { shown: shown.length, total: rows.length })}</p>
      ) : null}
    </>
  );
}

export function GoodRowsTable({ rows }: { rows: PreviewRow[] }) {
  const t = useT();
  return (
    <Table
      rows={rows}
      className="imp-table"
      labels="traineeImport:preview"
      columns={[["row", "num"], "name", "iin", "category", ["gearbox", "hide-phone"], "prior"]}
      row={(r) => (
        <tr key={r.row}>
          <td className="num">{r.row}</td>
          <td>{r.name}</td>
          <td className="mono nowrap">{r.iin}</td>
          <td>{r.category}</td>
          <td className="hide-phone">{t(`traineeImport:preview.gearboxValue.${r.gearbox}`)}</td>
          <td>
            {r.prior
              ? t("traineeImport:preview.priorValue", {
                  theory: priorHours(r.prior.theoryMinutes),
                  driving: priorHours(r.prior.drivingMinutes),
                  exams: r.prior.exams,
                })
              : "—"}
          </td>
        </tr>
      )}
    />
  );
}

type Progress = { status: "uploaded" | "queued" | "running" | "done" | "failed"; doneRows: number; goodRows: number };

/**
 * The running import: polls its status every second (JavaScript), or a refresh link (without).
 * When it finishes, the page reloads its data to show the result.
 */
export function ImportProgress({ school, id, initial }: { school: string; id: string; initial: Progress }) {
  const t = useT();
  const revalidator = useRevalidator();
  const q = trpc.traineeImport.status.useQuery({ school, id }, { refetchInterval: 1000, staleTime: 0 });
  const p: Progress = q.data ?? initial;
  const finished = p.status === "done" || p.status === "failed";
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload once when the import finishes, not on every revalidation
  useEffect(() => {
    if (finished && revalidator.state === "idle") revalidator.revalidate();
  }, [finished]);
  const label =
    p.status === "queued"
      ? t("traineeImport:progress.queued")
      : t("traineeImport:progress.running", { done: p.doneRows, total: p.goodRows });
  return (
    <section className="card imp-progress" aria-live="polite">
      <p id="imp-progress-label">
        <strong>{label}</strong>
      </p>
      <progress
        max={Math.max(p.goodRows, 1)}
        value={p.status === "queued" ? undefined : p.doneRows}
        aria-labelledby="imp-progress-label"
      >
        {p.doneRows} / {p.goodRows}
      </progress>
      <p className="muted">
        {t("traineeImport:progress.wait")}{" "}
        <Link to={`?id=${id}`} reloadDocument>
          {t("traineeImport:progress.refresh")}
        </Link>
      </p>
    </section>
  );
}
