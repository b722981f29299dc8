// The tRPC spine, in three parts: the request context, initialisation (errors in kk/ru), and the
// procedure builders every router uses.
import { initTRPC, TRPCError } from "@trpc/server";
import { z, ZodError, type core } from "zod";
import { translator, isLocale, DEFAULT_LOCALE, type Locale } from "../domain/i18n/index.ts";
import { AppError, databaseUnavailable, uniqueViolationFields } from "./errors.ts";
import {
  appDb,
  inReportScope,
  inScope,
  lostRace,
  operatorDb,
  reportsOnReplica,
  sqlLiteral,
  switchScope,
  type Tx,
} from "./db/client.ts";
import { forgetSession, recallSessionCookie, validateSessionCookie, type SessionUser } from "./auth/sessions.ts";
import { apiLimiter, type ApiLimiter } from "./auth/rate-limit.ts";
import type { RequestMeta } from "./audit/log.ts";
import { logger } from "./log.ts";
import { refuseNulInput } from "./text-input.ts";
import { SharedReads } from "./db/shared-reads.ts";
import { currentRequestId } from "./http/request-context.ts";
import { suspensionOf } from "./schools/suspension.ts";
import { observeProcedure } from "./http/metrics.ts";
import type { MemberRole, OperatorRole, SchoolStatus } from "./db/generated/prisma/enums.ts";
import { OPERATOR_ROLES, type OperatorRoleName, ROLES, type Role } from "../domain/roles.ts";
import type { DescribedError, ErrorData } from "../domain/errors.ts";
import { transformer } from "./http/superjson-fast.ts";

// ---------------------------------------------------------------------------------------------
// 1. Context

export type RequestInput = {
  cookieHeader: string | null;
  acceptLanguage: string | null;
  ip: string | null;
  userAgent: string | null;
  /** appends a Set-Cookie header to the response being built */
  setCookie: (cookie: string) => void;
};

export type Context = {
  meta: RequestMeta;
  locale: Locale;
  user: SessionUser | null;
  sessionId: string | null;
  /**
   * Whether the session was checked in the database for this request. A session this process saw seconds ago
   * is not (ADR 044): a school procedure proves it in the statement that enters the school, any other
   * signed-in procedure checks it first. Shared by the calls of one request (a page's loaders).
   */
  session: { proven: boolean };
  cookieHeader: string | null;
  setCookie: (cookie: string) => void;
  /** A page's loaders: their concurrent school reads share a transaction (ADR 049); none for the HTTP API. */
  reads?: PageReads;
};

