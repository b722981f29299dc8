import { Form, Link, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useT } from "~/lib/i18n.tsx";
import { LanguageSwitch } from "./LanguageSwitch.tsx";
import type { RootData } from "~/root.tsx";

/** The top bar on every page: brand, optional middle part, language switch, account/log-out. */
export function Header({ children }: { children?: ReactNode }) {
  const t = useT();
  const root = useRouteLoaderData("root") as RootData | undefined;
  const user = root?.user;
  return (
    <header className="topbar">
      <Link to="/" className="brand">
        <img src="/favicon.svg" alt="" width={28} height={28} />
        <span>{t("common:appName")}</span>
      </Link>
      <div className="topbar-middle">{children}</div>
      <LanguageSwitch />
      {user ? (
        <div className="topbar-user">
          <Link to="/account" className="user-link">
            {user.fullName}
          </Link>
          <Form method="post" action="/logout">
            <button type="submit" className="link-button">
              {t("common:logout")}
            </button>
          </Form>
        </div>
      ) : (
        <Link to="/login" className="button secondary small">
          {t("common:login")}
        </Link>
      )}
    </header>
  );
}
