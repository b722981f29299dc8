import { router, schoolProcedure } from "../trpc.ts";
import { WRITERS } from "../../domain/roles.ts";
import {
  absenceInput,
  downtimeInput,
  hoursInput,
  instructorWeekInput,
  memberInput,
  periodId,
  vehicleInput,
  vehicleWeekInput,
} from "./schema.ts";
import {
  addAbsence,
  addDowntime,
  instructorWeek,
  removeAbsence,
  removeDowntime,
  saveHours,
  staffAvailability,
  vehicleAvailability,
  vehicleWeek,
} from "./service.ts";

/** Instructors' working hours and days off, cars' days out of work (docs/decisions/032-working-hours-and-downtime.md). */
export const availabilityRouter = router({
  /** An instructor's hours and days off: the office and inspectors anyone's, an instructor their own. */
  staff: schoolProcedure()
    .input(memberInput)
    .query(({ ctx, input }) => staffAvailability(ctx.db, ctx.school, ctx.user, input)),

  /** Replaces the instructor's week of working hours (none: any time). */
  saveHours: schoolProcedure(WRITERS)
    .input(hoursInput)
    .mutation(({ ctx, input }) => saveHours(ctx.db, ctx.school, ctx.user, input, ctx.meta)),

  addAbsence: schoolProcedure(WRITERS)
    .input(absenceInput)
    .mutation(({ ctx, input }) => addAbsence(ctx.db, ctx.school, ctx.user, input, ctx.meta)),

  /** A period not over yet; past ones stay. */
  removeAbsence: schoolProcedure(WRITERS)
    .input(periodId)
    .mutation(({ ctx, input }) => removeAbsence(ctx.db, ctx.school, ctx.user, input, ctx.meta)),

  /** A car's days out of work. */
  vehicle: schoolProcedure()
    .input(vehicleInput)
    .query(({ ctx, input }) => vehicleAvailability(ctx.db, input)),

  addDowntime: schoolProcedure(WRITERS)
    .input(downtimeInput)
    .mutation(({ ctx, input }) => addDowntime(ctx.db, ctx.school, ctx.user, input, ctx.meta)),

  removeDowntime: schoolProcedure(WRITERS)
    .input(periodId)
    .mutation(({ ctx, input }) => removeDowntime(ctx.db, ctx.school, ctx.user, input, ctx.meta)),

  /** What the week grid shades for one instructor. */
  instructorWeek: schoolProcedure()
    .input(instructorWeekInput)
    .query(({ ctx, input }) => instructorWeek(ctx.db, ctx.school, ctx.user, input)),

  /** What the week grid shades for one car. */
  vehicleWeek: schoolProcedure()
    .input(vehicleWeekInput)
    .query(({ ctx, input }) => vehicleWeek(ctx.db, input)),
});
