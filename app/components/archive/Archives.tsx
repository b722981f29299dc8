// The school archive's screen, shared by the director's page (/s/<school>/archive) and the operator's
// (/admin/schools/<id>/archive): the request button, then every archive with its state — a progress bar while it
// is prepared (the page reloads its data every two seconds until none is left to wait for), the size, until when it
// is kept and the download link. The link is a plain document link: the zip streams from the server as a download.
import { Notice } from "~/components/Notice.tsx";
import { Form, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { FormAlert } from "~/components/Field.tsx";
import { useFormat, useT } from "~/lib/i18n.tsx";

export type ArchiveRow = {
  id: string;
  status: "queued" | "building" | "ready" | "failed" | "expired";
  requestedAt: Date | string;
  requestedVia: "school" | "operator";
  requestedBy: string;
  percent: number;
  expiresAt: Date | string | null;
  sizeBytes: number | null;
  fileName: string | null;
};

const POLL_MS = 2_000;

/** `12,3 МБ`, or `640 КБ` under a megabyte (the same in both languages). */
function size(t: ReturnType<typeof useT>, bytes: number): string {
  const fmt = (v: number, digits: number) =>
    v.toLocaleString("ru-RU", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return bytes < 1048576
    ? t("archive:kilobytes", { value: fmt(Math.max(1, Math.ceil(bytes / 1024)), 0) })
    : t("archive:megabytes", { value: fmt(bytes / 1048576, 1) });
}

export function Archives({
  archives,
  keepDays,
  downloadHref,
  refusal,
  requested,
}: {
  archives: ArchiveRow[];
  keepDays: number;
  downloadHref: (id: string) => string;
  refusal: string | null;
  requested: boolean;
}) {
  const t = useT();
  const fmt = useFormat();
  const busy = useNavigation().state !== "idle";
  const revalidator = useRevalidator();
  const waiting = archives.some((a) => a.status === "queued" || a.status === "building");
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, revalidator]);

  return (
    <>
      <p className="muted">{t("archive:lead", { days: keepDays })}</p>
      {requested && waiting ? <Notice>{t("archive:requested")}</Notice> : null}
      <FormAlert message={refusal} />
      <Form method="post" className="row-actions">
        <input type="hidden" name="intent" value="request" />
        <button type="submit" className="primary" disabled={busy || waiting} data-testid="archive-request">
          {t("archive:request")}
        </button>
      </Form>

      <h2>{t("archive:list")}</h2>
      {archives.length === 0 ? <p className="muted">{t("archive:empty")}</p> : null}
      {archives.map((a) => (
        <section key={a.id} className="card" data-testid="archive" data-status={a.status}>
          <div className="ws-head">
            <h3 className="first">{fmt.dateTime(a.requestedAt)}</h3>
            <span
              className={`badge ${a.status === "ready" ? "active" : a.status === "failed" ? "bad" : a.status === "expired" ? "" : "trial"}`}
            >
              {t(`archive:status.${a.status}`, { percent: a.percent })}
            </span>
          </div>
          {a.status === "queued" || a.status === "building" ? (
            <div className="imp-progress" aria-live="polite">
              <p id={`archive-progress-${a.id}`} className="muted">
                {t("archive:progressLabel", { date: fmt.dateTime(a.requestedAt) })}
              </p>
              <progress
                max={100}
                value={a.status === "queued" ? undefined : a.percent}
                aria-labelledby={`archive-progress-${a.id}`}
              >
                {a.percent}%
              </progress>
              <p className="muted">{t("archive:wait")}</p>
            </div>
          ) : null}
          <dl className="facts">
            <dt>{t("archive:cols.by")}</dt>
            <dd>
              {a.requestedBy} ({t(`archive:via.${a.requestedVia}`)})
            </dd>
            {a.sizeBytes !== null && a.status === "ready" ? (
              <>
                <dt>{t("archive:cols.size")}</dt>
                <dd>{size(t, a.sizeBytes)}</dd>
              </>
            ) : null}
            {a.expiresAt && a.status === "ready" ? (
              <>
                <dt>{t("archive:cols.expires")}</dt>
                <dd>{fmt.dateTime(a.expiresAt)}</dd>
              </>
            ) : null}
          </dl>
          {a.status === "ready" ? (
            <p className="row-actions">
              <a
                className="button primary"
                href={downloadHref(a.id)}
                download={a.fileName ?? true}
                data-testid="archive-download"
              >
                {t("archive:download")}
              </a>
              <span className="muted mono break">{a.fileName}</span>
            </p>
          ) : null}
        </section>
      ))}
    </>
  );
}
