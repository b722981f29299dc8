import type { HeadersFunction } from "@remix-run/node";

/**
 * A route's `headers` export for the forms that can be refused for too many requests (login, forgot,
 * sign-up): the Retry-After of the action's refusal (app/lib/forms.server.ts runForm) reaches the page's response.
 */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const wait = actionHeaders.get("Retry-After");
  return wait ? { "Retry-After": wait } : new Headers();
};
