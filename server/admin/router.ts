import { operatorProcedure, router } from "../trpc.ts";
import { adminBillingRouter } from "../billing/admin-router.ts";
import { adminKaspiRouter } from "../billing/rails/admin-router.ts";
import { adminAccountingRouter } from "../billing/accounting-router.ts";
import { adminContractRouter } from "../contract/admin-router.ts";
import { adminNoticesRouter } from "../notices/admin-router.ts";
import { adminSupportRouter } from "../support/admin-router.ts";
import { adminPrivacyRouter } from "../privacy/admin-router.ts";
import { auditInput, schoolInput, schoolsInput, setSchoolStatusInput, setTrialDaysInput } from "./schema.ts";
import { listSchools, schoolCard, setSchoolStatus } from "./schools.ts";
import { platformSettings, setTrialDays } from "./settings.ts";
import { auditPage } from "./audit-log.ts";
import { SUPER_ADMIN } from "../../domain/roles.ts";

// The operator console. Every procedure runs on the operator role's own connection, whose RLS
// policies let it cross tenants; school requests never get this path.
export const adminRouter = router({
  billing: adminBillingRouter,
  kaspi: adminKaspiRouter,
  accounting: adminAccountingRouter,
  contract: adminContractRouter,
  notices: adminNoticesRouter,
  support: adminSupportRouter,
  privacy: adminPrivacyRouter,

  /** The schools, newest first, by status and a search in name, BIN/IIN or slug. */
  schools: operatorProcedure()
    .input(schoolsInput)
    .query(({ ctx, input }) => listSchools(ctx.db, input)),

  /** One school: members, acceptances, consents and its latest audit entries. */
  school: operatorProcedure()
    .input(schoolInput)
    .query(({ ctx, input }) => schoolCard(ctx.db, input.id)),

  /** Contract 5.2: deactivate a school for a violation, with a reason; reversible. */
  setSchoolStatus: operatorProcedure(SUPER_ADMIN)
    .input(setSchoolStatusInput)
    .mutation(({ ctx, input }) => setSchoolStatus(ctx.db, ctx.user, input, ctx.meta)),

  /** Platform settings the operator controls; for now the trial length new schools get. */
  settings: operatorProcedure().query(({ ctx }) => platformSettings(ctx.db)),

  /** The trial length of schools signing up from now on. */
  setTrialDays: operatorProcedure(SUPER_ADMIN)
    .input(setTrialDaysInput)
    .mutation(({ ctx, input }) => setTrialDays(ctx.db, ctx.user, input.days, ctx.meta)),

  /** The audit log of every school, 50 entries a page. */
  audit: operatorProcedure()
    .input(auditInput)
    .query(({ ctx, input }) => auditPage(ctx.db, input)),
});
