// A refusal as the person reads it: what the server's error formatter produces (server/trpc.ts
// describeError) and every form and page shows (app/lib/forms.server.ts).

/** Which fields were refused, and with what message; `field` is the one to focus when a single field is at fault. */
export type ErrorData = { fieldErrors: Record<string, string> | null; field: string | null };
/** `retryAfter`: seconds to wait, on a refusal for too many requests or a database gone for a moment (the Retry-After header). */
/**
 * `existingId`: on a refusal for a duplicate, the record it ran into (e.g. the trainee with that IIN), given only
 * where the caller may open it — the form links to it.
 */
export type DescribedError = ErrorData & { message: string; status: number; retryAfter?: number; existingId?: string };