export function readCookie(cookieHeader: string | null, name: string): string | null {
  for (const part of (cookieHeader ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

export const LOCALE_COOKIE = "am_lang";

/** The user's saved language, else the language cookie, else the browser's, else Kazakh. */
export function resolveLocale(
  user: SessionUser | null,
  cookieHeader: string | null,
  acceptLanguage: string | null,
): Locale {
  if (user) return user.locale;
  const fromCookie = readCookie(cookieHeader, LOCALE_COOKIE);
  if (isLocale(fromCookie)) return fromCookie;
  const fromBrowser = (acceptLanguage ?? "").toLowerCase().match(/\b(kk|ru)\b/)?.[1];
  return isLocale(fromBrowser) ? fromBrowser : DEFAULT_LOCALE;
}

export async function createContext(req: RequestInput): Promise<Context> {
  const recalled = recallSessionCookie(req.cookieHeader);
  const session = recalled ?? (await validateSessionCookie(req.cookieHeader));
  if (session?.refreshCookie) req.setCookie(session.refreshCookie);
  return {
    meta: { ip: req.ip, userAgent: req.userAgent },
    locale: resolveLocale(session?.user ?? null, req.cookieHeader, req.acceptLanguage),
    user: session?.user ?? null,
    sessionId: session?.sessionId ?? null,
    session: { proven: !recalled },
    cookieHeader: req.cookieHeader,
    setCookie: req.setCookie,
  };
}

// ---------------------------------------------------------------------------------------------
// 2. Initialisation: every error leaves in the user's language, with per-field messages for forms.

/** Schemas put `errors:` keys in their messages; issues without one get a generic message by kind. */
function issueMessage(issue: core.$ZodIssue, t: ReturnType<typeof translator>): string {
  if (
    issue.message &&
    /^[a-zA-Z]+(\.[a-zA-Z_]+)*$/.test(issue.message) &&
    t(`errors:${issue.message}`) !== `errors:${issue.message}`
  ) {
    return t(`errors:${issue.message}`, (issue as { params?: Record<string, unknown> }).params ?? {});
  }
  switch (issue.code) {
    case "too_small":
      return Number(issue.minimum) <= 1 ? t("errors:required") : t("errors:tooShort", { min: Number(issue.minimum) });
    case "too_big":
      return t("errors:tooLong", { max: Number(issue.maximum) });
    case "invalid_type":
      // zod 4 leaves `input` out of issues unless asked; its default message names what it received.
      return (
        "input" in issue
          ? issue.input === undefined || issue.input === null
          : /received (undefined|null)\b/.test(issue.message)
      )
        ? t("errors:required")
        : t("errors:invalid");
    case "invalid_format":
      return issue.format === "email" ? t("errors:email") : t("errors:invalid");
    default:
      return t("errors:invalid");
  }
}

const STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  PARSE_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_SUPPORTED: 405,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

/** One error, as the person will read it: a message in their language and per-field messages. */
export function describeError(error: TRPCError, locale: Locale): DescribedError {
  const t = translator(locale);
  let message: string;
  let fieldErrors: Record<string, string> | null = null;
  let field: string | null = null;
  if (error.cause instanceof ZodError) {
    fieldErrors = {};
    for (const issue of error.cause.issues) {
      const key = issue.path.join(".") || "_";
      fieldErrors[key] ??= issueMessage(issue, t);
    }
    message = t("errors:badRequest");
  } else if (error.cause instanceof AppError) {
    message = t(`errors:${error.cause.messageKey}`, error.cause.params);
    field = error.cause.field ?? null;
    if (field) fieldErrors = { [field]: message };
  } else if (error.code === "INTERNAL_SERVER_ERROR") {
    message = t("errors:internal");
  } else {
    const byCode: Record<string, string> = {
      UNAUTHORIZED: "unauthorized",
      FORBIDDEN: "forbidden",
      NOT_FOUND: "notFound",
      CONFLICT: "conflict",
    };
    message = t(`errors:${byCode[error.code] ?? "badRequest"}`);
  }
  const described: DescribedError = { message, fieldErrors, field, status: STATUS[error.code] ?? 500 };
  const existing = error.cause instanceof AppError ? error.cause.params.existingId : undefined;
  if (typeof existing === "string") described.existingId = existing;
  const wait = retryAfterSeconds(error);
  return wait === null ? described : { ...described, retryAfter: wait };
}

/** How long a refusal for too many requests (or a database gone for a moment) asks the client to wait, in seconds. */
export function retryAfterSeconds(error: TRPCError): number | null {
  const c = error.cause;
  if (!(c instanceof AppError) || (c.code !== "TOO_MANY_REQUESTS" && c.code !== "SERVICE_UNAVAILABLE")) return null;
  return Math.max(1, Math.round(Number(c.params.seconds ?? Number(c.params.minutes ?? 1) * 60)));
}

const t0 = initTRPC.context<Context>().create({
  // superjson's format; what goes out is written by a quicker walk where it can be (ADR 054).
  transformer,
  errorFormatter({ shape, error, ctx }) {
    const d = describeError(error, ctx?.locale ?? DEFAULT_LOCALE);
    // No stack traces leave the server. The request id lets a user quote the failure to support: in the
    // data always, and in the message itself when the failure is ours (500; a 503 just says "try again").
    const { stack: _stack, ...rest } = shape.data;
    const requestId = currentRequestId() ?? null;
    const data: Omit<typeof shape.data, "stack"> & ErrorData & { requestId: string | null } = {
      ...rest,
      fieldErrors: d.fieldErrors,
      field: d.field,
      requestId,
    };
    const code =
      requestId && error.code === "INTERNAL_SERVER_ERROR"
        ? translator(ctx?.locale ?? DEFAULT_LOCALE)("errors:supportCode", { id: requestId })
        : null;
    const message = code ? `${d.message}${/[.!?]$/.test(d.message) ? "" : "."} ${code}` : d.message;
    return { ...shape, message, data };
  },
});

/** How long a client is asked to wait before sending a request again after the database went away. */
const RETRY_AFTER_SECONDS = 5;

/** Turns domain errors and known database refusals into tRPC errors with the right status. */
const mapErrors = t0.middleware(async ({ next, path }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof AppError) {
    throw new TRPCError({ code: cause.code, message: cause.messageKey, cause });
  }
  // A race lost inside PostgreSQL even after the transaction's retries (server/db/client.ts): a conflict, not an outage.
  if (lostRace(cause)) throw new TRPCError({ code: "CONFLICT", cause: new AppError("CONFLICT", "raced") });
  if (uniqueViolationFields(cause)) {
    throw new TRPCError({ code: "CONFLICT", cause: new AppError("CONFLICT", "conflict") });
  }
  const prismaCode = (cause as { code?: string } | undefined)?.code;
  if (prismaCode === "P2025") throw new TRPCError({ code: "NOT_FOUND", cause: new AppError("NOT_FOUND", "notFound") });
  // The database went away mid-request: everything was rolled back, so say "try again" (503), not "bug" (500).
  if (databaseUnavailable(cause)) {
    logger.warn(
      {
        path,
        reason: String((cause as Error).message)
          .trim()
          .split("\n")
          .at(-1),
      },
      "database unavailable; the request was rolled back",
    );
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      cause: new AppError("SERVICE_UNAVAILABLE", "unavailable", { seconds: RETRY_AFTER_SECONDS }),
    });
  }
  if (result.error.code === "INTERNAL_SERVER_ERROR")
    logger.error({ err: cause ?? result.error, path }, "procedure failed");
  return result;
});

