import { randomUUID } from "node:crypto";
import { z } from "zod";
import { router, schoolProcedure } from "../trpc.ts";
import { JOURNAL_READERS, onlyRole, WRITERS } from "../../domain/roles.ts";
import { AppError } from "../errors.ts";
import { audit } from "../audit/log.ts";
import { almatyDate, almatyToInstant } from "../../domain/kz/time.ts";
import {
  addPaymentInput,
  bookLessonInput,
  cancelLessonInput,
  changeStatusInput,
  lessonsInput,
  markLessonInput,
} from "./schema.ts";
import { changeStatus } from "./status.ts";
import { bookLesson, cancelLesson, drivingProgress, markLesson } from "./lessons.ts";
import { verifyJournal } from "./journal.ts";
import { newToken } from "../auth/tokens.ts";
import { enqueue } from "../outbox/enqueue.ts";
import { config } from "../config.ts";
import type { LessonStatus } from "../db/generated/prisma/enums.ts";
import { ownTrainees, viewOf } from "../trainees/access.ts";
import { redact } from "../../domain/visibility.ts";

const LESSON_HANDLERS = ["director", "registrar", "instructor"] as const;

type LessonRow = {
  id: string;
  starts_at: Date;
  ends_at: Date;
  status: LessonStatus;
  note: string | null;
  instructor_id: string;
  marked_at: Date | null;
  trainee_id: string;
  last_name: string;
  first_name: string;
  phone: string | null;
  category: string;
  plate: string;
  make_model: string;
  instructor_name: string | null;
};

