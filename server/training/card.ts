// The trainee's card: everything the trainee's page shows beyond the register fields — status history,
// contract and payments, driving progress and the trainee's journal entries — as the caller may see it.
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { SchoolCtx } from "../trpc.ts";
import { redact } from "../../domain/visibility.ts";
import { ownTrainees, viewOf } from "../trainees/access.ts";
import { drivingProgress } from "./lessons.ts";
import { priorTrainingOf } from "./adoption.ts";
import { tuitionOf } from "./instalments.ts";

/** The trainee's card; the contract, its payments and the medical certificate only for a role that may see them. */
export async function traineeCard(tx: Tx, school: SchoolCtx, actor: { id: string }, input: { traineeId: string }) {
  const trainee = await tx.trainee.findUnique({
    where: { id: input.traineeId },
    select: {
      id: true,
      category: true,
      gearbox: true,
      status: true,
      enrolledAt: true,
      contractNumber: true,
      contractPriceTiyn: true,
      paidTiyn: true,
      medicalCertNumber: true,
      medicalCertIssuedOn: true,
      medicalCertValidUntil: true,
      groupId: true,
      statusChanges: {
        orderBy: { changedAt: "asc" },
        select: { fromStatus: true, toStatus: true, reason: true, changedAt: true, changedBy: true },
      },
      payments: {
        orderBy: { paidOn: "asc" },
        select: { id: true, amountTiyn: true, paidOn: true, note: true, createdAt: true },
      },
    },
  });
  if (!trainee) throw new AppError("NOT_FOUND", "notFound");
  const view = viewOf({ school, user: actor });
  const own = (await ownTrainees(tx, view, [trainee.id])).has(trainee.id);
  const [progress, prior, upcoming, journal, tuition] = await Promise.all([
    drivingProgress(tx, school.id, trainee),
    priorTrainingOf(tx, trainee.id),
    // the booked lessons still ahead: what the office moves or cancels when the trainee calls
    tx.drivingLesson.findMany({
      where: { traineeId: trainee.id, status: "booked", endsAt: { gt: new Date() } },
      orderBy: { startsAt: "asc" },
      take: 20,
      select: { id: true, startsAt: true, endsAt: true, instructorId: true, vehicle: { select: { plate: true } } },
    }),
    tx.journalEntry.findMany({
      where: { subjectId: trainee.id },
      orderBy: { seq: "asc" },
      select: { seq: true, at: true, kind: true, data: true, actorUserId: true },
    }),
    tuitionOf(tx, trainee),
  ]);
  const actorIds = [
    ...new Set([
      ...upcoming.map((l) => l.instructorId),
      ...trainee.statusChanges.map((c) => c.changedBy),
      ...journal.flatMap((j) => (j.actorUserId ? [j.actorUserId] : [])),
    ]),
  ];
  const actors = await tx.user.findMany({
    where: { id: { in: actorIds } },
    select: { id: true, fullName: true },
  });
  const names = Object.fromEntries(actors.map((a) => [a.id, a.fullName]));
  // The contract, its payments and the medical certificate only for a role that may see them (ADR 026).
  return redact(
    {
      ...trainee,
      contractPriceTiyn: Number(trainee.contractPriceTiyn),
      // what is paid and owed follows the payments themselves (the ledger, ADR 042)
      paidTiyn: tuition.paidTiyn,
      balanceTiyn: tuition.balanceTiyn,
      /** the schedule of instalments with what the payments cover of each, overdue and next due */
      tuition,
      payments: trainee.payments.map((p) => ({ ...p, amountTiyn: Number(p.amountTiyn) })),
      progress,
      /** training before the school used Avtomektep, as the office entered it (ADR 029); null when none */
      prior,
      upcoming: upcoming.map((l) => ({
        id: l.id,
        startsAt: l.startsAt,
        endsAt: l.endsAt,
        instructor: names[l.instructorId] ?? "",
        plate: l.vehicle.plate,
      })),
      history: journal.map((j) => ({
        ...j,
        seq: Number(j.seq),
        actor: j.actorUserId ? (names[j.actorUserId] ?? null) : null,
      })),
    },
    view,
    own,
  );
}
