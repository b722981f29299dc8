// Domain errors carry a code (HTTP meaning) and a translation key; the tRPC layer turns them into
// a status and a kk/ru message. User mistakes never surface as 500s.
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "TOO_MANY_REQUESTS"
  | "SERVICE_UNAVAILABLE";

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

/**
 * Prisma's unique-violation error (P2002): returns what it names — the constraint's index name through
 * the pg driver adapter (e.g. "school_bin_iin_key"), or the fields — or null for any other error.
 */
export function uniqueViolationFields(e: unknown): string[] | null {
  const err = e as {
    code?: string;
    meta?: {
      target?: unknown;
      driverAdapterError?: { cause?: { constraint?: { index?: string; fields?: string[] } } };
    };
  };
  if (err?.code !== "P2002") return null;
  const target = err.meta?.target;
  if (Array.isArray(target)) return target.map(String);
  if (typeof target === "string") return [target];
  const constraint = err.meta?.driverAdapterError?.cause?.constraint;
  return [
    ...(constraint?.index ? [constraint.index] : []),
    ...(constraint?.fields ?? []).map((f) => f.replaceAll('"', "")),
  ];
}

const LOST_CONNECTION_KINDS = new Set([
  "ConnectionClosed",
  "DatabaseNotReachable",
  "SocketTimeout",
  "TooManyConnections",
  "TransactionAlreadyClosed",
  "TlsConnectionError",
]);
const TRANSIENT_PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2028"]);

/**
 * A database failure that says nothing about the request: the connection dropped (a failover, a restart,
 * pg_terminate_backend), the server unreachable or out of connections, the pool exhausted. The transaction
 * was rolled back, so the same request can simply be sent again. (A deadlock or serialization failure is not
 * this: it is a lost race, retried in server/db/client.ts and answered as a conflict.)
 */
export function databaseUnavailable(e: unknown): boolean {
  const err = e as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: string; code?: string; originalCode?: string } } };
  } | null;
  if (!err || typeof err !== "object") return false;
  if (typeof err.code === "string" && TRANSIENT_PRISMA_CODES.has(err.code)) return true;
  const cause = err.meta?.driverAdapterError?.cause;
  const sqlState = cause?.originalCode ?? cause?.code ?? (typeof err.code === "string" ? err.code : undefined);
  if (cause?.kind && LOST_CONNECTION_KINDS.has(cause.kind)) return true;
  // 08xxx connection exceptions; 57P01–57P03 the server shutting down or terminating the backend;
  // 53300 too many connections.
  return (
    typeof sqlState === "string" && (/^08/.test(sqlState) || ["57P01", "57P02", "57P03", "53300"].includes(sqlState))
  );
}
