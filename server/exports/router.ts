// The school's exports and documents: XLSX registers (trainees, a group for the state exam, the
// driving lessons journal) and PDF documents (the trainee's card, the contract), plus the school's
// editable contract text. Every file comes back as a FileDownload in the user's language (or the
// language asked for), built inside the school's RLS transaction. The registers are reports: they read
// through the reports client (a replica when REPORTS_DATABASE_URL is set). The card and the contract are
// printed right after the trainee is saved, so they read the primary.
import { reportProcedure, router, schoolProcedure } from "../trpc.ts";
import { registerXlsx } from "./register.ts";
import { groupXlsx } from "./group.ts";
import { lessonsXlsx } from "./lessons.ts";
import { traineeCardPdf } from "./card.ts";
import { contractPdf } from "./contract.ts";
import { contractTemplates, resetContractTemplate, saveContractTemplate } from "./contract-text.ts";
import { documentInput, lessonsInput, registerInput, resetTemplateInput, saveTemplateInput } from "./schema.ts";
import { viewOf } from "../trainees/access.ts";
import { CONTRACT_ROLES, IDENTITY_DOCUMENT_ROLES } from "../../domain/visibility.ts";
import { DIRECTOR } from "../../domain/roles.ts";

export const exportsRouter = router({
  register: reportProcedure()
    .input(registerInput)
    .query(({ ctx, input }) => registerXlsx(ctx.db, input.lang ?? ctx.locale, input, viewOf(ctx))),

  groupList: reportProcedure()
    .input(documentInput)
    .query(({ ctx, input }) => groupXlsx(ctx.db, ctx.school, input.lang ?? ctx.locale, input.id, viewOf(ctx))),

  lessons: reportProcedure()
    .input(lessonsInput)
    .query(({ ctx, input }) => lessonsXlsx(ctx.db, ctx.school, ctx.user.id, input.lang ?? ctx.locale, input)),

  /**
   * Trainee cards carry the identity: the office and the inspector (who gets the card without the contacts);
   * contracts also the address and the phone: the office only (domain/visibility.ts, ADR 026).
   */
  traineeCard: schoolProcedure(IDENTITY_DOCUMENT_ROLES)
    .input(documentInput)
    .query(({ ctx, input }) => traineeCardPdf(ctx.db, ctx.school, input.lang ?? ctx.locale, input.id, viewOf(ctx))),

  contract: schoolProcedure(CONTRACT_ROLES)
    .input(documentInput)
    .query(({ ctx, input }) => contractPdf(ctx.db, ctx.school.id, input.lang ?? ctx.locale, input.id)),

  /** The editor: both languages' texts (the school's or the default), and the placeholders allowed. */
  contractTemplates: schoolProcedure(DIRECTOR).query(({ ctx }) => contractTemplates(ctx.db, ctx.school.id)),

  saveContractTemplate: schoolProcedure(DIRECTOR)
    .input(saveTemplateInput)
    .mutation(({ ctx, input }) => saveContractTemplate(ctx.db, ctx.school, ctx.user, ctx.meta, input)),

  /** Back to the default text: the school's own is deleted. */
  resetContractTemplate: schoolProcedure(DIRECTOR)
    .input(resetTemplateInput)
    .mutation(({ ctx, input }) => resetContractTemplate(ctx.db, ctx.school, ctx.user, ctx.meta, input)),
});
