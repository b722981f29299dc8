// Fit checks shared by the cabinet's free-slot grid and its booking: the same rules bookLesson
// (server/training/lessons.ts) applies for a registrar, as small pure functions.
import { isoDayOrNull } from "../../domain/kz/time.ts";

export type FitVehicle = {
  id: string;
  plate: string;
  category: string;
  gearbox: string;
  active: boolean;
  insuranceValidUntil: Date | null;
  inspectionValidUntil: Date | null;
};

/** A car the trainee may drive on `date`: active, their category and gearbox, insurance and inspection valid. */
export function vehicleFitsOn(v: FitVehicle, trainee: { category: string; gearbox: string }, date: string): boolean {
  if (!v.active || v.category !== trainee.category || v.gearbox !== trainee.gearbox) return false;
  const insurance = isoDayOrNull(v.insuranceValidUntil);
  const inspection = isoDayOrNull(v.inspectionValidUntil);
  return !(insurance && insurance < date) && !(inspection && inspection < date);
}

export type FitInstructor = { isInstructor: boolean; licenceCategories: string[]; certValidUntil: Date | null };

/** The instructor may teach the trainee's category on `date` (still an instructor here, certificate valid). */
export function instructorFitsOn(i: FitInstructor, category: string, date: string): boolean {
  if (!i.isInstructor || !i.licenceCategories.includes(category)) return false;
  const cert = isoDayOrNull(i.certValidUntil);
  return !(cert && cert < date);
}

/** Two half-open ranges overlap. */
export const overlaps = (a0: Date, a1: Date, b0: Date, b1: Date) =>
  a0.getTime() < b1.getTime() && b0.getTime() < a1.getTime();
