import { randomUUID } from "node:crypto";
import { z } from "zod";
import { schoolProcedure } from "../trpc.ts";
import { WRITERS } from "../../domain/roles.ts";
import { AppError, uniqueViolationFields } from "../errors.ts";
import { expiryOf, todayInAlmaty, toDbDate, vehicleFields } from "./schema.ts";
import { isoDayOrNull } from "../../domain/kz/time.ts";

type VehicleRow = {
  id: string;
  plate: string;
  makeModel: string;
  category: string;
  gearbox: "manual" | "automatic";
  dualControls: boolean;
  insuranceValidUntil: Date | null;
  inspectionValidUntil: Date | null;
  active: boolean;
  createdAt: Date;
};

function shape(v: VehicleRow, today: string) {
  const insuranceValidUntil = isoDayOrNull(v.insuranceValidUntil);
  const inspectionValidUntil = isoDayOrNull(v.inspectionValidUntil);
  return {
    id: v.id,
    plate: v.plate,
    makeModel: v.makeModel,
    category: v.category,
    gearbox: v.gearbox,
    dualControls: v.dualControls,
    active: v.active,
    insuranceValidUntil,
    inspectionValidUntil,
    insurance: expiryOf(insuranceValidUntil, today),
    inspection: expiryOf(inspectionValidUntil, today),
    createdAt: v.createdAt,
  };
}

function toData(input: z.infer<typeof vehicleFields>) {
  return {
    plate: input.plate,
    makeModel: input.makeModel,
    category: input.category,
    gearbox: input.gearbox,
    dualControls: input.dualControls,
    insuranceValidUntil: toDbDate(input.insuranceValidUntil),
    inspectionValidUntil: toDbDate(input.inspectionValidUntil),
    active: input.active,
  };
}

function plateTaken(e: unknown): never {
  if (uniqueViolationFields(e)) throw new AppError("CONFLICT", "resources.plateTaken", {}, "plate");
  throw e;
}

export const vehicleProcedures = {
  /** The fleet, active first, with insurance and inspection flags as of today in Almaty. */
  vehicles: schoolProcedure().query(async ({ ctx }) => {
    const rows = await ctx.db.vehicle.findMany({ orderBy: [{ active: "desc" }, { plate: "asc" }] });
    const today = todayInAlmaty();
    return rows.map((v) => shape(v, today));
  }),

  vehicle: schoolProcedure()
    .input(z.object({ id: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const v = await ctx.db.vehicle.findUnique({ where: { id: input.id } });
      if (!v) throw new AppError("NOT_FOUND", "notFound");
      return shape(v, todayInAlmaty());
    }),

  createVehicle: schoolProcedure(WRITERS)
    .input(vehicleFields)
    .mutation(async ({ ctx, input }) => {
      const id = randomUUID();
      await ctx.db.vehicle
        .create({ data: { id, schoolId: ctx.school.id, ...toData(input) }, select: { id: true } })
        .catch(plateTaken);
      return { id, plate: input.plate };
    }),

  updateVehicle: schoolProcedure(WRITERS)
    .input(z.object({ id: z.uuid(), data: vehicleFields }))
    .mutation(async ({ ctx, input }) => {
      // RLS hides other schools' cars: their id updates nothing and reads as "not found".
      const { count } = await ctx.db.vehicle
        .updateMany({ where: { id: input.id }, data: toData(input.data) })
        .catch(plateTaken);
      if (count === 0) throw new AppError("NOT_FOUND", "notFound");
      return { id: input.id, plate: input.data.plate };
    }),
};
