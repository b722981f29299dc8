// The register's list: filters, a search that respects what the caller may see, keyset paging.
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import { guardedSelect } from "../../domain/visibility.ts";
import { traineeFilters, viewOf } from "./access.ts";
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
  const and = await traineeFilters(tx, input, view);
  const byName = input.sort === "name";
  const filters = [...and];
  const nameKey = locale === "kk" ? "nameKk" : "nameRu";
  if (cursor && byName && cursor.n !== undefined) {
    and.push({ OR: [{ [nameKey]: { gt: cursor.n } }, { [nameKey]: cursor.n, id: { gt: cursor.id } }] });
  } else if (cursor && !byName && cursor.c) {
    const c = new Date(cursor.c);
    and.push({ OR: [{ createdAt: { lt: c } }, { createdAt: c, id: { lt: cursor.id } }] });
  }
  const rows = await tx.trainee.findMany({
    where: { AND: and },
    orderBy: byName ? nameOrder(locale) : [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    select: { ...listSelect, nameKk: true, nameRu: true, ...pick(guardedSelect(view), ["iin", "phone"]) },
  });
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
    total: await tx.trainee.count({ where: { AND: filters } }),
  };
}
