import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { useT } from "./i18n.tsx";

/** The status and the person-readable message of the error a route boundary caught. */
export function useRouteErrorMessage(): { status: number; message: string } {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message =
    isRouteErrorResponse(error) && typeof error.data === "object" && error.data && "message" in error.data
      ? String((error.data as { message: unknown }).message)
      : status === 404
        ? t("errors:notFound")
        : t("errors:internal");
  return { status, message };
}
