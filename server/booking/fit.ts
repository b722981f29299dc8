// The one copy of the fit rules for a driving lesson: the trainee is in training, the instructor may teach
// their category on the day, the car is theirs to drive on the day. Used by bookLesson
// (server/training/lessons.ts) for a registrar, and by the cabinet's free-slot grid and self-booking
// (./self.ts). Each check returns why something does not fit — the `training.<reason>` error a registrar
// is shown — or null when it fits; each path decides what to tell its caller.
import { isoDayOrNull } from "../../domain/kz/time.ts";

/** The statuses in which a trainee drives: booked, offered in the forms, given an instructor. */
export const DRIVING_STATUSES = ["enrolled", "training"] as const;

export type TraineeUnfit = "traineeNotInTraining";

/** The trainee may be booked for driving: enrolled or in training. */
export function traineeUnfit(t: { status: string }): TraineeUnfit | null {
  return (DRIVING_STATUSES as readonly string[]).includes(t.status) ? null : "traineeNotInTraining";
}

export type FitInstructor = { isInstructor: boolean; licenceCategories: string[]; certValidUntil: Date | null };
export type InstructorUnfit = "notInstructor" | "instructorCategory" | "instructorCertExpired";

/** The instructor may teach the trainee's category on `date`: an instructor here, licensed, certificate valid. */
export function instructorUnfit(i: FitInstructor, category: string, date: string): InstructorUnfit | null {
  if (!i.isInstructor) return "notInstructor";
  if (!i.licenceCategories.includes(category)) return "instructorCategory";
  const cert = isoDayOrNull(i.certValidUntil);
  return cert && cert < date ? "instructorCertExpired" : null;
}

export type FitVehicle = {
  id: string;
  plate: string;
  category: string;
  gearbox: string;
  active: boolean;
  insuranceValidUntil: Date | null;
  inspectionValidUntil: Date | null;
};
export type VehicleUnfit =
  | "vehicleUnavailable"
  | "vehicleCategory"
  | "vehicleGearbox"
  | "vehicleInsurance"
  | "vehicleInspection";

/** A car the trainee may drive on `date`: there and active, their category and gearbox, insurance and inspection valid. */
export function vehicleUnfit(
  v: FitVehicle | null,
  trainee: { category: string; gearbox: string },
  date: string,
): VehicleUnfit | null {
  if (!v?.active) return "vehicleUnavailable";
  if (v.category !== trainee.category) return "vehicleCategory";
  if (v.gearbox !== trainee.gearbox) return "vehicleGearbox";
  const insurance = isoDayOrNull(v.insuranceValidUntil);
  if (insurance && insurance < date) return "vehicleInsurance";
  const inspection = isoDayOrNull(v.inspectionValidUntil);
  return inspection && inspection < date ? "vehicleInspection" : null;
}

/** Two half-open ranges overlap. */
export const overlaps = (a0: Date, a1: Date, b0: Date, b1: Date) =>
  a0.getTime() < b1.getTime() && b0.getTime() < a1.getTime();
