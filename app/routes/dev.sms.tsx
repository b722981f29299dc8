import { useLoaderData } from "@remix-run/react";
import { Table } from "~/components/Table.tsx";
import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { AuthLayout, AuthErrorBoundary } from "~/components/auth/AuthLayout.tsx";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";
import { fetchGatewaySms } from "../../dev/sms/client.ts";

/** The developer's view of the local SMS gateway; absent in production and when there is none. */
export async function loader({ context }: LoaderFunctionArgs) {
  const env = process.env; // an alias: the build would replace a literal process.env.NODE_ENV
  if (!env.SMS_GATEWAY_URL || env.NODE_ENV === "production") {
    throw data({ message: translator(context.ctx.locale)("errors:notFound") }, { status: 404 });
  }
  return { messages: await fetchGatewaySms(env.SMS_GATEWAY_URL) };
}

export default function DevSms() {
  const { messages } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  return (
    <AuthLayout wide>
      <h1>{t("sms:dev.title")}</h1>
      <p className="muted">{t("sms:dev.lead")}</p>
      <Table
        rows={messages}
        empty={t("sms:dev.empty")}
        emptyClassName="card muted"
        head={
          <>
            <th>{t("sms:dev.to")}</th>
            <th>{t("sms:dev.at")}</th>
            <th>SMS</th>
          </>
        }
        row={(m) => (
          <tr key={m.id}>
            <td className="nowrap mono">{m.to}</td>
            <td className="nowrap">{fmt.dateTime(m.receivedAt)}</td>
            <td>{m.text}</td>
          </tr>
        )}
      />
    </AuthLayout>
  );
}

export const ErrorBoundary = AuthErrorBoundary;
