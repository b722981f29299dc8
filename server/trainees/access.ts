// The data-minimisation rule (./visibility.ts) inside a request: the caller's view, which trainees are
// their own, and a search that never matches what the view hides.
import type { Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";
import type { MemberRole } from "../db/generated/prisma/enums.ts";
import { traineeView, type TraineeView } from "../../domain/visibility.ts";
import { normalizeKzPhone } from "../../domain/kz/phone.ts";

export function viewOf(ctx: { school: { roles: readonly MemberRole[] }; user: { id: string } }): TraineeView {
  return traineeView(ctx.school.roles, ctx.user.id);
}

/**
 * Of `ids`, the trainees that are the member's own: assigned to them as instructor, or with a driving
 * lesson with them (in any state). Asked only when the view has something to show of own trainees.
 */
export async function ownTrainees(tx: Tx, view: TraineeView, ids: readonly string[]): Promise<Set<string>> {
  const wanted = [...new Set(ids)];
  if (view.own.size === 0 || wanted.length === 0) return new Set();
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT t.id::text FROM trainee t
     WHERE t.id = ANY(${wanted}::uuid[])
       AND (t.instructor_id = ${view.userId}::uuid
            OR EXISTS (SELECT 1 FROM driving_lesson l WHERE l.instructor_id = ${view.userId}::uuid AND l.trainee_id = t.id))`;
  return new Set(rows.map((r) => r.id));
}

/** Matches no trainee: what a search for digits becomes when the view shows neither IINs nor phones. */
export const NO_TRAINEE: Prisma.TraineeWhereInput = { id: { in: [] } };

/** A search of digits and phone punctuation only: an IIN prefix or a phone number, written in any form. */
export const DIGITS = /^[\d\s()+-]*\d[\d\s()+-]*$/;

/** The largest character: every word that starts with a prefix sorts below the prefix followed by it. */
const LAST_CHAR = String.fromCodePoint(0x10ffff);

/**
 * A trainee with a search word of `kind` that starts with `prefix` (trainee_search_word, ADR 028 "Speed"): a
 * range on a btree, which row-level security lets an index serve, where LIKE would read every row.
 */
function wordStarting(kind: "n" | "i" | "p", prefix: string): Prisma.TraineeWhereInput {
  return { searchWords: { some: startsWith(kind, prefix) } };
}

const startsWith = (kind: "n" | "i" | "p", prefix: string): Prisma.TraineeSearchWordWhereInput => ({
  kind,
  word: { gte: prefix, lt: prefix + LAST_CHAR },
});

/**
 * Digits in the IIN and/or the phone, kept to what the view shows of every trainee (a search must not reveal a
 * hidden IIN digit by digit). One EXISTS with both ranges inside, which the planner serves with two index scans;
 * an OR of two EXISTS would be checked row by row over the whole school.
 */
function digitSearch(view: TraineeView, iinPrefix: string, phonePart: string): Prisma.TraineeWhereInput {
  const or = [
    ...(view.every.has("iin") ? [startsWith("i", iinPrefix)] : []),
    ...(view.every.has("phone") ? [startsWith("p", phonePart)] : []),
  ];
  return or.length ? { searchWords: { some: { OR: or } } } : NO_TRAINEE;
}

/**
 * A search as the caller typed it: digits (an IIN prefix, or a phone as "+7 701 111 22 33", "8 (701) 1112233",
 * "7011112233" or a part of one) as far as the view shows them, or words of the name in any order, each the
 * beginning of a word of the name folded (Kazakh letters as their Russian look-alikes, any case) or of its
 * Latin spelling.
 */
export async function traineeSearch(tx: Tx, q: string, view: TraineeView): Promise<Prisma.TraineeWhereInput> {
  if (DIGITS.test(q)) {
    const digits = q.replace(/\D/g, "");
    const whole = normalizeKzPhone(q)?.replace(/\D/g, "");
    return digitSearch(view, digits, whole ?? digits.replace(/^8/, ""));
  }
  return nameSearch(tx, q);
}

/** The words of a name search as typed, at most six. */
export const queryWords = (q: string) => q.split(/\s+/).filter(Boolean).slice(0, 6);

/**
 * Trainees whose name has every word of `q`, in any order, each as the beginning of a word of the name folded
 * (Kazakh letters as their Russian look-alikes, any case) or of its Latin spelling.
 */
export async function nameSearch(tx: Tx, q: string): Promise<Prisma.TraineeWhereInput> {
  const words = queryWords(q);
  // folded and split by the database's own functions, the ones that made the stored words (one copy of the rule)
  const terms = await tx.$queryRaw<{ term: string }[]>`
    SELECT DISTINCT w AS term FROM unnest(${words}::text[]) q, search_words(search_term(q)) w`;
  if (terms.length === 0) return NO_TRAINEE;
  return { AND: terms.map(({ term }) => wordStarting("n", term)) };
}

/**
 * The register's filters — status, category, group and a search (traineeSearch) — as conditions to AND
 * together (the list page and its XLSX export).
 */
export async function traineeFilters(
  tx: Tx,
  f: { status?: string; category?: string; groupId?: string; q?: string; ids?: readonly string[] },
  view: TraineeView,
): Promise<Prisma.TraineeWhereInput[]> {
  const and: Prisma.TraineeWhereInput[] = [];
  if (f.ids) and.push({ id: { in: [...f.ids] } });
  // on the status as text: an index serves it under row-level security, which it cannot on the enum (migration
  // 20261213080000)
  if (f.status) and.push({ statusKey: f.status });
  if (f.category) and.push({ category: f.category });
  if (f.groupId) and.push({ groupId: f.groupId });
  if (f.q) and.push(await traineeSearch(tx, f.q, view));
  return and;
}