/** Trainee status and contract, driving lessons, the journal. */
export const trainingRouter = router({
  /** Everything the trainee's page shows beyond the register fields. */
  card: schoolProcedure()
    .input(z.object({ traineeId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const trainee = await ctx.db.trainee.findUnique({
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
      const view = viewOf(ctx);
      const own = (await ownTrainees(ctx.db, view, [trainee.id])).has(trainee.id);
      const [progress, journal] = await Promise.all([
        drivingProgress(ctx.db, ctx.school.id, trainee),
        ctx.db.journalEntry.findMany({
          where: { subjectId: trainee.id },
          orderBy: { seq: "asc" },
          select: { seq: true, at: true, kind: true, data: true, actorUserId: true },
        }),
      ]);
      const actorIds = [
        ...new Set([
          ...trainee.statusChanges.map((c) => c.changedBy),
          ...journal.flatMap((j) => (j.actorUserId ? [j.actorUserId] : [])),
        ]),
      ];
      const actors = await ctx.db.user.findMany({
        where: { id: { in: actorIds } },
        select: { id: true, fullName: true },
      });
      const names = Object.fromEntries(actors.map((a) => [a.id, a.fullName]));
      // The contract, its payments and the medical certificate only for a role that may see them (ADR 026).
      return redact(
        {
          ...trainee,
          contractPriceTiyn: Number(trainee.contractPriceTiyn),
          paidTiyn: Number(trainee.paidTiyn),
          balanceTiyn: Number(trainee.contractPriceTiyn - trainee.paidTiyn),
          payments: trainee.payments.map((p) => ({ ...p, amountTiyn: Number(p.amountTiyn) })),
          progress,
          history: journal.map((j) => ({
            ...j,
            seq: Number(j.seq),
            actor: j.actorUserId ? (names[j.actorUserId] ?? null) : null,
          })),
        },
        view,
        own,
      );
    }),

  changeStatus: schoolProcedure(WRITERS)
    .input(changeStatusInput)
    .mutation(({ ctx, input }) => changeStatus(ctx.db, ctx.school.id, ctx.user.id, input)),

  addPayment: schoolProcedure(WRITERS)
    .input(addPaymentInput)
    .mutation(async ({ ctx, input }) => {
      if (input.paidOn > almatyDate(new Date()))
        throw new AppError("BAD_REQUEST", "training.paymentInFuture", {}, "paidOn");
      const { count } = await ctx.db.trainee.updateMany({
        where: { id: input.traineeId },
        data: { paidTiyn: { increment: input.amountTiyn } },
      });
      if (count === 0) throw new AppError("NOT_FOUND", "notFound");
      const id = randomUUID();
      await ctx.db.traineePayment.create({
        data: {
          id,
          schoolId: ctx.school.id,
          traineeId: input.traineeId,
          amountTiyn: input.amountTiyn,
          paidOn: new Date(`${input.paidOn}T00:00:00Z`),
          note: input.note ?? null,
          createdBy: ctx.user.id,
        },
        select: { id: true },
      });
      await audit(ctx.db, ctx.meta, {
        action: "trainee.payment_added",
        schoolId: ctx.school.id,
        actorUserId: ctx.user.id,
        details: { traineeId: input.traineeId, amountTiyn: input.amountTiyn },
      });
      return { id };
    }),

  lessons: schoolProcedure()
    .input(lessonsInput)
    .query(async ({ ctx, input }) => {
      // An instructor who is nothing else in the school sees their own schedule only.
      const onlyOwn = onlyRole(ctx.school.roles, "instructor");
      // The schedule is the busiest read of a school's day: one query with its joins rather than four.
      const from = almatyToInstant(input.from, "00:00");
      const to = new Date(almatyToInstant(input.to, "00:00").getTime() + 86_400_000);
      const instructorId = onlyOwn ? ctx.user.id : (input.instructorId ?? null);
      const rows = await ctx.db.$queryRaw<LessonRow[]>`
        SELECT l.id, l.starts_at, l.ends_at, l.status::text AS status, l.note, l.instructor_id, l.marked_at,
               t.id AS trainee_id, t.last_name, t.first_name, t.phone, t.category, v.plate, v.make_model, u.full_name AS instructor_name
          FROM driving_lesson l
          JOIN trainee t ON t.id = l.trainee_id
          JOIN vehicle v ON v.id = l.vehicle_id
          LEFT JOIN app_user u ON u.id = l.instructor_id
         WHERE l.starts_at >= ${from} AND l.starts_at < ${to}
           AND (${instructorId}::uuid IS NULL OR l.instructor_id = ${instructorId}::uuid)
           AND (${input.traineeId ?? null}::uuid IS NULL OR l.trainee_id = ${input.traineeId ?? null}::uuid)
         ORDER BY l.starts_at, l.id
         LIMIT 2000`;
      // The trainee's phone for a role that sees it: the office, and the instructor who drives with them (ADR 026).
      const view = viewOf(ctx);
      const own = await ownTrainees(
        ctx.db,
        view,
        rows.map((r) => r.trainee_id),
      );
      return rows.map((r) => ({
        id: r.id,
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        status: r.status,
        note: r.note,
        instructorId: r.instructor_id,
        markedAt: r.marked_at,
        trainee: redact(
          { id: r.trainee_id, lastName: r.last_name, firstName: r.first_name, phone: r.phone, category: r.category },
          view,
          own.has(r.trainee_id),
        ),
        vehicle: { plate: r.plate, makeModel: r.make_model },
        instructorName: r.instructor_name ?? "",
      }));
    }),

  /** What the booking form offers: trainees in training, instructors with their categories, cars in service. */
  bookingOptions: schoolProcedure(WRITERS).query(async ({ ctx }) => {
    const [trainees, instructors, vehicles] = await Promise.all([
      ctx.db.trainee.findMany({
        where: { status: { in: ["enrolled", "training"] } },
        orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
        take: 1000,
        select: { id: true, lastName: true, firstName: true, category: true, gearbox: true },
      }),
      ctx.db.membership.findMany({
        where: { role: "instructor" },
        select: { user: { select: { id: true, fullName: true } } },
      }),
      ctx.db.vehicle.findMany({
        where: { active: true },
        orderBy: { plate: "asc" },
        select: { id: true, plate: true, makeModel: true, category: true, gearbox: true },
      }),
    ]);
    const profiles = await ctx.db.staffProfile.findMany({
      where: { userId: { in: instructors.map((i) => i.user.id) } },
    });
    const cats = Object.fromEntries(profiles.map((p) => [p.userId, p.licenceCategories]));
    return {
      trainees,
      instructors: instructors.map((i) => ({
        id: i.user.id,
        fullName: i.user.fullName,
        categories: cats[i.user.id] ?? [],
      })),
      vehicles,
    };
  }),

  bookLesson: schoolProcedure(WRITERS)
    .input(bookLessonInput)
    .mutation(({ ctx, input }) => bookLesson(ctx.db, ctx.school, { id: ctx.user.id, locale: ctx.locale }, input)),

  markLesson: schoolProcedure(LESSON_HANDLERS)
    .input(markLessonInput)
    .mutation(({ ctx, input }) => markLesson(ctx.db, ctx.school, ctx.user, input)),

  cancelLesson: schoolProcedure(LESSON_HANDLERS)
    .input(cancelLessonInput)
    .mutation(({ ctx, input }) => cancelLesson(ctx.db, ctx.school, { id: ctx.user.id, locale: ctx.locale }, input)),

  /** Sends the trainee a link to their cabinet (their own schedule, hours and balance). */
  inviteTrainee: schoolProcedure(WRITERS)
    .input(z.object({ traineeId: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      const t = await ctx.db.trainee.findUnique({
        where: { id: input.traineeId },
        select: { id: true, email: true, userId: true, firstName: true },
      });
      if (!t) throw new AppError("NOT_FOUND", "notFound");
      if (t.userId) throw new AppError("CONFLICT", "training.cabinetLinked");
      if (!t.email) throw new AppError("BAD_REQUEST", "training.cabinetNoEmail", {}, "email");
      const { token, hash } = newToken();
      await ctx.db.traineeInvite.create({
        data: {
          tokenHash: hash,
          schoolId: ctx.school.id,
          traineeId: t.id,
          email: t.email.toLowerCase(),
          invitedBy: ctx.user.id,
          expiresAt: new Date(Date.now() + 14 * 86_400_000),
        },
        select: { tokenHash: true },
      });
      await enqueue(ctx.db, {
        queue: "mail",
        name: "send",
        jobId: `mail.cabinet.${hash.slice(0, 32)}`,
        payload: {
          to: t.email,
          locale: ctx.locale,
          template: "traineeInvite",
          params: { name: t.firstName, school: ctx.school.name, link: `${config().publicUrl}/cabinet/join/${token}` },
        },
      });
      await audit(ctx.db, ctx.meta, {
        action: "trainee.cabinet_invited",
        schoolId: ctx.school.id,
        actorUserId: ctx.user.id,
        details: { traineeId: t.id },
      });
      return { ok: true as const };
    }),

  /** The inspector's check: is every journal entry still what was written, in an unbroken chain? */
  journalCheck: schoolProcedure(JOURNAL_READERS).query(({ ctx }) => verifyJournal(ctx.db, ctx.school.id)),

  journal: schoolProcedure(JOURNAL_READERS)
    .input(z.object({ before: z.number().int().positive().optional() }))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.journalEntry.findMany({
        where: input.before ? { seq: { lt: BigInt(input.before) } } : {},
        orderBy: { seq: "desc" },
        take: 51,
        select: { seq: true, at: true, kind: true, subjectId: true, data: true, actorUserId: true, hash: true },
      });
      const subjects = await ctx.db.trainee.findMany({
        where: { id: { in: [...new Set(rows.flatMap((r) => (r.subjectId ? [r.subjectId] : [])))] } },
        select: { id: true, lastName: true, firstName: true },
      });
      const names = Object.fromEntries(subjects.map((s) => [s.id, `${s.lastName} ${s.firstName}`]));
      const page = rows
        .slice(0, 50)
        .map((r) => ({ ...r, seq: Number(r.seq), subjectName: r.subjectId ? (names[r.subjectId] ?? null) : null }));
      return { items: page, nextBefore: rows.length > 50 ? page[page.length - 1]!.seq : null };
    }),
});
