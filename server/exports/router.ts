// The school's exports and documents: XLSX registers (trainees, a group for the state exam, the
// driving lessons journal) and PDF documents (the trainee's card, the contract), plus the school's
// editable contract text. Every file comes back as a FileDownload in the user's language (or the
// language asked for), built inside the school's RLS transaction. The registers are reports: they read
// through the reports client (a replica when REPORTS_DATABASE_URL is set). The card and the contract are
// printed right after the trainee is saved, so they read the primary.
import { z } from "zod";
import { reportProcedure, router, schoolProcedure } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { audit } from "../audit/log.ts";
import { CATEGORIES, TRAINEE_STATUSES } from "../../domain/trainees.ts";
import { registerXlsx } from "./register.ts";
import { groupXlsx } from "./group.ts";
import { lessonsXlsx } from "./lessons.ts";
import { traineeCardPdf } from "./card.ts";
import { contractPdf, contractTemplate } from "./contract.ts";
import { viewOf } from "../trainees/access.ts";
import { CONTRACT_ROLES, IDENTITY_DOCUMENT_ROLES } from "../../domain/visibility.ts";
import {
  DEFAULT_TEMPLATES,
  MAX_PLACEHOLDERS,
  MAX_TEMPLATE_CHARS,
  PLACEHOLDERS,
  placeholderCount,
  unknownPlaceholders,
} from "./contract-template.ts";
import { DIRECTOR } from "../../domain/roles.ts";

/**
 * Trainee cards carry the identity: the office and the inspector (who gets the card without the contacts);
 * contracts also the address and the phone: the office only (server/trainees/visibility.ts, ADR 026).
 */
export const DOCUMENT_ROLES = IDENTITY_DOCUMENT_ROLES;

const lang = z.enum(["kk", "ru"], "chooseOne").optional();

const count = (n: number) => n.toLocaleString("ru-RU");
/** A contract text within bounds (every download lays it out): length and placeholders, each refusal saying the limit. */
const templateBody = z
  .string()
  .trim()
  .min(1, "required")
  .superRefine((body, ctx) => {
    if (body.length > MAX_TEMPLATE_CHARS) {
      ctx.addIssue({
        code: "custom",
        message: "exports.templateTooLong",
        params: { max: count(MAX_TEMPLATE_CHARS), length: count(body.length) },
      });
    }
    const placeholders = placeholderCount(body);
    if (placeholders > MAX_PLACEHOLDERS) {
      ctx.addIssue({
        code: "custom",
        message: "exports.tooManyPlaceholders",
        params: { max: MAX_PLACEHOLDERS, count: placeholders, example: "{{trainee.fullName}}" },
      });
    }
  });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "date");

export const exportsRouter = router({
  register: reportProcedure()
    .input(
      z.object({
        status: z.enum(TRAINEE_STATUSES, "chooseOne").optional(),
        category: z.enum(CATEGORIES, "chooseOne").optional(),
        groupId: z.uuid().optional(),
        q: z.string().trim().max(100).optional(),
        lang,
      }),
    )
    .query(({ ctx, input }) => registerXlsx(ctx.db, input.lang ?? ctx.locale, input, viewOf(ctx))),

  groupList: reportProcedure()
    .input(z.object({ id: z.uuid(), lang }))
    .query(({ ctx, input }) => groupXlsx(ctx.db, ctx.school, input.lang ?? ctx.locale, input.id, viewOf(ctx))),

  lessons: reportProcedure()
    .input(z.object({ from: date, to: date, lang }))
    .query(({ ctx, input }) => lessonsXlsx(ctx.db, ctx.school, ctx.user.id, input.lang ?? ctx.locale, input)),

  traineeCard: schoolProcedure(DOCUMENT_ROLES)
    .input(z.object({ id: z.uuid(), lang }))
    .query(({ ctx, input }) => traineeCardPdf(ctx.db, ctx.school, input.lang ?? ctx.locale, input.id, viewOf(ctx))),

  contract: schoolProcedure(CONTRACT_ROLES)
    .input(z.object({ id: z.uuid(), lang }))
    .query(({ ctx, input }) => contractPdf(ctx.db, ctx.school.id, input.lang ?? ctx.locale, input.id)),

  /** The editor: both languages' texts (the school's or the default), and the placeholders allowed. */
  contractTemplates: schoolProcedure(DIRECTOR).query(async ({ ctx }) => {
    const [kk, ru] = await Promise.all([
      contractTemplate(ctx.db, ctx.school.id, "kk"),
      contractTemplate(ctx.db, ctx.school.id, "ru"),
    ]);
    return { kk, ru, placeholders: [...PLACEHOLDERS], defaults: DEFAULT_TEMPLATES };
  }),

  saveContractTemplate: schoolProcedure(DIRECTOR)
    .input(z.object({ locale: z.enum(["kk", "ru"], "chooseOne"), body: templateBody }))
    .mutation(async ({ ctx, input }) => {
      const unknown = unknownPlaceholders(input.body);
      if (unknown.length > 0) {
        throw new AppError(
          "BAD_REQUEST",
          "exports.unknownPlaceholders",
          { names: unknown.map((n) => `{{${n}}}`).join(", ") },
          "body",
        );
      }
      const data = { body: input.body, updatedBy: ctx.user.id, updatedAt: new Date() };
      await ctx.db.contractTemplate.upsert({
        where: { schoolId_locale: { schoolId: ctx.school.id, locale: input.locale } },
        create: { schoolId: ctx.school.id, locale: input.locale, ...data },
        update: data,
        select: { locale: true },
      });
      await audit(ctx.db, ctx.meta, {
        action: "school.updated",
        schoolId: ctx.school.id,
        actorUserId: ctx.user.id,
        details: { contractTemplate: input.locale },
      });
      return { locale: input.locale };
    }),

  /** Back to the default text: the school's own is deleted. */
  resetContractTemplate: schoolProcedure(DIRECTOR)
    .input(z.object({ locale: z.enum(["kk", "ru"], "chooseOne") }))
    .mutation(async ({ ctx, input }) => {
      await ctx.db.contractTemplate.deleteMany({ where: { locale: input.locale } });
      await audit(ctx.db, ctx.meta, {
        action: "school.updated",
        schoolId: ctx.school.id,
        actorUserId: ctx.user.id,
        details: { contractTemplate: input.locale, reset: true },
      });
      return { locale: input.locale };
    }),
});