export const router = t0.router;
export const createCallerFactory = t0.createCallerFactory;

// ---------------------------------------------------------------------------------------------
// 3. Procedure builders

/** Counts the call against the per-user and per-IP API limits (4.3.8); over them → 429 with the wait. */
const apiRateLimit = (limiter: () => ApiLimiter) =>
  t0.middleware(async ({ ctx, next }) => {
    await limiter()({ userId: ctx.user?.id ?? null, ip: ctx.meta.ip });
    return next();
  });

/** Times every call for /metrics (am_trpc_procedure_duration_seconds), with the code it ended with. */
const procedureMetrics = t0.middleware(async ({ next, path, type }) => {
  const started = performance.now();
  const result = await next();
  observeProcedure(path, type, result.ok ? "OK" : result.error.code, (performance.now() - started) / 1000);
  return result;
});

/** A NUL byte in any text of the input is a 400 with a field message before any schema runs (PostgreSQL can't store it). */
const noNulText = t0.middleware(async ({ getRawInput, next }) => {
  refuseNulInput(await getRawInput());
  return next();
});

/**
 * A session this process only remembered (ADR 044) is checked in the database before a procedure that is not a
 * school's reads who is signed in: dead, the caller is signed out for this request and what follows it.
 */
const provenSession = t0.middleware(async ({ ctx, next }) => {
  if (!ctx.sessionId || ctx.session.proven) return next();
  const session = await validateSessionCookie(ctx.cookieHeader);
  ctx.session.proven = true;
  if (session?.sessionId === ctx.sessionId) {
    if (session.refreshCookie) ctx.setCookie(session.refreshCookie);
    return next();
  }
  ctx.user = null;
  ctx.sessionId = null;
  return next({ ctx: { ...ctx, user: null, sessionId: null } });
});

/** The base of every procedure, with a given limiter, before the session is proven. */
const unprovenProcedure = (limiter: () => ApiLimiter) =>
  t0.procedure.use(procedureMetrics).use(mapErrors).use(apiRateLimit(limiter)).use(noNulText);

/** The base of every procedure but a school's, with a given limiter (tests pass a small one). */
export const limitedProcedure = (limiter: () => ApiLimiter) => unprovenProcedure(limiter).use(provenSession);

export const publicProcedure = limitedProcedure(apiLimiter);

/** Someone is signed in: 401 otherwise. */
const requireUser = t0.middleware(({ ctx, next }) => {
  if (!ctx.user || !ctx.sessionId) throw new AppError("UNAUTHORIZED", "unauthorized");
  return next({ ctx: { ...ctx, user: ctx.user, sessionId: ctx.sessionId } });
});

export const authedProcedure = publicProcedure.use(requireUser);

/**
 * The base of a school's procedures: a caller with a session cookie this process knows. The session itself is
 * proven by the statement that enters the school (schoolAccess).
 */
const signedInProcedure = unprovenProcedure(apiLimiter).use(requireUser);

export const slugSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/, "slug");

export type SchoolCtx = {
  id: string;
  slug: string;
  name: string;
  status: SchoolStatus;
  trialEndsAt: Date | null;
  roles: MemberRole[];
};

// The database's member_role and the domain's roles are one list; this fails to compile when they part.
const _sameRoles: [MemberRole, Role] extends [Role, MemberRole] ? true : never = true;
const _sameOperatorRoles: [OperatorRole, OperatorRoleName] extends [OperatorRoleName, OperatorRole] ? true : never =
  true;
