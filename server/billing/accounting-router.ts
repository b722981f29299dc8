// The operator's accounting (`admin.accounting.*`): the acts of a month with totals, the month's ЭСФ register as
// XLSX, and a school's reconciliation act as PDF (ADR 041).
import { operatorProcedure, router } from "../trpc.ts";
import { esfRegister, monthActs } from "./accounting.ts";
import { monthInput, schoolRangeInput } from "./accounting-schema.ts";
import { reconciliationDocument } from "./reconciliation.ts";

export const adminAccountingRouter = router({
  acts: operatorProcedure()
    .input(monthInput)
    .query(({ ctx, input }) => monthActs(ctx.db, input.month)),

  esfRegister: operatorProcedure()
    .input(monthInput)
    .query(({ ctx, input }) => esfRegister(ctx.db, input.month, ctx.locale)),

  reconciliation: operatorProcedure()
    .input(schoolRangeInput)
    .query(({ ctx, input }) => reconciliationDocument(ctx.db, input.schoolId, input)),
});
