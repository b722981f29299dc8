// A calendar feed (ADR 033): `/cal/<token>.ics`, fetched by a phone's calendar app with no sign-in. The token is
// the only key; an unknown, revoked or malformed one is a plain 404 that says nothing of why. Over the API's
// per-address limit, a 429 with Retry-After (calendar apps back off).
import type { LoaderFunctionArgs } from "@remix-run/node";

const notFound = () =>
  new Response("Not found\n", {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });

export async function loader({ context, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  if (!/^[A-Za-z0-9_-]{20,200}$/.test(token)) return notFound();
  try {
    const { body } = await context.trpc.calendarPublic.ics({ token });
    return new Response(body, {
      headers: {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": 'inline; filename="avtomektep.ics"',
        "Cache-Control": "private, max-age=300",
        "X-Robots-Tag": "noindex",
      },
    });
  } catch (e) {
    const error = context.describeError(e);
    if (!error) throw e;
    if (error.status === 429 || error.status === 503)
      return new Response("Try again later\n", {
        status: error.status,
        headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": String(error.retryAfter ?? 60) },
      });
    return notFound();
  }
}
