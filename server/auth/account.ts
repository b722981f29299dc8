// The signed-in user's own account, outside any school: who they are with their schools and trainee cabinets,
// and the language they work in.
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import type { Locale } from "../../domain/i18n/index.ts";
import { forgetUserSessions, type SessionUser } from "./sessions.ts";

/**
 * The user with the schools they belong to (each with their roles there) and the schools where they are a
 * trainee (their cabinets); null when nobody is signed in. Read as the user (app.user_id) under RLS.
 */
export async function whoAmI(db: PrismaClient, user: SessionUser | null) {
  if (!user) return null;
  const [memberships, traineeOf] = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.user_id', ${user.id}, true)`;
    return Promise.all([
      tx.membership.findMany({
        where: { userId: user.id },
        select: { role: true, school: { select: { slug: true, name: true, status: true } } },
        orderBy: { createdAt: "asc" },
      }),
      // Schools where this login is a trainee: their cabinets.
      tx.traineeLogin.findMany({ where: { userId: user.id }, select: { schoolId: true } }).then((rows) =>
        tx.school.findMany({
          where: { id: { in: rows.map((r) => r.schoolId) } },
          select: { slug: true, name: true },
        }),
      ),
    ]);
  });
  const schools = new Map<string, { slug: string; name: string; status: string; roles: string[] }>();
  for (const m of memberships) {
    const s = schools.get(m.school.slug) ?? { ...m.school, roles: [] };
    s.roles.push(m.role);
    schools.set(m.school.slug, s);
  }
  return { ...user, schools: [...schools.values()], cabinets: traineeOf };
}

/** Remembers the language on a signed-in user (audited) when it changed; nobody signed in, nothing to save. */
export async function saveLocale(db: PrismaClient, user: SessionUser | null, locale: Locale, meta: RequestMeta) {
  if (!user || user.locale === locale) return;
  await db.user.update({ where: { id: user.id }, data: { locale } });
  // This process reads the language afresh at once, the others within seconds (ADR 044).
  forgetUserSessions(user.id);
  await audit(db, meta, {
    action: "locale.changed",
    actorUserId: user.id,
    details: { locale },
  });
}
