// The register's list: filters, a search that respects what the caller may see, keyset paging.
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import { Prisma } from "../db/generated/prisma/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import { guardedSelect } from "../../domain/visibility.ts";
import { DIGITS, queryWords, traineeFilters, viewOf } from "./access.ts";
import { byName as nameOrder } from "./select.ts";
import type { Locale } from "../../domain/i18n/index.ts";
import type { listInput } from "./schema.ts";

const pick = <T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> =>
  Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]])) as Pick<T, K>;

/** The roster columns of the list; the IIN and the phone are added when the caller's view shows them (ADR 026). */
const listSelect = {
  id: true,
  lastName: true,
  firstName: true,
  middleName: true,
  category: true,
  status: true,
  createdAt: true,
} as const;

// The cursor carries the sort key of the last row shown: (the full name in the reader's order, id) for
// "by name", (created at, id) for "newest first".
type Cursor = { n?: string; c?: string; id: string };
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");
function decodeCursor(s: string | undefined): Cursor | null {
  if (!s) return null;
  try {
    const c = JSON.parse(Buffer.from(s, "base64url").toString()) as Cursor;
    return typeof c.id === "string" ? c : null;
  } catch {
    return null;
  }
}

/**
 * One page of the register, by name in the reader's alphabetical order (Kazakh or Russian) or newest first.
 * Keyset paging by (name, id): as fast on page 400 as on page 1.
 */
export async function listTrainees(
  tx: Tx,
  school: SchoolCtx,
  actor: { id: string },
  input: z.infer<typeof listInput>,
  locale: Locale,
) {
  const view = viewOf({ school, user: actor });
  const cursor = decodeCursor(input.cursor);
  const byName = input.sort === "name";
  const select = { ...listSelect, nameKk: true, nameRu: true, ...pick(guardedSelect(view), ["iin", "phone"]) };
  let rows: Prisma.TraineeGetPayload<{ select: typeof select }>[];
  let total: number;
  if (input.q && !DIGITS.test(input.q)) {
    // a name search: the page from the search words alone, then the rows of that page
    const hits = await nameSearchPage(tx, input, cursor, locale);
    const found = await tx.trainee.findMany({ where: { id: { in: hits.ids } }, select });
    const at = new Map(hits.ids.map((id, i) => [id, i]));
    rows = found.sort((a, b) => at.get(a.id)! - at.get(b.id)!);
    total = hits.total;
  } else {
    const and = await traineeFilters(tx, input, view);
    const filters = [...and];
    const nameKey = locale === "kk" ? "nameKk" : "nameRu";
    if (cursor && byName && cursor.n !== undefined) {
      and.push({ OR: [{ [nameKey]: { gt: cursor.n } }, { [nameKey]: cursor.n, id: { gt: cursor.id } }] });
    } else if (cursor && !byName && cursor.c) {
      const c = new Date(cursor.c);
      and.push({ OR: [{ createdAt: { lt: c } }, { createdAt: c, id: { lt: cursor.id } }] });
    }
    // The page and the total asked together: the second goes out as soon as the first is answered (ADR 044).
    [rows, total] = await Promise.all([
      tx.trainee.findMany({
        where: { AND: and },
        orderBy: byName ? nameOrder(locale) : [{ createdAt: "desc" }, { id: "desc" }],
        take: input.limit + 1,
        select,
      }),
      tx.trainee.count({ where: { AND: filters } }),
    ]);
  }
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page,
    nextCursor:
      rows.length > input.limit && last
        ? encodeCursor(
            byName
              ? { n: locale === "kk" ? last.nameKk : last.nameRu, id: last.id }
              : { c: last.createdAt.toISOString(), id: last.id },
          )
        : null,
    total,
  };
}

/** The largest character: every word that starts with a prefix sorts below the prefix followed by it. */
const LAST_CHAR = String.fromCodePoint(0x10ffff);

/**
 * One page of a name search and the number found, from the search words alone (migration 20261213080000): the
 * words that begin with each term of the query, folded by the database's own functions, are read from one index
 * that carries each trainee's name and creation time; a trainee is a hit when it has a word for every term. The
 * hits are sorted in the reader's order (or newest first) and cut to the page, so a word shared by 13,000 trainees
 * costs one pass over 13,000 index entries, not a walk of the school in name order. The register's filters, when
 * set, read the trainee rows of the hits.
 */
async function nameSearchPage(
  tx: Tx,
  input: z.infer<typeof listInput>,
  cursor: Cursor | null,
  locale: Locale,
): Promise<{ ids: string[]; total: number }> {
  const filters = [
    input.status && Prisma.sql`t.status_key = ${input.status}`,
    input.category && Prisma.sql`t.category = ${input.category}`,
    input.groupId && Prisma.sql`t.group_id = ${input.groupId}::uuid`,
  ].filter((f): f is Prisma.Sql => !!f);
  const found = filters.length
    ? Prisma.sql`SELECT h.* FROM hits h JOIN trainee t ON t.id = h.id WHERE ${Prisma.join(filters, " AND ")}`
    : null;
  const order = Prisma.raw(locale === "kk" ? "names_kk" : "names_ru");
  let after = Prisma.sql`true`;
  let orderBy = Prisma.sql`name COLLATE ${order}, id`;
  if (input.sort === "name") {
    if (cursor?.n !== undefined)
      after = Prisma.sql`(name COLLATE ${order} > ${cursor.n} OR (name COLLATE ${order} = ${cursor.n} AND id > ${cursor.id}::uuid))`;
  } else {
    orderBy = Prisma.sql`created_at DESC, id DESC`;
    if (cursor?.c)
      after = Prisma.sql`(created_at < ${cursor.c}::timestamptz OR (created_at = ${cursor.c}::timestamptz AND id < ${cursor.id}::uuid))`;
  }
  // The terms are numbered so that "a word for every term" is one bit_or per trainee. The upper bound of each range
  // is computed with the terms: a concatenation inside the condition is not leakproof and would keep the range out
  // of the index scan under row-level security.
  const [row] = await tx.$queryRaw<{ total: number; ids: string[] }[]>`
    WITH terms AS MATERIALIZED (
      SELECT term, term || ${LAST_CHAR} AS upper, (row_number() OVER ())::int - 1 AS k
        FROM (SELECT DISTINCT w AS term FROM unnest(${queryWords(input.q ?? "")}::text[]) q,
                     search_words(search_term(q)) w LIMIT 30) t),
    hits AS MATERIALIZED (
      SELECT w.trainee_id AS id, w.name, w.created_at
        FROM terms, LATERAL (SELECT trainee_id, name, created_at FROM trainee_search_word w
                              WHERE w.kind = 'n' AND w.word >= terms.term AND w.word < terms.upper OFFSET 0) w
       GROUP BY w.trainee_id, w.name, w.created_at
      HAVING bit_or(1::bigint << terms.k) = (1::bigint << (SELECT count(*) FROM terms)::int) - 1),
    found AS ${found ? Prisma.sql`MATERIALIZED (${found})` : Prisma.sql`(SELECT * FROM hits)`}
    SELECT (SELECT count(*) FROM found)::int AS total,
           ARRAY(SELECT found.id::text AS tid FROM found WHERE ${after} ORDER BY ${orderBy} LIMIT ${input.limit + 1}) AS ids`;
  return { ids: row?.ids ?? [], total: row?.total ?? 0 };
}
