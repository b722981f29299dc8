import { isRouteErrorResponse, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { useT } from "./i18n.tsx";

/**
 * The status, the person-readable message and the request id of the error a route boundary caught. The id
 * comes with the refusal or failure (server/http/remix-errors.ts adds it to whatever a loader or action
 * threw); an error while rendering shows the id of the request that rendered the page (the root loader's).
 */
export function useRouteErrorMessage(): { status: number; message: string; requestId: string | null } {
  const error = useRouteError();
  const root = useRouteLoaderData("root") as { requestId?: string } | undefined;
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const body =
    isRouteErrorResponse(error) && typeof error.data === "object" && error.data
      ? (error.data as { message?: unknown; requestId?: unknown })
      : null;
  const message =
    body && "message" in body ? String(body.message) : status === 404 ? t("errors:notFound") : t("errors:internal");
  const requestId =
    typeof body?.requestId === "string"
      ? body.requestId
      : isRouteErrorResponse(error)
        ? null
        : (root?.requestId ?? null);
  return { status, message, requestId };
}
