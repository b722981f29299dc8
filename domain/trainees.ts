// A trainee's vocabulary: driving-licence categories (Law "On road traffic", art. 74) and the training
// statuses. The zod schemas (server/trainees/schema.ts), the selects and the badges all use these lists.

export const CATEGORIES = [
  "A1",
  "A",
  "B1",
  "B",
  "BE",
  "C1",
  "C",
  "C1E",
  "CE",
  "D1",
  "D",
  "D1E",
  "DE",
  "Tb",
  "Tm",
] as const;
export type Category = (typeof CATEGORIES)[number];

export const TRAINEE_STATUSES = [
  "applicant",
  "enrolled",
  "training",
  "exams",
  "graduated",
  "expelled",
  "transferred",
] as const;

/** Narrows a query-string value to one of a list (a status filter, a language). */
export function isOneOf<T extends string>(list: readonly T[], v: unknown): v is T {
  return typeof v === "string" && (list as readonly string[]).includes(v);
}
