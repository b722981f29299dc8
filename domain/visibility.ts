// What each staff role may see of a trainee — the one data-minimisation rule of the workspace
// (docs/decisions/026-exam-review-and-data-minimisation.md). Every read that lets trainee data leave the
// server (procedures, XLSX and PDF exports, the screens) takes its columns from here and passes its
// rows through `redact`. Pure, with type-only imports: the screens use the same rule to hide columns.
import type { Role } from "./roles.ts";

/**
 * A trainee's data beyond the roster, by kind. The roster — name, category, gearbox, status, group,
 * enrolment, driving hours and exam results — is every staff member's working information.
 */
export const GUARDED = {
  /** the identity document: IIN, birth date and sex (both read from the IIN), name in Latin letters, photo */
  identity: ["iin", "birthDate", "sex", "latinName", "photo"],
  /** how to reach the trainee */
  contacts: ["phone", "email", "address"],
  /** the contract and its money; `balanceTiyn`, `payments` and `tuition` (the instalments) are derived from or beside it */
  contract: ["contractNumber", "contractPriceTiyn", "paidTiyn", "balanceTiyn", "payments", "tuition"],
  /** the medical certificate */
  medical: ["medicalCertNumber", "medicalCertIssuedOn", "medicalCertValidUntil"],
} as const;

export type GuardedKind = keyof typeof GUARDED;
export type GuardedField = (typeof GUARDED)[GuardedKind][number];
export const GUARDED_FIELDS: readonly GuardedField[] = Object.values(GUARDED).flat();

const ALL = GUARDED_FIELDS;

/**
 * The rule, one line per role: what the role sees of every trainee of the school, and what more of its
 * own trainees (an instructor's: assigned to them, or with a driving lesson with them).
 * - director, registrar: the office keeps the register — everything;
 * - inspector: a read-only controller of the registers — identity, contract and medical certificate,
 *   never the contacts (the inspector does not call trainees);
 * - teacher: the roster of the groups they teach (attendance, internal theory exams) — nothing more;
 * - instructor: the roster, and the phone of the trainees they drive with.
 */
export const TRAINEE_RULES: Record<Role, { every: readonly GuardedField[]; own: readonly GuardedField[] }> = {
  director: { every: ALL, own: [] },
  registrar: { every: ALL, own: [] },
  inspector: { every: [...GUARDED.identity, ...GUARDED.contract, ...GUARDED.medical], own: [] },
  teacher: { every: [], own: [] },
  instructor: { every: [], own: ["phone"] },
};

/** What one member (all their roles in the school together) sees. */
export type TraineeView = {
  /** seen for every trainee */
  every: ReadonlySet<GuardedField>;
  /** seen only for the member's own trainees (beyond `every`) */
  own: ReadonlySet<GuardedField>;
  /** whose own trainees count (the member), when `own` is not empty */
  userId: string;
};

export function traineeView(roles: readonly Role[], userId: string): TraineeView {
  const every = new Set<GuardedField>(roles.flatMap((r) => TRAINEE_RULES[r]?.every ?? []));
  const own = new Set<GuardedField>(roles.flatMap((r) => TRAINEE_RULES[r]?.own ?? []).filter((f) => !every.has(f)));
  return { every, own, userId };
}

/** Whether the view shows `field` of a trainee (own: the trainee is the member's own). */
export function sees(view: TraineeView, field: GuardedField, own = false): boolean {
  return view.every.has(field) || (own && view.own.has(field));
}

/** Fields are guarded by name: a row keeps the others whatever they are. */
const isGuarded = (k: string): k is GuardedField => (GUARDED_FIELDS as readonly string[]).includes(k);

/** A row with the guarded fields possibly left out. */
export type Redacted<T> = Omit<T, GuardedField> & Partial<Pick<T, Extract<keyof T, GuardedField>>>;

/** The row without the guarded fields the view may not see (left out, not emptied). */
export function redact<T extends object>(row: T, view: TraineeView, own = false): Redacted<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!isGuarded(k) || sees(view, k, own)) out[k] = v;
  return out as Redacted<T>;
}

/** Database columns of the trainee table behind the guarded fields (photo, balance, payments and tuition aren't columns). */
const COLUMNS = [
  "iin",
  "birthDate",
  "sex",
  "latinName",
  "phone",
  "email",
  "address",
  "contractNumber",
  "contractPriceTiyn",
  "paidTiyn",
  "medicalCertNumber",
  "medicalCertIssuedOn",
  "medicalCertValidUntil",
] as const satisfies readonly GuardedField[];
export type GuardedColumn = (typeof COLUMNS)[number];

/**
 * A Prisma `select` of the guarded columns the view may need: those of every trainee, plus (with
 * `withOwn`) those of its own trainees — rows are then redacted one by one.
 */
export function guardedSelect(view: TraineeView, withOwn = false): Partial<Record<GuardedColumn, true>> {
  const out: Partial<Record<GuardedColumn, true>> = {};
  for (const c of COLUMNS) if (view.every.has(c) || (withOwn && view.own.has(c))) out[c] = true;
  return out;
}

/** The roles that see all of `fields` of every trainee. */
export function rolesSeeing(fields: readonly GuardedField[]): Role[] {
  return (Object.keys(TRAINEE_RULES) as Role[]).filter((r) => fields.every((f) => TRAINEE_RULES[r].every.includes(f)));
}

/** Documents whose point is the trainee's identity (the card, the certificate of completion): roles that see the IIN. */
export const IDENTITY_DOCUMENT_ROLES: readonly Role[] = rolesSeeing(["iin", "birthDate"]);
/** The contract PDF names the trainee's address and phone beside the price: roles that see all of them. */
export const CONTRACT_ROLES: readonly Role[] = rolesSeeing([
  "iin",
  "address",
  "phone",
  "contractNumber",
  "contractPriceTiyn",
]);

/**
 * Everything, as the office keeps it: the default of the document builders for callers that are the
 * school itself (the director's or the operator's archive of the whole school). Requests pass their own view.
 */
export const OFFICE_VIEW: TraineeView = traineeView(["director"], "00000000-0000-0000-0000-000000000000");
