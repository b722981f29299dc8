import { Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useState } from "react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useRouteErrorMessage } from "~/lib/route-error.ts";
import { useNonce } from "~/lib/nonce.tsx";
import { SupportCode } from "~/components/SupportCode.tsx";
import { I18nProvider, useT } from "~/lib/i18n.tsx";
import { createTrpcClient, trpc } from "~/lib/trpc.ts";
import type { Locale } from "../domain/i18n/index.ts";
import "~/context.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: "/app.css" },
  { rel: "stylesheet", href: "/billing.css" },
  { rel: "stylesheet", href: "/admin-billing.css" },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const { user, locale } = context.ctx;
  return {
    locale,
    // The id of the request that rendered the page: an error while rendering shows it as the code for support.
    requestId: context.requestId,
    user: user
      ? {
          id: user.id,
          fullName: user.fullName,
          email: user.email,
          operatorRole: user.operatorRole,
          emailVerified: user.emailVerified,
        }
      : null,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale: Locale = data?.locale ?? "kk";
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nProvider locale={locale}>{children}</I18nProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 10_000 } } }));
  const [trpcClient] = useState(() => createTrpcClient());
  useLoaderData<typeof loader>();
  return (
    <trpc.Provider client={trpcClient} queryClient={queryClient}>
      <QueryClientProvider client={queryClient}>
        <Outlet />
      </QueryClientProvider>
    </trpc.Provider>
  );
}

export function ErrorBoundary() {
  const t = useT();
  const { status, message, requestId } = useRouteErrorMessage();
  return (
    <main className="page narrow">
      <h1>{status}</h1>
      <p className="alert">{message}</p>
      <SupportCode id={requestId} />
      <p>
        <a href="/">{t("common:appName")}</a>
      </p>
    </main>
  );
}
