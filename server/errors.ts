// Domain errors carry a code (HTTP meaning) and a translation key; the tRPC layer turns them into
// a status and a kk/ru message. User mistakes never surface as 500s.
export type AppErrorCode = "BAD_REQUEST" | "UNAUTHORIZED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "TOO_MANY_REQUESTS";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    /** `errors:` key, e.g. "signup.binTaken" */
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
    /** the form field the message belongs to, when there is one */
    readonly field?: string,
  ) {
    super(messageKey);
    this.name = "AppError";
  }
}

export const badRequest = (key: string, field?: string, params: Record<string, string | number> = {}) =>
  new AppError("BAD_REQUEST", key, params, field);
export const forbidden = (key = "forbidden") => new AppError("FORBIDDEN", key);
export const notFound = (key = "notFound") => new AppError("NOT_FOUND", key);
export const conflict = (key: string, field?: string) => new AppError("CONFLICT", key, {}, field);

/**
 * Prisma's unique-violation error (P2002): returns what it names — the constraint's index name through
 * the pg driver adapter (e.g. "school_bin_iin_key"), or the fields — or null for any other error.
 */
export function uniqueViolationFields(e: unknown): string[] | null {
  const err = e as {
    code?: string;
    meta?: { target?: unknown; driverAdapterError?: { cause?: { constraint?: { index?: string; fields?: string[] } } } };
  };
  if (err?.code !== "P2002") return null;
  const target = err.meta?.target;
  if (Array.isArray(target)) return target.map(String);
  if (typeof target === "string") return [target];
  const constraint = err.meta?.driverAdapterError?.cause?.constraint;
  return [...(constraint?.index ? [constraint.index] : []), ...(constraint?.fields ?? []).map((f) => f.replaceAll('"', ""))];
}