void _sameRoles;
void _sameOperatorRoles;

/**
 * A procedure inside one school's workspace. Resolves the school from its slug, checks the caller's
 * membership and role, and runs the procedure in one transaction of the app role with
 * app.school_id set — PostgreSQL's row-level security is what keeps the other schools out.
 */
/**
 * What a school's access state allows (contract 4.2.6): past due is full access with a banner; restricted
 * is read and export only; suspended is nothing but billing. Procedures marked `always` (billing, the
 * workspace shell that shows the suspended page) work in every state.
 */
export function refuseByAccess(status: SchoolStatus, type: string, always: boolean): void {
  if (status === "deactivated") throw new AppError("FORBIDDEN", "school.deactivated");
  if (always) return;
  if (status === "suspended") throw new AppError("FORBIDDEN", "school.suspended");
  if (status === "restricted" && type === "mutation") throw new AppError("FORBIDDEN", "billing.restricted");
}

/**
 * A school the operator suspended by hand is refused with its own words: not "unpaid", there is nothing to
 * pay (the reason is on the workspace's suspended page). Read only for a suspended school, in its scope.
 */
async function refuseManualSuspension(tx: Tx, schoolId: string, status: SchoolStatus, always: boolean) {
  if (status !== "suspended" || always) return;
  if ((await suspensionOf(tx, schoolId))?.byOperator) throw new AppError("FORBIDDEN", "school.suspendedByOperator");
}

/** What app_enter_session answers: the session proven, and the school with the caller's roles in it. */
type SchoolEntry = {
  session_ok: boolean;
  user_id: string | null;
  id: string | null;
  slug: string;
  name: string;
  status: SchoolStatus;
  trial_ends_at: Date | null;
  roles: MemberRole[];
};

/**
 * Enters the school of `slug` in the open transaction: app_enter_session proves the session (it exists, is not
 * expired, its user is active), sets the user, reads the school with the caller's roles and sets the school for
 * row-level security — one round trip (ADR 044). RLS shows a user only the schools they belong to; anything
 * else looks like "not found". A refusal throws, and the transaction (with its settings) rolls back.
 */
async function enterSchool(
  tx: Tx,
  slug: string,
  caller: { sessionId: string; user: { id: string }; session: { proven: boolean } },
): Promise<SchoolEntry & { id: string }> {
  // The transaction's first statement, without parameters: it leaves with the BEGIN (server/db/pools.ts).
  const [school] = await tx.$queryRawUnsafe<SchoolEntry[]>(
    `SELECT * FROM app_enter_session(${sqlLiteral(caller.sessionId)}, ${sqlLiteral(slug)})`,
  );
  if (!school?.session_ok || school.user_id !== caller.user.id) {
    forgetSession(caller.sessionId);
    throw new AppError("UNAUTHORIZED", "unauthorized");
  }
  caller.session.proven = true;
  if (!school.id) throw new AppError("FORBIDDEN", "school.notMember");
  return { ...school, id: school.id };
}

/** Lets one call into the school it entered, once the caller's roles and the school's access state allow it. */
async function admit(
  tx: Tx,
  school: SchoolEntry & { id: string },
  roles: readonly MemberRole[],
  type: string,
  always: boolean,
): Promise<SchoolCtx> {
  await refuseManualSuspension(tx, school.id, school.status, always);
  refuseByAccess(school.status, type, always);
  if (!school.roles.some((r) => roles.includes(r))) throw new AppError("FORBIDDEN", "forbidden");
  return {
    id: school.id,
    slug: school.slug,
    name: school.name,
    status: school.status,
    trialEndsAt: school.trial_ends_at,
    roles: school.roles,
  };
}

async function schoolAccess(
  tx: Tx,
  slug: string,
  caller: { sessionId: string; user: { id: string }; session: { proven: boolean } },
  roles: readonly MemberRole[],
  type: string,
  always: boolean,
): Promise<SchoolCtx> {
  return admit(tx, await enterSchool(tx, slug, caller), roles, type, always);
}

/** The transactions a request's concurrent school reads share (server/db/shared-reads.ts, ADR 049). */
export type PageReads = SharedReads<SchoolEntry & { id: string }>;

/** For a request whose school reads may share transactions: a page's loaders. */
export function pageReads(): PageReads {
  return new SharedReads();
}

