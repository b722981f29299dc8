// The inputs of billing's procedures: the school's billing page and the operator's billing console.
import { z } from "zod";
import { calendarDay } from "../calendar-day.ts";
import { parseTenge } from "../../domain/kz/money.ts";
import { QUEUES } from "../../domain/queues.ts";
import { billingSettingsSchema } from "./rules.ts";
import { requisitesSchema } from "./settings.ts";

const isoDate = calendarDay("invalid");
/** An amount typed in tenge → integer tiyn, more than zero. */
const tenge = z
  .string()
  .trim()
  .transform((v, c) => {
    const t = parseTenge(v);
    if (t === null || t <= 0) {
      c.addIssue({ code: "custom", message: "billing.amount" });
      return z.NEVER;
    }
    return t;
  });
/** "" from an empty form field → no limit. */
const limit = z.preprocess(
  (v) => (v === "" || v === null || v === undefined ? null : v),
  z.coerce.number().int("invalid").min(1, "invalid").max(1_000_000, "invalid").nullable(),
);
const page = z.coerce.number().int().min(0).max(10_000).default(0);

export const idInput = z.object({ id: z.uuid() });

export const changePlanInput = z.object({ planId: z.uuid() });

export const schoolsInput = z.object({
  status: z.enum(["trial", "active", "past_due", "restricted", "suspended", "deactivated"]).optional(),
  q: z.string().trim().max(100).optional(),
});

const invoiceFilter = z.object({
  status: z.enum(["open", "paid", "void", "overdue"]).optional(),
  schoolId: z.uuid().optional(),
  q: z.string().trim().max(60).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** a billing period's month, YYYY-MM */
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "invalid")
    .optional(),
});
export const invoicesInput = invoiceFilter.extend({ page });
export const invoicesExportInput = invoiceFilter;

const paymentFilter = z.object({
  method: z.enum(["card", "bank", "manual", "kaspi"]).optional(),
  schoolId: z.uuid().optional(),
  q: z.string().trim().max(60).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});
export const paymentsInput = paymentFilter.extend({ page });
export const paymentsExportInput = paymentFilter;

export const confirmPaymentInput = z.object({
  invoiceId: z.uuid(),
  amount: tenge,
  receivedOn: isoDate,
  reference: z.string().trim().min(1, "required").max(100, "tooLong"),
  payer: z.string().trim().max(200, "tooLong").optional(),
  note: z.string().trim().max(500, "tooLong").optional(),
});

/** The desk's reasons: a few words at least, kept in the audit log and on the documents. */
const reason = z.string().trim().min(3, "billing.desk.reason").max(500, "tooLong");
/** The key of the form that asked (rendered with the page): a second submit of the same form changes nothing. */
const requestKey = z.uuid();

export const voidInvoiceInput = z.object({ invoiceId: z.uuid(), reason });

export const refundPaymentInput = z.object({
  paymentId: z.uuid(),
  amount: tenge,
  reference: z.string().trim().max(100, "tooLong").optional(),
  reason: z.string().trim().max(500, "tooLong").optional(),
  requestKey,
});

export const creditNoteInput = z.object({ invoiceId: z.uuid(), amount: tenge, reason, requestKey });

export const uploadStatementInput = z.object({
  fileName: z.string().trim().min(1, "required").max(200),
  base64: z.base64("invalid").max(14_000_000, "billing.statement.tooBig"),
});

/** An unmatched receipt of a statement (the document starting at `line`) assigned to an invoice by hand. */
export const assignStatementDocumentInput = z.object({
  id: z.uuid(),
  line: z.coerce.number().int("invalid").min(1, "invalid").max(10_000_000, "invalid"),
  invoiceNumber: z.string().trim().min(1, "required").max(40, "tooLong"),
});

export const setAccessInput = z.object({
  schoolId: z.uuid(),
  action: z.enum(["suspend", "restore"]),
  reason: z.string().trim().min(3, "required").max(500, "tooLong"),
});

/** The operator changes a school's plan (ADR 043): the same rules as the director's change, with a reason. */
export const operatorChangePlanInput = z.object({
  schoolId: z.uuid(),
  planId: z.uuid(),
  reason: z.string().trim().min(3, "billing.desk.reason").max(500, "tooLong"),
});

/** What each plan would cost the school and from when (the plan chooser of the operator's school card). */
export const schoolIdInput = z.object({ schoolId: z.uuid() });

export const publishTariffInput = z.object({
  planId: z.uuid(),
  price: tenge,
  period: z.enum(["month", "year"]),
  maxTrainees: limit,
  maxStaff: limit,
  effectiveFrom: isoDate,
});

export const saveSettingsInput = z.object({ settings: billingSettingsSchema, requisites: requisitesSchema });

export const retryJobInput = z.object({ queue: z.enum(QUEUES), jobId: z.string().min(1).max(200) });
