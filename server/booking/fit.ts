// The one copy of the fit rules for a driving lesson: the trainee is in training, the instructor may teach
// their category on the day, the car is theirs to drive on the day. Used by bookLesson
// (server/training/lessons.ts) for a registrar, and by the cabinet's free-slot grid and self-booking
// (./self.ts). Each check returns why something does not fit — the `training.<reason>` error a registrar
// is shown — or null when it fits; each path decides what to tell its caller.
import { isoDayOrNull } from "../../domain/kz/time.ts";
import { minuteToTime } from "./rules.ts";
import { DRIVING_STATUSES } from "../../domain/lessons.ts";

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

// ---------------------------------------------------------------------------------------------
// Availability (docs/decisions/032-working-hours-and-downtime.md): an instructor's weekly working hours and
// days off, a car's days out of work. Whole days and wall-clock minutes in Almaty.

/** One interval of an instructor's working hours: weekday 1 = Monday … 7 = Sunday, minutes since midnight. */
export type WorkHours = { weekday: number; starts: number; ends: number };
/** Whole days, both ends included, `YYYY-MM-DD`. */
export type DayPeriod = { startsOn: string; endsOn: string };

/** The ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** An instructor's intervals on the weekday of `date`, earliest first; null when no hours are set at all (any time). */
export function hoursOn(hours: WorkHours[], date: string): WorkHours[] | null {
  if (hours.length === 0) return null;
  const weekday = isoWeekday(date);
  return hours.filter((h) => h.weekday === weekday).sort((a, b) => a.starts - b.starts);
}

export type HoursUnfit = "instructorOffHours" | "instructorDayOff";

/**
 * A lesson from minute `from` to minute `to` of `date` lies inside one interval of the instructor's hours for
 * that weekday; with no hours set it always does. "instructorDayOff": no hours at all on that weekday.
 */
export function hoursUnfit(hours: WorkHours[], date: string, from: number, to: number): HoursUnfit | null {
  const day = hoursOn(hours, date);
  if (day === null) return null;
  if (day.length === 0) return "instructorDayOff";
  return day.some((h) => h.starts <= from && to <= h.ends) ? null : "instructorOffHours";
}

/** A day's working hours as read: "08:00–13:00, 14:00–20:00". */
export const hoursText = (day: WorkHours[]) =>
  day.map((h) => `${minuteToTime(h.starts)}–${minuteToTime(h.ends)}`).join(", ");

/** The period of `periods` that covers `date`, if any (an absence, a car's downtime). */
export function periodOn<P extends DayPeriod>(periods: readonly P[], date: string): P | null {
  return periods.find((p) => p.startsOn <= date && date <= p.endsOn) ?? null;
}

/** Two half-open ranges overlap. */
export const overlaps = (a0: Date, a1: Date, b0: Date, b1: Date) =>
  a0.getTime() < b1.getTime() && b0.getTime() < a1.getTime();
