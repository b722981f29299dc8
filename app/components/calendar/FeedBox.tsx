// "Calendar on my phone" (ADR 033): the instructor's box in the workspace and the trainee's in the cabinet. The
// address is shown once, right after it is made (only its hash is kept); later the box says since when a feed
// is live and when the phone last fetched it, and offers a new address or turning it off. Works without
// JavaScript: the address sits in a read-only field to select; the copy button is a progressive extra.
import { Form, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { useFormat, useT } from "~/lib/i18n.tsx";

export type FeedLive = { createdAt: string | Date; lastFetchedAt: string | Date | null } | null;
export type FeedMade = { url: string; webcal: string };

function CopyButton({ text }: { text: string }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="secondary"
      onClick={() => {
        void navigator.clipboard?.writeText(text).then(() => setCopied(true));
      }}
    >
      {copied ? t("calendar:copied") : t("calendar:copy")}
    </button>
  );
}

/** `titled={false}` where the page's own heading already says "calendar on my phone". */
export function FeedBox({
  live,
  made,
  lead,
  titled = true,
}: {
  live: FeedLive;
  made: FeedMade | null;
  lead: string;
  titled?: boolean;
}) {
  const t = useT();
  const fmt = useFormat();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="card cal-feed" data-testid="calendar-feed" aria-label={t("calendar:title")}>
      {titled ? <h2 className="first">{t("calendar:title")}</h2> : null}
      <p className="muted">{lead}</p>
      {made ? (
        <div className="cal-feed-made">
          <p className="notice" role="status">
            {t("calendar:shownOnce")}
          </p>
          <label className="field">
            <span className="label">{t("calendar:link")}</span>
            <input
              readOnly
              value={made.url}
              className="mono"
              data-testid="calendar-url"
              onFocus={(e) => e.currentTarget.select()}
            />
          </label>
          <div className="row-actions">
            <a className="button" href={made.webcal}>
              {t("calendar:subscribe")}
            </a>
            <CopyButton text={made.url} />
          </div>
        </div>
      ) : live ? (
        <p data-testid="calendar-live">
          {t("calendar:active", { since: fmt.dateTime(live.createdAt) })}{" "}
          {live.lastFetchedAt
            ? t("calendar:lastFetched", { at: fmt.dateTime(live.lastFetchedAt) })
            : t("calendar:neverFetched")}
          <br />
          <span className="muted">{t("calendar:lost")}</span>
        </p>
      ) : (
        <p className="muted">{t("calendar:none")}</p>
      )}
      <div className="row-actions">
        <Form method="post">
          <input type="hidden" name="intent" value="calendar-create" />
          <button type="submit" className={made ? "secondary" : "primary"} disabled={busy}>
            {live || made ? t("calendar:renew") : t("calendar:create")}
          </button>
        </Form>
        {live || made ? (
          <Form method="post">
            <input type="hidden" name="intent" value="calendar-revoke" />
            <button type="submit" className="secondary" disabled={busy}>
              {t("calendar:revoke")}
            </button>
          </Form>
        ) : null}
      </div>
      <p className="muted small">{t("calendar:help")}</p>
      <p className="muted small">{t("calendar:private")}</p>
    </section>
  );
}
