// The operator's billing console (`admin.billing.*`): schools' plans and debts, invoices and payments
// with filters, payments confirmed by hand, bank statement import, manual suspend/restore with a reason,
// tariffs and their versions (7 days' notice), the billing settings and requisites, and the queues.
import { operatorProcedure, router } from "../trpc.ts";
import {
  assignStatementDocumentInput,
  confirmPaymentInput,
  creditNoteInput,
  idInput,
  invoicesExportInput,
  operatorChangePlanInput,
  schoolIdInput,
  invoicesInput,
  paymentsExportInput,
  paymentsInput,
  publishTariffInput,
  refundPaymentInput,
  retryJobInput,
  saveSettingsInput,
  schoolsInput,
  setAccessInput,
  uploadStatementInput,
  voidInvoiceInput,
} from "./schema.ts";
import { billingDocument, invoiceCard, issueCreditNote, refundPayment, voidInvoiceByOperator } from "./invoice-desk.ts";
import { schoolAccounts, setAccess } from "./accounts.ts";
import { invoicePdf, listInvoices } from "./invoices.ts";
import {
  applyBankStatement,
  confirmPayment,
  importStatement,
  listPayments,
  recentStatements,
} from "./payments-desk.ts";
import { assignStatementDocument, previewStatement } from "./statement.ts";
import { invoicesXlsx, paymentsXlsx } from "./list-exports.ts";
import { publishTariff, tariffCatalogue } from "./plans.ts";
import { changeSchoolPlan, schoolPlanChoices } from "./plan-change.ts";
import { saveBillingSettings, settingsAndRequisites } from "./settings.ts";
import { queueOverview, retryFailedJob, runBillingToday } from "./job-queues.ts";
import { BILLING_OPS, SUPER_ADMIN } from "../../domain/roles.ts";

const billingOps = operatorProcedure(BILLING_OPS);

export const adminBillingRouter = router({
  /** Schools with plan, access state, paid-through date and debt (open invoices past their due date). */
  schools: operatorProcedure()
    .input(schoolsInput)
    .query(({ ctx, input }) => schoolAccounts(ctx.db, input)),

  invoices: operatorProcedure()
    .input(invoicesInput)
    .query(({ ctx, input }) => listInvoices(ctx.db, input)),

  payments: operatorProcedure()
    .input(paymentsInput)
    .query(({ ctx, input }) => listPayments(ctx.db, input)),

  /** The invoices the list's filters pick, as XLSX (headers in the operator's language). */
  invoicesXlsx: operatorProcedure()
    .input(invoicesExportInput)
    .query(({ ctx, input }) => invoicesXlsx(ctx.db, ctx.locale, input)),

  /** The payments the list's filters pick, as XLSX. */
  paymentsXlsx: operatorProcedure()
    .input(paymentsExportInput)
    .query(({ ctx, input }) => paymentsXlsx(ctx.db, ctx.locale, input)),

  /** One invoice: header, payments and refunds, documents (acts, credit notes), history. */
  invoice: operatorProcedure()
    .input(idInput)
    .query(({ ctx, input }) => invoiceCard(ctx.db, input)),

  /** Void an open invoice with a reason (a paid one is refunded instead). */
  voidInvoice: billingOps
    .input(voidInvoiceInput)
    .mutation(({ ctx, input }) => voidInvoiceByOperator(ctx.db, ctx.user, ctx.meta, input)),

  /** Refund a payment, whole or part (a card one through Stripe), never more than is left of it; once per form. */
  refundPayment: billingOps
    .input(refundPaymentInput)
    .mutation(({ ctx, input }) => refundPayment(ctx.db, ctx.user, ctx.meta, input)),

  /** A credit note against an invoice: a document in the school's cabinet and credit on its balance; once per form. */
  creditNote: billingOps
    .input(creditNoteInput)
    .mutation(({ ctx, input }) => issueCreditNote(ctx.db, ctx.user, ctx.meta, input)),

  /** An act or a credit note of a school's cabinet as PDF. */
  documentPdf: operatorProcedure()
    .input(idInput)
    .query(({ ctx, input }) => billingDocument(ctx.db, input)),

  invoicePdf: operatorProcedure()
    .input(idInput)
    .query(({ ctx, input }) => invoicePdf(ctx.db, input)),

  /** A bank transfer confirmed by hand (the operator saw it in the bank): applied like any payment. */
  confirmPayment: billingOps
    .input(confirmPaymentInput)
    .mutation(({ ctx, input }) => confirmPayment(ctx.db, ctx.user, ctx.meta, input)),

  uploadStatement: billingOps
    .input(uploadStatementInput)
    .mutation(({ ctx, input }) => importStatement(ctx.db, ctx.user, input)),

  statement: operatorProcedure()
    .input(idInput)
    .query(({ ctx, input }) => previewStatement(ctx.db, input.id)),

  statements: operatorProcedure().query(({ ctx }) => recentStatements(ctx.db)),

  applyStatement: billingOps
    .input(idInput)
    .mutation(({ ctx, input }) => applyBankStatement(ctx.db, ctx.user, ctx.meta, input)),

  /** An unmatched receipt of a statement assigned to an invoice by hand (once: the document's key is unique). */
  assignStatementDocument: billingOps
    .input(assignStatementDocumentInput)
    .mutation(({ ctx, input }) => assignStatementDocument(ctx.db, ctx.user, ctx.meta, input)),

  /** Suspend (contract 4.2.6) or restore a school by hand, with a reason. */
  setAccess: billingOps
    .input(setAccessInput)
    .mutation(({ ctx, input }) => setAccess(ctx.db, ctx.user, ctx.meta, input)),

  /** A school's plan, the change waiting, and what each other plan would cost and from when (ADR 043). */
  planChoices: billingOps.input(schoolIdInput).query(({ ctx, input }) => schoolPlanChoices(ctx.db, input.schoolId)),

  /** The operator changes a school's plan, with a reason the school is told (the director's rules, ADR 043). */
  changePlan: billingOps.input(operatorChangePlanInput).mutation(({ ctx, input }) =>
    changeSchoolPlan(input.schoolId, ctx.user, ctx.meta, {
      planId: input.planId,
      reason: input.reason,
      byOperator: true,
    }),
  ),

  tariffs: operatorProcedure().query(({ ctx }) => tariffCatalogue(ctx.db)),

  /**
   * A new version of a plan: price, period and limits from a date at least 7 calendar days after today
   * (offer 10.2–10.4 — the notice itself is sent by the offer-change work). Invoices for periods starting
   * on or after that date are priced by it.
   */
  publishTariff: operatorProcedure(SUPER_ADMIN)
    .input(publishTariffInput)
    .mutation(({ ctx, input }) => publishTariff(ctx.db, ctx.user, ctx.meta, input)),

  settings: operatorProcedure().query(({ ctx }) => settingsAndRequisites(ctx.db)),

  saveSettings: operatorProcedure(SUPER_ADMIN)
    .input(saveSettingsInput)
    .mutation(({ ctx, input }) => saveBillingSettings(ctx.db, ctx.user, ctx.meta, input)),

  /** The BullMQ queues: counts, and the failed jobs with their errors. */
  queues: operatorProcedure().query(() => queueOverview()),

  retryJob: operatorProcedure(SUPER_ADMIN)
    .input(retryJobInput)
    .mutation(({ ctx, input }) => retryFailedJob(ctx.db, ctx.user, ctx.meta, input)),

  /** Runs today's billing now (the same job the 06:00 scheduler adds; one per day and id). */
  runToday: billingOps.mutation(({ ctx }) => runBillingToday(ctx.db, ctx.user, ctx.meta)),
});
