// The operator's search for a school: its name (any case), the start of its BIN/IIN and, where asked, its slug.
import type { Prisma } from "../db/generated/prisma/client.ts";
import { likeText } from "../db/like.ts";

/** The conditions for a search text; no text, no condition. */
export function schoolSearch(q: string | undefined, opts: { slug?: boolean } = {}): Prisma.SchoolWhereInput {
  if (!q) return {};
  return {
    OR: [
      { name: { contains: likeText(q), mode: "insensitive" } },
      { binIin: { startsWith: likeText(q) } },
      ...(opts.slug ? [{ slug: { contains: likeText(q) } }] : []),
    ],
  };
}
