// What the fit rules for working hours, days off and a car's days out of work (./fit.ts) need from the
// database. The office reads with the reason (its refusal names it); the cabinet, running as the trainee
// role, may read the dates only (the migration grants no more), so it has readers of its own.
import type { Tx } from "../db/client.ts";
import { dbDay, isoDay } from "../../domain/kz/time.ts";
import type { DayPeriod, WorkHours } from "./fit.ts";

export type AbsenceReason = "leave" | "sick" | "other";
export type DowntimeReason = "service" | "inspection" | "other";

/** An instructor's weekly working hours in this school (empty: no restriction). */
export async function workHours(tx: Tx, userId: string): Promise<WorkHours[]> {
  return tx.instructorHours.findMany({
    where: { userId },
    select: { weekday: true, starts: true, ends: true },
    orderBy: [{ weekday: "asc" }, { starts: "asc" }],
  });
}

/** An instructor's absences that touch the days `from`…`to`, with their reason. */
export async function absencesBetween(
  tx: Tx,
  userId: string,
  from: string,
  to: string,
): Promise<(DayPeriod & { reason: AbsenceReason })[]> {
  const rows = await tx.instructorAbsence.findMany({
    where: { userId, startsOn: { lte: dbDay(to) }, endsOn: { gte: dbDay(from) } },
    select: { startsOn: true, endsOn: true, reason: true },
    orderBy: { startsOn: "asc" },
  });
  return rows.map((r) => ({
    startsOn: isoDay(r.startsOn),
    endsOn: isoDay(r.endsOn),
    reason: r.reason as AbsenceReason,
  }));
}

/** Cars' days out of work that touch the days `from`…`to`, with their reason. */
export async function downtimesBetween(
  tx: Tx,
  vehicleIds: string[],
  from: string,
  to: string,
): Promise<(DayPeriod & { vehicleId: string; reason: DowntimeReason })[]> {
  if (vehicleIds.length === 0) return [];
  const rows = await tx.vehicleDowntime.findMany({
    where: { vehicleId: { in: vehicleIds }, startsOn: { lte: dbDay(to) }, endsOn: { gte: dbDay(from) } },
    select: { vehicleId: true, startsOn: true, endsOn: true, reason: true },
    orderBy: { startsOn: "asc" },
  });
  return rows.map((r) => ({
    vehicleId: r.vehicleId,
    startsOn: isoDay(r.startsOn),
    endsOn: isoDay(r.endsOn),
    reason: r.reason as DowntimeReason,
  }));
}

// The cabinet's readers: dates only.

/** The trainee's own instructor's days off touching `from`…`to` (row-level security shows no one else's). */
export async function instructorDaysOff(tx: Tx, userId: string, from: string, to: string): Promise<DayPeriod[]> {
  const rows = await tx.$queryRaw<{ starts_on: Date; ends_on: Date }[]>`
    SELECT starts_on, ends_on FROM instructor_absence
     WHERE user_id = ${userId}::uuid AND starts_on <= ${to}::date AND ends_on >= ${from}::date`;
  return rows.map((r) => ({ startsOn: isoDay(r.starts_on), endsOn: isoDay(r.ends_on) }));
}

/** The school's cars' days out of work touching `from`…`to`. */
export async function vehicleDaysDown(
  tx: Tx,
  from: string,
  to: string,
): Promise<(DayPeriod & { vehicleId: string })[]> {
  const rows = await tx.$queryRaw<{ vehicle_id: string; starts_on: Date; ends_on: Date }[]>`
    SELECT vehicle_id, starts_on, ends_on FROM vehicle_downtime
     WHERE starts_on <= ${to}::date AND ends_on >= ${from}::date`;
  return rows.map((r) => ({ vehicleId: r.vehicle_id, startsOn: isoDay(r.starts_on), endsOn: isoDay(r.ends_on) }));
}