export function schoolProcedure(roles: readonly Role[] = ROLES, opts: { always?: boolean } = {}) {
  const always = opts.always ?? false;
  return signedInProcedure.input(z.object({ school: slugSchema })).use(async ({ ctx, input, next, type }) => {
    const run = async (tx: Tx, school: SchoolCtx) => {
      const result = await next({ ctx: { ...ctx, db: tx as Tx, school } });
      // A failed procedure must roll its transaction back: rethrow instead of returning the error.
      if (!result.ok) throw result.error;
      return result;
    };
    // A page's reads started together share one transaction and one entry; a change never does.
    if (ctx.reads && type === "query") {
      const joined = await ctx.reads.run(
        input.school,
        (tx) => enterSchool(tx, input.school, ctx),
        async (tx, entry) => run(tx, await admit(tx, entry, roles, type, always)),
      );
      if (!joined.retry) return joined.value;
      // Another read failed in the transaction this one had joined: it rolled back, so this one runs again alone.
    }
    // No scope up front: schoolAccess sets it, in the same round trip that proves the session and membership.
    return inScope(null, async (tx) => run(tx, await schoolAccess(tx, input.school, ctx, roles, type, always)));
  });
}

/**
 * A report in one school's workspace (the XLSX registers, the dashboard): read-only, heavy, fine a few
 * seconds behind. It runs in a READ ONLY transaction on the reports client under the same RLS scope. With
 * a replica (REPORTS_DATABASE_URL) the membership and access check still runs on the primary first, so a
 * removed member or a suspended school is refused at once; without one, check and report share one
 * transaction, as in schoolProcedure.
 */
export function reportProcedure(roles: readonly Role[] = ROLES) {
  return signedInProcedure.input(z.object({ school: slugSchema })).use(async ({ ctx, input, next, type }) => {
    const report = async (tx: Tx, school: SchoolCtx) => {
      const result = await next({ ctx: { ...ctx, db: tx, school } });
      if (!result.ok) throw result.error;
      return result;
    };
    const enter = (tx: Tx) => schoolAccess(tx, input.school, ctx, roles, type, false);
    if (!reportsOnReplica()) return inReportScope(null, async (tx) => report(tx, await enter(tx)));
    const school = await inScope(null, enter);
    return inReportScope({ schoolId: school.id, userId: ctx.user.id }, (tx) => report(tx, school));
  });
}

export type TraineeCtx = { id: string; schoolId: string; schoolSlug: string; schoolName: string };

/**
 * A procedure in a trainee's own cabinet (`/t/<slug>`). The transaction switches to the database role
 * avtomektep_trainee with app.school_id and app.trainee_id set: read-only, and its policies show the
 * trainee's own rows only — nothing of another trainee can come back, whatever the procedure asks.
 */
export function traineeProcedure() {
  return authedProcedure.input(z.object({ school: slugSchema })).use(async ({ ctx, input, next, type }) => {
    return inScope({ userId: ctx.user.id }, async (tx) => {
      const school = await tx.school.findUnique({
        where: { slug: input.school },
        select: { id: true, slug: true, name: true, status: true },
      });
      const login = school
        ? await tx.traineeLogin.findUnique({ where: { userId_schoolId: { userId: ctx.user.id, schoolId: school.id } } })
        : null;
      if (!school || !login) throw new AppError("FORBIDDEN", "school.notMember");
      const me = { id: login.traineeId, school };
      await switchScope(tx, { schoolId: me.school.id, userId: ctx.user.id, traineeId: me.id });
      await refuseManualSuspension(tx, me.school.id, me.school.status, false);
      refuseByAccess(me.school.status, type, false);
      await tx.$executeRawUnsafe("SET LOCAL ROLE avtomektep_trainee");
      const trainee: TraineeCtx = {
        id: me.id,
        schoolId: me.school.id,
        schoolSlug: me.school.slug,
        schoolName: me.school.name,
      };
      const result = await next({ ctx: { ...ctx, db: tx as Tx, trainee } });
      if (!result.ok) throw result.error;
      return result;
    });
  });
}

/** The operator console: the operator role's own database path, never a school request's. */
export function operatorProcedure(roles: readonly OperatorRole[] = OPERATOR_ROLES) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!ctx.user.operatorRole || !roles.includes(ctx.user.operatorRole)) throw new AppError("FORBIDDEN", "forbidden");
    return next({ ctx: { ...ctx, user: ctx.user, operatorRole: ctx.user.operatorRole, db: operatorDb() } });
  });
}

/** Requests outside any school (sign-in, sign-up, the user's own account) use the app role directly. */
export { appDb };
