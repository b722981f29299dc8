import { router, schoolProcedure } from "../trpc.ts";
import { DIRECTOR } from "../../domain/roles.ts";
import { saveSchoolKaspi, saveSchoolKaspiInput, schoolKaspiView } from "./kaspi-settings.ts";
import { tuitionDebtors, tuitionDebtorsXlsx } from "./debtors.ts";
import { CONTRACT_ROLES } from "../../domain/visibility.ts";

/** Trainees' tuition beyond the trainee card: the school's own Kaspi payee (ADR 042). */
export const tuitionRouter = router({
  /** Who owes what: overdue, due now, the next date; the office's (contract money), most overdue first. */
  debtors: schoolProcedure(CONTRACT_ROLES).query(({ ctx }) => tuitionDebtors(ctx.db, ctx.locale)),

  /** The same list as XLSX. */
  debtorsXlsx: schoolProcedure(CONTRACT_ROLES).query(({ ctx }) => tuitionDebtorsXlsx(ctx.db, ctx.locale)),

  /** The school's Kaspi payee for tuition as the director's settings show it (never the secret). */
  kaspiSettings: schoolProcedure(DIRECTOR).query(({ ctx }) => schoolKaspiView(ctx.db, ctx.school)),

  /** Sets the school's Kaspi secret (kept hashed) and the addresses Kaspi calls from. */
  saveKaspiSettings: schoolProcedure(DIRECTOR)
    .input(saveSchoolKaspiInput)
    .mutation(({ ctx, input }) => saveSchoolKaspi(ctx.db, ctx.school, ctx.user, input, ctx.meta)),
});
