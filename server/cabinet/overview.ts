// The trainee's own cabinet: schedule, hours, money, history — their rows only (see traineeProcedure).
import type { Tx } from "../db/client.ts";
import { traineeRowSelect } from "../trainees/select.ts";
import type { TraineeCtx } from "../trpc.ts";
import { drivingProgress } from "../training/lessons.ts";
import { isoDayOrNull } from "../../domain/kz/time.ts";
import { tuitionOf } from "../training/instalments.ts";
import { config } from "../config.ts";
import { SCHOOL_PAYEE_PREFIX } from "../tuition/kaspi-payee.ts";

/** Everything the cabinet's page shows: the trainee's record, hours, lessons ahead and behind, payments, history. */
export async function cabinetOverview(tx: Tx, trainee: TraineeCtx) {
  const me = await tx.trainee.findUniqueOrThrow({
    where: { id: trainee.id },
    select: {
      ...traineeRowSelect,
      category: true,
      gearbox: true,
      contractNumber: true,
      contractPriceTiyn: true,
      paidTiyn: true,
      medicalCertValidUntil: true,
      group: { select: { number: true, startsOn: true, endsOn: true, timetable: true } },
      payments: { orderBy: { paidOn: "asc" }, select: { id: true, amountTiyn: true, paidOn: true } },
    },
  });
  const [progress, lessons, history, tuition, kaspiPayee] = await Promise.all([
    drivingProgress(tx, trainee.schoolId, me),
    tx.drivingLesson.findMany({
      where: { status: { not: "cancelled" } },
      orderBy: { startsAt: "asc" },
      select: {
        id: true,
        startsAt: true,
        endsAt: true,
        status: true,
        note: true,
        instructorId: true,
        vehicle: { select: { plate: true, makeModel: true } },
      },
    }),
    tx.journalEntry.findMany({ orderBy: { seq: "asc" }, select: { seq: true, at: true, kind: true, data: true } }),
    tuitionOf(tx, me),
    tx.schoolKaspiPayee.findUnique({ where: { schoolId: trainee.schoolId }, select: { schoolId: true } }),
  ]);
  const instructors = await tx.user.findMany({
    where: { id: { in: [...new Set(lessons.map((l) => l.instructorId))] } },
    select: { id: true, fullName: true },
  });
  const names = Object.fromEntries(instructors.map((i) => [i.id, i.fullName]));
  const now = Date.now();
  const withNames = lessons.map(({ instructorId, ...l }) => ({ ...l, instructorName: names[instructorId] ?? "" }));
  return {
    school: { name: trainee.schoolName, slug: trainee.schoolSlug },
    me: {
      ...me,
      contractPriceTiyn: Number(me.contractPriceTiyn),
      // what is paid and owed follows the payments themselves (the ledger, ADR 042)
      paidTiyn: tuition.paidTiyn,
      balanceTiyn: tuition.balanceTiyn,
      medicalCertValidUntil: isoDayOrNull(me.medicalCertValidUntil),
      payments: me.payments.map((p) => ({ ...p, amountTiyn: Number(p.amountTiyn) })),
    },
    /** the schedule of instalments against the payments (ADR 042) */
    tuition,
    /** how to pay through Kaspi: null when the school takes no tuition through it */
    kaspi: kaspiPayee
      ? {
          account: me.contractNumber ?? me.iin,
          payee: `${SCHOOL_PAYEE_PREFIX}${trainee.schoolSlug}`,
          // `npm start`'s local Kaspi, to pay an instalment without a phone; never in production.
          devPayUrl: config().NODE_ENV !== "production" ? (config().KASPI_STANDIN_URL ?? null) : null,
        }
      : null,
    progress,
    upcoming: withNames.filter((l) => l.endsAt.getTime() >= now),
    past: withNames.filter((l) => l.endsAt.getTime() < now).reverse(),
    history: history.map((h) => ({ ...h, seq: Number(h.seq), actor: null })),
  };
}
