// The school's fleet: cars with their insurance and inspection dates.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import { AppError, uniqueViolationFields } from "../errors.ts";
import { type byId, expiryOf, toDbDate, type updateVehicleInput, type vehicleFields } from "./schema.ts";
import { almatyDate, isoDayOrNull } from "../../domain/kz/time.ts";

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

/** The fleet, active first, with insurance and inspection flags as of today in Almaty. */
export async function listVehicles(tx: Tx) {
  const rows = await tx.vehicle.findMany({ orderBy: [{ active: "desc" }, { plate: "asc" }] });
  const today = almatyDate(new Date());
  return rows.map((v) => shape(v, today));
}

export async function vehicleById(tx: Tx, input: z.infer<typeof byId>) {
  const v = await tx.vehicle.findUnique({ where: { id: input.id } });
  if (!v) throw new AppError("NOT_FOUND", "notFound");
  return shape(v, almatyDate(new Date()));
}

export async function createVehicle(tx: Tx, schoolId: string, input: z.infer<typeof vehicleFields>) {
  const id = randomUUID();
  await tx.vehicle.create({ data: { id, schoolId, ...toData(input) }, select: { id: true } }).catch(plateTaken);
  return { id, plate: input.plate };
}

export async function updateVehicle(tx: Tx, input: z.infer<typeof updateVehicleInput>) {
  // RLS hides other schools' cars: their id updates nothing and reads as "not found".
  const { count } = await tx.vehicle
    .updateMany({ where: { id: input.id }, data: toData(input.data) })
    .catch(plateTaken);
  if (count === 0) throw new AppError("NOT_FOUND", "notFound");
  return { id: input.id, plate: input.data.plate };
}
