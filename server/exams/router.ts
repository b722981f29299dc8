// Internal exams, eligibility for the state exam, certificates of completion.
import { z } from "zod";
import { router, schoolProcedure } from "../trpc.ts";
import { RESULT_WRITERS, WRITERS } from "../../domain/roles.ts";
import { AppError } from "../errors.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";
import {
  cancelInput,
  certificateListInput,
  correctResultInput,
  eligibilityGroupInput,
  enterResultInput,
  issueInput,
  listResultsInput,
} from "./schema.ts";
import { correctResult, enterResult, listResults, mayWrite } from "./results.ts";
import { eligibility, factsSelect, loadFacts } from "./eligibility.ts";
import { cancelCertificate, certificatePdf, issueCertificate, listCertificates, registerXlsx } from "./certificates.ts";
import { PRACTICAL_DEFAULT_MAX_PENALTY, THEORY_PASS, THEORY_QUESTIONS } from "./rules.ts";
import { ownTrainees, viewOf } from "../trainees/access.ts";
import { IDENTITY_DOCUMENT_ROLES, redact } from "../../domain/visibility.ts";
import { shownCertificate, shownEligibility } from "./minimise.ts";

const MAX_ROWS = 500;

const rowSelect = {
  ...factsSelect,
  lastName: true,
  firstName: true,
  middleName: true,
  iin: true,
  status: true,
  groupId: true,
} as const;

export const examsRouter = router({
  /** What the results form offers: trainees in training or exams, and which kinds the caller may enter. */
  options: schoolProcedure(RESULT_WRITERS).query(async ({ ctx }) => {
    const trainees = await ctx.db.trainee.findMany({
      where: { status: { in: ["training", "exams"] } },
      orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
      take: 2000,
      select: { id: true, lastName: true, firstName: true, category: true, status: true },
    });
    return {
      trainees,
      kinds: (["theory", "practical"] as const).filter((k) => mayWrite(ctx.school.roles, k)),
      rules: {
        theoryQuestions: THEORY_QUESTIONS,
        theoryPass: THEORY_PASS,
        practicalMaxPenalty: PRACTICAL_DEFAULT_MAX_PENALTY,
      },
    };
  }),

  results: schoolProcedure()
    .input(listResultsInput)
    .query(({ ctx, input }) => listResults(ctx.db, input)),

  enterResult: schoolProcedure(RESULT_WRITERS)
    .input(enterResultInput)
    .mutation(({ ctx, input }) => enterResult(ctx.db, ctx.school, ctx.user.id, input)),

  correctResult: schoolProcedure(RESULT_WRITERS)
    .input(correctResultInput)
    .mutation(({ ctx, input }) => correctResult(ctx.db, ctx.school, ctx.user.id, input)),

  /** One trainee: eligible, or exactly what is missing. */
  eligibility: schoolProcedure()
    .input(z.object({ traineeId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const trainee = await ctx.db.trainee.findUnique({ where: { id: input.traineeId }, select: rowSelect });
      if (!trainee) throw new AppError("NOT_FOUND", "notFound");
      const today = almatyDate(new Date());
      const facts = (await loadFacts(ctx.db, ctx.school.id, [trainee], today)).get(trainee.id)!;
      const view = viewOf(ctx);
      const own = (await ownTrainees(ctx.db, view, [trainee.id])).has(trainee.id);
      return { today, ...shownEligibility(view, facts, eligibility(facts), own) };
    }),

  /** A group (or everyone in training or exams): each trainee's gaps and a summary count. */
  groupEligibility: schoolProcedure()
    .input(eligibilityGroupInput)
    .query(async ({ ctx, input }) => {
      const where: Prisma.TraineeWhereInput = input.groupId
        ? { groupId: input.groupId, status: { in: ["enrolled", "training", "exams"] } }
        : { status: { in: ["training", "exams"] } };
      const [groups, trainees, total] = await Promise.all([
        ctx.db.studyGroup.findMany({
          orderBy: [{ startsOn: "desc" }],
          take: 300,
          select: { id: true, number: true, category: true, startsOn: true, endsOn: true },
        }),
        ctx.db.trainee.findMany({
          where,
          orderBy: [{ lastName: "asc" }, { firstName: "asc" }, { id: "asc" }],
          take: MAX_ROWS,
          select: rowSelect,
        }),
        ctx.db.trainee.count({ where }),
      ]);
      const today = almatyDate(new Date());
      const facts = await loadFacts(ctx.db, ctx.school.id, trainees, today);
      const view = viewOf(ctx);
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
    }),

  certificates: schoolProcedure()
    .input(certificateListInput)
    .query(async ({ ctx, input }) => {
      // (a search by digits looks for a certificate number, never an IIN)
      const view = viewOf(ctx);
      return (await listCertificates(ctx.db, input)).map((c) => shownCertificate(view, c));
    }),

  certificate: schoolProcedure()
    .input(z.object({ id: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const [cert] = await listCertificates(ctx.db, { status: "all", id: input.id });
      if (!cert) throw new AppError("NOT_FOUND", "notFound");
      return shownCertificate(viewOf(ctx), cert);
    }),

  /** Trainees a certificate could go to (status exams or graduated, without an active one), with their check. */
  issueOptions: schoolProcedure(WRITERS).query(async ({ ctx }) => {
    const trainees = await ctx.db.trainee.findMany({
      where: { status: { in: ["exams", "graduated"] } },
      orderBy: [{ lastName: "asc" }, { firstName: "asc" }],
      take: MAX_ROWS,
      select: rowSelect,
    });
    const active = await ctx.db.certificate.findMany({
      where: { cancelledAt: null, traineeId: { in: trainees.map((t) => t.id) } },
      select: { traineeId: true, category: true },
    });
    const has = new Set(active.map((a) => `${a.traineeId}/${a.category}`));
    const open = trainees.filter((t) => !has.has(`${t.id}/${t.category}`));
    const facts = await loadFacts(ctx.db, ctx.school.id, open, almatyDate(new Date()));
    return open.map((t) => ({
      id: t.id,
      lastName: t.lastName,
      firstName: t.firstName,
      category: t.category,
      status: t.status,
      eligible: eligibility(facts.get(t.id)!).eligible,
    }));
  }),

  issue: schoolProcedure(WRITERS)
    .input(issueInput)
    .mutation(({ ctx, input }) => issueCertificate(ctx.db, ctx.school, ctx.user.id, ctx.locale, input)),

  cancel: schoolProcedure(WRITERS)
    .input(cancelInput)
    .mutation(({ ctx, input }) => cancelCertificate(ctx.db, ctx.school, ctx.user.id, input)),

  /** The certificate carries the IIN: a document of the office and the inspector, as the trainee's card (ADR 026). */
  certificatePdf: schoolProcedure(IDENTITY_DOCUMENT_ROLES)
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => certificatePdf(ctx.db, ctx.school, ctx.locale, input.id)),

  registerXlsx: schoolProcedure()
    .input(z.object({ status: z.enum(["all", "active", "cancelled"]).default("all") }))
    .query(({ ctx, input }) => registerXlsx(ctx.db, ctx.locale, input.status, viewOf(ctx))),
});
