import { Link, useLoaderData } from "@remix-run/react";
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import type { ReactNode } from "react";
import { AuthLayout, AuthErrorBoundary } from "~/components/auth/AuthLayout.tsx";

import { pageLocale, useFormat, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";
// A dev-only page: the one place besides dev.sms.tsx where the app reads a stand-in (dev/README.md).
import { fetchSunkMail } from "../../dev/mail/client.ts";

export { AuthErrorBoundary as ErrorBoundary };

/** The developer's view of the local mail sink; absent in production and when there is no sink. */
export async function loader({ context }: LoaderFunctionArgs) {
  // Read through an alias: the Remix compiler replaces a literal `process.env.NODE_ENV` at build time.
  const env = process.env;
  const sink = env.MAIL_SINK_URL;
  if (!sink || env.NODE_ENV === "production") {
    throw data({ message: translator(context.ctx.locale)("errors:notFound") }, { status: 404 });
  }
  const messages = await fetchSunkMail(sink);
  messages.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || b.id - a.id);
  return { locale: context.ctx.locale, messages };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: translator(pageLocale(matches))("auth:devMail.title") },
];

const URL_RE = /(https?:\/\/[^\s<>"']+)/g;

/** Plain text with its links made clickable (to the same app, so relative where possible). */
function linkify(text: string): ReactNode[] {
  return text.split(URL_RE).map((part, i) =>
    i % 2 === 1 ? (
      <a key={i} href={part}>
        {part}
      </a>
    ) : (
      part
    ),
  );
}

export default function DevMail() {
  const { messages } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  return (
    <AuthLayout wide>
      <h1>{t("auth:devMail.title")}</h1>
      <p className="toolbar">
        <span className="muted">{t("auth:devMail.lead")}</span>
        <Link to="/dev/mail" className="button secondary small" reloadDocument>
          {t("auth:devMail.refresh")}
        </Link>
      </p>
      {messages.length === 0 ? <p className="card muted">{t("auth:devMail.empty")}</p> : null}
      {messages.map((m) => (
        <article key={m.id} className="card mail-item">
          <dl className="facts">
            <dt>{t("auth:devMail.to")}</dt>
            <dd>{m.to.join(", ")}</dd>
            <dt>{t("auth:devMail.subject")}</dt>
            <dd>
              <strong>{m.subject}</strong>
            </dd>
            <dt>{t("auth:devMail.received")}</dt>
            <dd>{fmt.dateTime(m.receivedAt)}</dd>
          </dl>
          <pre className="mail-body">{linkify(m.text)}</pre>
        </article>
      ))}
    </AuthLayout>
  );
}
