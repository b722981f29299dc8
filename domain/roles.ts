// The workspace's roles and who may do what: the one home of every role rule that the screens and the
// procedures share. The server's procedures authorise with these lists (schoolProcedure(WRITERS)); the
// screens use the same lists to decide which buttons to show, so a button is never offered that the
// server will refuse. Which columns of a trainee each role sees is in ./visibility.ts.

export const ROLES = ["director", "registrar", "teacher", "instructor", "inspector"] as const;
export type Role = (typeof ROLES)[number];

/** Roles that may change the register; the inspector only reads. */
export const WRITERS: readonly Role[] = ["director", "registrar"];
/** Roles that see the school as a whole: dashboard, vehicles, staff. */
export const STAFF_VIEWERS: readonly Role[] = ["director", "registrar", "inspector"];
/** Roles that keep the online exam's question bank. */
export const QUESTION_EDITORS: readonly Role[] = ["director", "registrar", "teacher"];
/** Roles that enter exam results; teachers theory, instructors driving (mayWriteResult). */
export const RESULT_WRITERS: readonly Role[] = ["director", "registrar", "teacher", "instructor"];
/** Every role but the inspector, who only reads: they write to support and acknowledge notices. */
export const ACTIVE_STAFF: readonly Role[] = ["director", "registrar", "teacher", "instructor"];
/** The director alone: billing, settings, the contract, claims, privacy, the archive. */
export const DIRECTOR: readonly Role[] = ["director"];
/** Roles that read the hash-chained journal and check it. */
export const JOURNAL_READERS: readonly Role[] = ["director", "inspector"];
/** Roles that teach or drive: they see their own lessons and may be assigned to a group or a trainee. */
export const TEACHING: readonly Role[] = ["teacher", "instructor"];

/** Does any of the member's roles belong to `allowed`? */
export function hasRole(roles: readonly string[], allowed: readonly Role[]): boolean {
  return roles.some((r) => (allowed as readonly string[]).includes(r));
}

/** May the member change the register (trainees, groups, vehicles, lessons of anyone)? */
export function isWriter(roles: readonly string[]): boolean {
  return hasRole(roles, WRITERS);
}

/** Is `role` the member's only role? An instructor who is nothing else sees only their own lessons and trainees. */
export function onlyRole(roles: readonly string[], role: Role): boolean {
  return roles.every((r) => r === role);
}

/** May the member handle a lesson taught by `ownerId`: writers any, a teacher or instructor (`as`) their own. */
export function mayHandleOwn(
  roles: readonly string[],
  as: "teacher" | "instructor",
  userId: string,
  ownerId: string,
): boolean {
  return isWriter(roles) || (roles.includes(as) && ownerId === userId);
}

/** May the member enter or correct a result of this kind: writers any; teachers theory, instructors driving. */
export function mayWriteResult(roles: readonly string[], kind: "theory" | "driving"): boolean {
  return isWriter(roles) || roles.includes(kind === "theory" ? "teacher" : "instructor");
}

// The operator's console: its own roles, apart from the schools'.
export const OPERATOR_ROLES = ["super_admin", "billing", "support"] as const;
export type OperatorRoleName = (typeof OPERATOR_ROLES)[number];
/** Tariffs, settings, the offer, maintenance, a school's state: the super-admin alone. */
export const SUPER_ADMIN: readonly OperatorRoleName[] = ["super_admin"];
/** Invoices, payments, bank statements, the billing run. */
export const BILLING_OPS: readonly OperatorRoleName[] = ["super_admin", "billing"];
/** Support tickets, claims, privacy requests, archives. */
export const SUPPORT_OPS: readonly OperatorRoleName[] = ["super_admin", "support"];
/** Roles that mark or cancel a driving lesson (an instructor only their own, see mayHandleOwn). */
export const LESSON_HANDLERS: readonly Role[] = ["director", "registrar", "instructor"];
/** Roles that may have a calendar feed of their driving lessons on their phone (ADR 033). */
export const FEED_OWNERS: readonly Role[] = ["instructor"];
/** Roles that mark theory attendance (a teacher only their own lessons, see mayHandleOwn). */
export const THEORY_MARKERS: readonly Role[] = ["director", "registrar", "teacher"];

/**
 * Where a member's day starts in the workspace (/s/<slug> opens it): the director on the dashboard, the
 * registrar on the trainee register, the instructor on their lessons (the page opens on today, their own
 * lessons only), the teacher on the theory lessons, the inspector on the journal they check. A member with
 * several roles lands where the widest of them starts (the order of this list).
 */
const LANDING: readonly [Role, string][] = [
  ["director", "dashboard"],
  ["registrar", "trainees"],
  ["instructor", "lessons"],
  ["teacher", "theory"],
  ["inspector", "journal"],
];

/** The section under /s/<slug>/ a member with these roles lands on. */
export function landingSection(roles: readonly string[]): string {
  return LANDING.find(([role]) => roles.includes(role))?.[1] ?? "trainees";
}
