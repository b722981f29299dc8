// Internal exams, eligibility for the state exam, certificates of completion.
import { router, schoolProcedure } from "../trpc.ts";
import { RESULT_WRITERS, WRITERS } from "../../domain/roles.ts";
import {
  cancelInput,
  certificateListInput,
  correctResultInput,
  eligibilityGroupInput,
  enterResultInput,
  idInput,
  issueInput,
  listResultsInput,
  registerInput,
  traineeIdInput,
} from "./schema.ts";
import { correctResult, enterResult, listResults, resultOptions } from "./results.ts";
import { certificateCandidates, groupEligibility, traineeEligibility } from "./readiness.ts";
import {
  cancelCertificate,
  certificatePdf,
  findCertificates,
  getCertificate,
  issueCertificate,
  registerXlsx,
} from "./certificates.ts";
import { viewOf } from "../trainees/access.ts";
import { IDENTITY_DOCUMENT_ROLES } from "../../domain/visibility.ts";

export const examsRouter = router({
  /** What the results form offers: trainees in training or exams, and which kinds the caller may enter. */
  options: schoolProcedure(RESULT_WRITERS).query(({ ctx }) => resultOptions(ctx.db, ctx.school, ctx.locale)),

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
    .input(traineeIdInput)
    .query(({ ctx, input }) => traineeEligibility(ctx.db, ctx.school, ctx.user, input)),

  /** A group (or everyone in training or exams): each trainee's gaps and a summary count. */
  groupEligibility: schoolProcedure()
    .input(eligibilityGroupInput)
    .query(({ ctx, input }) => groupEligibility(ctx.db, ctx.school, ctx.user, input, ctx.locale)),

  /** The register of certificates (a search by digits looks for a certificate number, never an IIN). */
  certificates: schoolProcedure()
    .input(certificateListInput)
    .query(({ ctx, input }) => findCertificates(ctx.db, ctx.school, ctx.user, input)),

  certificate: schoolProcedure()
    .input(idInput)
    .query(({ ctx, input }) => getCertificate(ctx.db, ctx.school, ctx.user, input)),

  /** Trainees a certificate could go to (status exams or graduated, without an active one), with their check. */
  issueOptions: schoolProcedure(WRITERS).query(({ ctx }) => certificateCandidates(ctx.db, ctx.school.id, ctx.locale)),

  issue: schoolProcedure(WRITERS)
    .input(issueInput)
    .mutation(({ ctx, input }) => issueCertificate(ctx.db, ctx.school, ctx.user.id, ctx.locale, input)),

  cancel: schoolProcedure(WRITERS)
    .input(cancelInput)
    .mutation(({ ctx, input }) => cancelCertificate(ctx.db, ctx.school, ctx.user.id, input)),

  /** The certificate carries the IIN: a document of the office and the inspector, as the trainee's card (ADR 026). */
  certificatePdf: schoolProcedure(IDENTITY_DOCUMENT_ROLES)
    .input(idInput)
    .query(({ ctx, input }) => certificatePdf(ctx.db, ctx.school, ctx.locale, input.id)),

  registerXlsx: schoolProcedure()
    .input(registerInput)
    .query(({ ctx, input }) => registerXlsx(ctx.db, ctx.locale, input.status, viewOf(ctx))),
});
