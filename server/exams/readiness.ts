// Who is ready for the state exam, as the caller's role may read it: one trainee, a group (or everyone in
// training or exams), and the trainees a certificate of completion could go to.
import type { z } from "zod";
import { traineeRowSelect } from "../trainees/select.ts";
import type { Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import { redact } from "../../domain/visibility.ts";
import { ownTrainees, viewOf } from "../trainees/access.ts";
import { eligibility, factsSelect, loadFacts } from "./eligibility.ts";
import { shownEligibility } from "./minimise.ts";
import type { eligibilityGroupInput, traineeIdInput } from "./schema.ts";
import { byName } from "../trainees/select.ts";
import type { Locale } from "../../domain/i18n/index.ts";

type Actor = { id: string };

const MAX_ROWS = 500;

const rowSelect = {
  ...factsSelect,
  ...traineeRowSelect,
  groupId: true,
} as const;

/** One trainee: eligible, or exactly what is missing. */
export async function traineeEligibility(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: z.infer<typeof traineeIdInput>,
) {
  const trainee = await tx.trainee.findUnique({ where: { id: input.traineeId }, select: rowSelect });
  if (!trainee) throw new AppError("NOT_FOUND", "notFound");
  const today = almatyDate(new Date());
  const facts = (await loadFacts(tx, school.id, [trainee], today)).get(trainee.id)!;
  const view = viewOf({ school, user: actor });
  const own = (await ownTrainees(tx, view, [trainee.id])).has(trainee.id);
  return { today, ...shownEligibility(view, facts, eligibility(facts), own) };
}

/** A group (or everyone in training or exams): each trainee's gaps and a summary count. */
export async function groupEligibility(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: z.infer<typeof eligibilityGroupInput>,
  locale: Locale,
) {
  const where: Prisma.TraineeWhereInput = input.groupId
    ? { groupId: input.groupId, status: { in: ["enrolled", "training", "exams"] } }
    : { status: { in: ["training", "exams"] } };
  const [groups, trainees, total] = await Promise.all([
    tx.studyGroup.findMany({
      orderBy: [{ startsOn: "desc" }],
      take: 300,
      select: { id: true, number: true, category: true, startsOn: true, endsOn: true },
    }),
    tx.trainee.findMany({
      where,
      orderBy: byName(locale),
      take: MAX_ROWS,
      select: rowSelect,
    }),
    tx.trainee.count({ where }),
  ]);
  const today = almatyDate(new Date());
  const facts = await loadFacts(tx, school.id, trainees, today);
  const view = viewOf({ school, user: actor });
  const rows = trainees.map((t) => {
    const f = facts.get(t.id)!;
    const { eligible, reasons } = shownEligibility(view, f, eligibility(f));
    return redact(
      {
        id: t.id,
        lastName: t.lastName,
        firstName: t.firstName,
        middleName: t.middleName,
        iin: t.iin,
        category: t.category,
        status: t.status,
        drivingDoneMinutes: f.drivingDoneMinutes,
        drivingRequiredMinutes: f.drivingRequiredMinutes,
        eligible,
        reasons,
      },
      view,
    );
  });
  return {
    today,
    groups,
    group: input.groupId ? (groups.find((g) => g.id === input.groupId) ?? null) : null,
    rows,
    total,
    truncated: total > rows.length,
    eligibleCount: rows.filter((r) => r.eligible).length,
  };
}

/** Trainees a certificate could go to (status exams or graduated, without an active one), with their check. */
export async function certificateCandidates(tx: Tx, schoolId: string, locale: Locale) {
  const trainees = await tx.trainee.findMany({
    where: { status: { in: ["exams", "graduated"] } },
    orderBy: byName(locale),
    take: MAX_ROWS,
    select: rowSelect,
  });
  const active = await tx.certificate.findMany({
    where: { cancelledAt: null, traineeId: { in: trainees.map((t) => t.id) } },
    select: { traineeId: true, category: true },
  });
  const has = new Set(active.map((a) => `${a.traineeId}/${a.category}`));
  const open = trainees.filter((t) => !has.has(`${t.id}/${t.category}`));
  const facts = await loadFacts(tx, schoolId, open, almatyDate(new Date()));
  return open.map((t) => ({
    id: t.id,
    lastName: t.lastName,
    firstName: t.firstName,
    category: t.category,
    status: t.status,
    eligible: eligibility(facts.get(t.id)!).eligible,
  }));
}
