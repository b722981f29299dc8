// The school's billing page (director): the plan and access period, invoices, payments and acts, paying
// by card (Stripe Checkout) or by bank transfer against an invoice, and changing the plan. These
// procedures work in every access state — a suspended school can always reach billing and pay.
import { router, schoolProcedure } from "../trpc.ts";
import { DIRECTOR } from "../../domain/roles.ts";
import { openDocument } from "../notices/documents.ts";
import { changePlanInput, idInput } from "./schema.ts";
import { billingOverview } from "./overview.ts";
import { cardCheckout, invoicePdf, issueInvoiceAhead } from "./invoices.ts";
import { changePlan } from "./plans.ts";
import { kaspiForSchool } from "./rails/views.ts";
import { rangeInput } from "./accounting-schema.ts";
import { reconciliationDocument } from "./reconciliation.ts";

const billingProcedure = schoolProcedure(DIRECTOR, { always: true });

export const billingRouter = router({
  /** The billing page: plan, paid-through date, debt, usage and limits, plans, requisites, invoices, payments, acts. */
  overview: billingProcedure.query(({ ctx }) => billingOverview(ctx.db, ctx.school)),

  /** Pay ahead: issues the next period's invoice now instead of waiting for the daily run. */
  issueInvoice: billingProcedure.mutation(({ ctx }) => issueInvoiceAhead(ctx.school.id)),

  /** Card payment: a Stripe Checkout session for an open invoice; the webhook, not the redirect, confirms it. */
  checkout: billingProcedure
    .input(idInput)
    .mutation(({ ctx, input }) =>
      cardCheckout(ctx.db, ctx.school, { email: ctx.user.email, locale: ctx.locale }, input),
    ),

  /** Paying through Kaspi: whether it is on, the service to find in the app, the BIN to enter. */
  kaspi: billingProcedure.query(({ ctx }) => kaspiForSchool(ctx.db, ctx.school)),

  /** An invoice as a PDF. */
  invoicePdf: billingProcedure.input(idInput).query(({ ctx, input }) => invoicePdf(ctx.db, input)),

  /** The reconciliation act with the operator for a date range, as PDF (ADR 041). */
  reconciliation: billingProcedure
    .input(rangeInput)
    .query(({ ctx, input }) => reconciliationDocument(ctx.db, ctx.school.id, input)),

  /** An act (or any document of the cabinet); its first opening is recorded (offer 10.8). */
  document: billingProcedure
    .input(idInput)
    .query(({ ctx, input }) => openDocument(ctx.db, ctx.school, ctx.user, input)),

  /**
   * Another plan (ADR 043): an upgrade at once, the days already invoiced charged the difference pro rata by an
   * invoice of its own; a downgrade from the first day not yet invoiced; choosing the current plan again calls a
   * waiting downgrade off. A plan too small for the school's trainees or staff is refused with the numbers.
   */
  changePlan: billingProcedure
    .input(changePlanInput)
    .mutation(({ ctx, input }) => changePlan(ctx.school, ctx.user, ctx.meta, input)),
});
