// The claims and force-majeure registers as people read and file them: the director's own (filed from the
// cabinet, received today) and the operator's view of every school's, with the schools' names.
import type { Tx } from "../db/client.ts";
import type { RequestMeta } from "../audit/log.ts";
import type { SchoolCtx } from "../trpc.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import { ensureCalendar } from "./calendar.ts";
import { claimView, fmView, registerClaim, registerForceMajeure } from "./claims.ts";

type Actor = { id: string };

/** The school's claims, newest first, with each deadline's state for today. */
export async function schoolClaims(tx: Tx) {
  await ensureCalendar(tx);
  const today = almatyDate(new Date());
  const rows = await tx.claim.findMany({ orderBy: [{ receivedOn: "desc" }, { number: "desc" }], take: 200 });
  return { today, claims: rows.map((c) => claimView(c, today)) };
}

/** A claim filed by the director from the cabinet: received today. */
export function fileClaim(
  school: SchoolCtx,
  actor: Actor,
  meta: RequestMeta,
  input: { subject: string; text: string },
) {
  return registerClaim({
    schoolId: school.id,
    subject: input.subject,
    text: input.text,
    receivedOn: almatyDate(new Date()),
    source: "cabinet",
    filedBy: actor.id,
    meta,
  });
}

/** The force-majeure notices the school sees (its own and the operator's for all), newest first. */
export async function schoolForceMajeure(tx: Tx) {
  const rows = await tx.forceMajeureNotice.findMany({ orderBy: { createdAt: "desc" }, take: 100 });
  return rows.map(fmView);
}

/** The school's own force-majeure notice, given today. */
export function fileForceMajeure(
  school: SchoolCtx,
  actor: Actor,
  meta: RequestMeta,
  input: { what: string; eventStartedOn: string; documents: string },
) {
  return registerForceMajeure({
    schoolId: school.id,
    what: input.what,
    eventStartedOn: input.eventStartedOn,
    notifiedOn: almatyDate(new Date()),
    documents: input.documents,
    registeredBy: actor.id,
    meta,
  });
}

/** Every school, by name, for the operator's paper-claim and force-majeure forms. */
export function schoolChoices(db: Tx) {
  return db.school.findMany({ select: { id: true, name: true, binIin: true }, orderBy: { name: "asc" }, take: 1000 });
}

/** Every school's claims (the open ones only, unless asked), soonest answer due first, with the school's name. */
export async function allClaims(db: Tx, input: { open: boolean }) {
  await ensureCalendar(db);
  const today = almatyDate(new Date());
  const rows = await db.claim.findMany({
    where: input.open ? { status: "open" } : {},
    orderBy: [{ answerDue: "asc" }, { number: "asc" }],
    take: 500,
  });
  const schools = await db.school.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.schoolId))] } },
    select: { id: true, name: true, slug: true },
  });
  const byId = new Map(schools.map((s) => [s.id, s]));
  return {
    today,
    claims: rows.map((c) => ({
      ...claimView(c, today),
      schoolId: c.schoolId,
      schoolName: byId.get(c.schoolId)?.name ?? "",
    })),
  };
}

/** Every force-majeure notice, newest first, with the school's name (null for the operator's own). */
export async function allForceMajeure(db: Tx) {
  const rows = await db.forceMajeureNotice.findMany({ orderBy: { createdAt: "desc" }, take: 500 });
  const schools = await db.school.findMany({
    where: { id: { in: rows.flatMap((r) => (r.schoolId ? [r.schoolId] : [])) } },
    select: { id: true, name: true },
  });
  const byId = new Map(schools.map((s) => [s.id, s.name]));
  return rows.map((r) => ({ ...fmView(r), schoolName: r.schoolId ? (byId.get(r.schoolId) ?? "") : null }));
}
