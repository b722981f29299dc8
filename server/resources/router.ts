import { router, schoolProcedure } from "../trpc.ts";
import { DIRECTOR, WRITERS } from "../../domain/roles.ts";
import {
  assignInput,
  byId,
  groupCandidatesInput,
  groupFields,
  groupListInput,
  programmeInput,
  programmeKey,
  staffMember,
  staffProfileInput,
  updateGroupInput,
  updateVehicleInput,
  vehicleFields,
} from "./schema.ts";
import { listProgrammes, resetProgramme, updateProgramme } from "./programmes.ts";
import { assignToGroup, createGroup, groupCandidates, groupWithTrainees, listGroups, updateGroup } from "./groups.ts";
import { createVehicle, listVehicles, updateVehicle, vehicleById } from "./vehicles.ts";
import { listInstructors, staffProfile, updateStaffProfile } from "./staff-profiles.ts";

/** Programmes, groups, vehicles and staff profiles: the school's training resources. */
export const resourcesRouter = router({
  // Programmes

  /** Every category × gearbox with a template: the school's own copy when it has one, else the template. */
  programmes: schoolProcedure().query(({ ctx }) => listProgrammes(ctx.db, ctx.school.id)),

  /** The director adjusts the school's copy; the subjects' hours must add up to the theory hours. */
  updateProgramme: schoolProcedure(DIRECTOR)
    .input(programmeInput)
    .mutation(({ ctx, input }) => updateProgramme(ctx.db, ctx.school.id, input)),

  /** Back to the template: the school's copy is deleted. */
  resetProgramme: schoolProcedure(DIRECTOR)
    .input(programmeKey)
    .mutation(({ ctx, input }) => resetProgramme(ctx.db, ctx.school.id, input)),

  // Groups

  /** The school's groups with their teacher and number of trainees. */
  groups: schoolProcedure()
    .input(groupListInput)
    .query(({ ctx, input }) => listGroups(ctx.db, input)),

  /** One group with its trainees, as the caller's role sees them. */
  group: schoolProcedure()
    .input(byId)
    .query(({ ctx, input }) => groupWithTrainees(ctx.db, ctx.school, ctx.user, input, ctx.locale)),

  /** Who could join the group: trainees of its category, without a group (or found by IIN/name). */
  groupCandidates: schoolProcedure()
    .input(groupCandidatesInput)
    .query(({ ctx, input }) => groupCandidates(ctx.db, ctx.school, ctx.user, input, ctx.locale)),

  createGroup: schoolProcedure(WRITERS)
    .input(groupFields)
    .mutation(({ ctx, input }) => createGroup(ctx.db, ctx.school.id, input)),

  updateGroup: schoolProcedure(WRITERS)
    .input(updateGroupInput)
    .mutation(({ ctx, input }) => updateGroup(ctx.db, ctx.school.id, input)),

  /** Moves trainees into a group (or out of any, with null), one group at a time, of their own category. */
  assignToGroup: schoolProcedure(WRITERS)
    .input(assignInput)
    .mutation(({ ctx, input }) => assignToGroup(ctx.db, ctx.school, ctx.user, input, ctx.meta)),

  // Vehicles

  /** The fleet, active first, with insurance and inspection flags as of today in Almaty. */
  vehicles: schoolProcedure().query(({ ctx }) => listVehicles(ctx.db)),

  vehicle: schoolProcedure()
    .input(byId)
    .query(({ ctx, input }) => vehicleById(ctx.db, input)),

  createVehicle: schoolProcedure(WRITERS)
    .input(vehicleFields)
    .mutation(({ ctx, input }) => createVehicle(ctx.db, ctx.school.id, input)),

  updateVehicle: schoolProcedure(WRITERS)
    .input(updateVehicleInput)
    .mutation(({ ctx, input }) => updateVehicle(ctx.db, input)),

  // Staff profiles

  /** A member's licence categories and instructor certificate in this school. */
  staffProfile: schoolProcedure()
    .input(staffMember)
    .query(({ ctx, input }) => staffProfile(ctx.db, ctx.school.id, input)),

  /** For teachers and instructors; the person must work in this school. */
  updateStaffProfile: schoolProcedure(WRITERS)
    .input(staffProfileInput)
    .mutation(({ ctx, input }) => updateStaffProfile(ctx.db, ctx.school.id, input)),

  /** The school's driving instructors with their categories and certificate expiry (for lesson booking). */
  instructors: schoolProcedure().query(({ ctx }) => listInstructors(ctx.db, ctx.school.id, ctx.locale)),
});
