// The register's list: filters, a search that respects what the caller may see, keyset paging.
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import { guardedSelect } from "../../domain/visibility.ts";
import { traineeFilters, viewOf } from "./access.ts";
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

// The cursor carries the sort key of the last row shown: (last name, first name, id) for "by name",
// (created at, id) for "newest first".
type Cursor = { l?: string; f?: string; c?: string; id: string };
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

/** One page of the register. Keyset paging by (last name, first name, id): as fast on page 400 as on page 1. */
export async function listTrainees(tx: Tx, school: SchoolCtx, actor: { id: string }, input: z.infer<typeof listInput>) {
  const view = viewOf({ school, user: actor });
  const cursor = decodeCursor(input.cursor);
  const and = traineeFilters(input, view);
  const byName = input.sort === "name";
  const filters = [...and];
  if (cursor && byName && cursor.l !== undefined && cursor.f !== undefined) {
    and.push({
      OR: [
        { lastName: { gt: cursor.l } },
        { lastName: cursor.l, firstName: { gt: cursor.f } },
        { lastName: cursor.l, firstName: cursor.f, id: { gt: cursor.id } },
      ],
    });
  } else if (cursor && !byName && cursor.c) {
    const c = new Date(cursor.c);
    and.push({ OR: [{ createdAt: { lt: c } }, { createdAt: c, id: { lt: cursor.id } }] });
  }
  const rows = await tx.trainee.findMany({
    where: { AND: and },
    orderBy: byName
      ? [{ lastName: "asc" }, { firstName: "asc" }, { id: "asc" }]
      : [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    select: { ...listSelect, ...pick(guardedSelect(view), ["iin", "phone"]) },
  });
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    items: page,
    nextCursor:
      rows.length > input.limit && last
        ? encodeCursor(
            byName
              ? { l: last.lastName, f: last.firstName, id: last.id }
              : { c: last.createdAt.toISOString(), id: last.id },
          )
        : null,
    total: await tx.trainee.count({ where: { AND: filters } }),
  };
}
