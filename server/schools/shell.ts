// What every page of a school's workspace shows around itself, read in one transaction (ADR 049): the school
// and the member's roles in it, the register's size, why it is suspended, the member's other schools (the
// switcher) and the banners (server/notices/banners.ts, which also records continued use). The layout used
// to ask three procedures for this — three transactions, each with its own entry, and a session check — on
// every page.
import type { Tx } from "../db/client.ts";
import type { RequestMeta } from "../audit/log.ts";
import type { SchoolCtx } from "../trpc.ts";
import { workspaceNotices } from "../notices/banners.ts";
import { workspace } from "./settings.ts";

export async function workspaceShell(tx: Tx, school: SchoolCtx, user: { id: string }, meta: RequestMeta) {
  // The banners first: they may record continued use, which the reads after it then see.
  const notices = await workspaceNotices(tx, school, user, meta);
  const [shell, schools] = await Promise.all([workspace(tx, school), memberSchools(tx, user.id)]);
  return { ...shell, schools, notices };
}

/** The schools the person is a member of, each once, in the order they joined them (own memberships: RLS). */
function memberSchools(tx: Tx, userId: string) {
  return tx.$queryRaw<{ slug: string; name: string }[]>`
    SELECT s.slug, s.name FROM membership m JOIN school s ON s.id = m.school_id
     WHERE m.user_id = ${userId}::uuid
     GROUP BY s.id ORDER BY min(m.created_at), s.slug`;
}
