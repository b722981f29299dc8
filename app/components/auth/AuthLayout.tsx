import type { ReactNode } from "react";
import { Link } from "@remix-run/react";
import { useRouteErrorMessage } from "~/lib/route-error.ts";
import { useT } from "~/lib/i18n.tsx";
import { Header } from "~/components/Header.tsx";
import { SupportCode } from "~/components/SupportCode.tsx";

/** The frame of every public/sign-in screen: the top bar, then one narrow column. */
export function AuthLayout({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  return (
    <>
      <Header />
      <main className={wide ? "page auth-page auth-wide" : "page narrow auth-page"}>{children}</main>
    </>
  );
}

/** A route's error page inside the usual frame (header with the language switch). */
export function AuthErrorBoundary() {
  const t = useT();
  const { status, message, requestId } = useRouteErrorMessage();
  return (
    <AuthLayout>
      <h1>{status === 404 || status === 400 ? t("errors:notFound") : status}</h1>
      <p className="alert">{message}</p>
      <SupportCode id={requestId} />
      <p>
        <Link to="/">{t("common:appName")}</Link>
      </p>
    </AuthLayout>
  );
}
