import { dbDay } from "../../domain/kz/time.ts";

/** A Prisma filter for a date column from a list's optional first and last day (both inclusive); none given, no filter. */
export function dayRange(from?: string, to?: string): { gte?: Date; lte?: Date } | undefined {
  if (!from && !to) return undefined;
  return { ...(from ? { gte: dbDay(from) } : {}), ...(to ? { lte: dbDay(to) } : {}) };
}
