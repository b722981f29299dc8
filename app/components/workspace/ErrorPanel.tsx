import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { useT } from "~/lib/i18n.tsx";

/** A refused or failed page inside a layout: the layout (header, navigation) stays around it. */
export function ErrorPanel() {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message =
    isRouteErrorResponse(error) && typeof error.data === "object" && error.data && "message" in error.data
      ? String((error.data as { message: unknown }).message)
      : status === 404
        ? t("errors:notFound")
        : t("errors:internal");
  return (
    <div className="ws-main">
      <h1>{status}</h1>
      <p className="alert" role="alert">{message}</p>
    </div>
  );
}

/**
 * What a refused form action returns (see forms.server.ts refusedWith). Written out because without the
 * single-fetch `Future` type flag, useActionData types `data()` results as the wrapper, not its contents.
 */
export type Refused<V> = {
  error: { message: string; fieldErrors: Record<string, string> | null; field: string | null; status: number };
  values: V;
};
