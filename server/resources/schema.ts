import { z } from "zod";
import { calendarDay } from "../calendar-day.ts";
import { CATEGORIES } from "../../domain/trainees.ts";
import { almatyDate, daysBetween, dbDay } from "../../domain/kz/time.ts";
import { WARNING_DAYS } from "../../domain/warnings.ts";

export const GEARBOXES = ["manual", "automatic"] as const;

export const category = z.enum(CATEGORIES, "chooseOne");
export const gearbox = z.enum(GEARBOXES, "chooseOne");

const isoDate = calendarDay("date");
/** A calendar date that may be left empty ("" or absent → null). */
const optionalDate = z
  .union([z.literal("").transform(() => null), isoDate])
  .nullish()
  .transform((v) => v ?? null);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "tooLong")
    .transform((v) => (v === "" ? null : v))
    .nullish()
    .transform((v) => v ?? null);
const hours = z.number("required").int("invalid").min(0, "invalid").max(2000, "invalid");

export const subject = z.object({
  code: z.string().trim().min(1, "required").max(40, "tooLong"),
  nameKk: z.string().trim().min(1, "required").max(200, "tooLong"),
  nameRu: z.string().trim().min(1, "required").max(200, "tooLong"),
  hours,
});
export type Subject = z.infer<typeof subject>;

export const programmeKey = z.object({ category, gearbox });

export const programmeInput = programmeKey.extend({
  theoryHours: hours,
  drivingHours: hours,
  subjects: z.array(subject).min(1, "required").max(40),
});

export const groupFields = z
  .object({
    number: z.string().trim().min(1, "required").max(40, "tooLong"),
    category,
    startsOn: isoDate,
    endsOn: isoDate,
    teacherId: z
      .union([z.literal("").transform(() => null), z.uuid("chooseOne")])
      .nullish()
      .transform((v) => v ?? null),
    timetable: optionalText(300),
  })
  .superRefine((v, ctx) => {
    if (v.endsOn < v.startsOn)
      ctx.addIssue({ code: "custom", path: ["endsOn"], message: "resources.endsBeforeStarts" });
  });

export const groupListInput = z.object({ q: z.string().trim().max(100).optional() });

/** One group, vehicle, … by its id. */
export const byId = z.object({ id: z.uuid() });

export const updateGroupInput = z.object({ id: z.uuid(), data: groupFields });

export const groupCandidatesInput = z.object({ id: z.uuid(), q: z.string().trim().max(100).optional() });

export const assignInput = z.object({
  traineeIds: z.array(z.uuid()).min(1, "resources.pickTrainees").max(500),
  groupId: z.uuid().nullable(),
});

/** Plates are stored as people read them off the car: upper case, no spaces ("123 abc 02" → "123ABC02"). */
export const normalisePlate = (v: string) => v.replace(/\s+/g, "").toUpperCase();

export const vehicleFields = z.object({
  plate: z
    .string()
    .transform(normalisePlate)
    .pipe(
      z
        .string()
        .min(1, "required")
        .max(15, "tooLong")
        .regex(/^[\p{Lu}\p{N}-]+$/u, "resources.plateFormat"),
    ),
  makeModel: z.string().trim().min(1, "required").max(100, "tooLong"),
  category,
  gearbox,
  dualControls: z.boolean().default(true),
  insuranceValidUntil: optionalDate,
  inspectionValidUntil: optionalDate,
  active: z.boolean().default(true),
});

export const updateVehicleInput = z.object({ id: z.uuid(), data: vehicleFields });

/** A member of the school, by their user id. */
export const staffMember = z.object({ userId: z.uuid() });

export const staffProfileInput = z.object({
  userId: z.uuid(),
  licenceCategories: z.array(category).max(CATEGORIES.length).default([]),
  instructorCertNumber: optionalText(60),
  instructorCertValidUntil: optionalDate,
});

// ---------------------------------------------------------------------------------------------
// Calendar dates and expiry, in Asia/Almaty.

export type Expiry = "ok" | "soon" | "expired" | null;

/** A document valid until `until` (inclusive): expired once that day has passed, "soon" within the dashboard's warning days. */
export function expiryOf(until: string | null, today: string = almatyDate(new Date())): Expiry {
  if (!until) return null;
  if (until < today) return "expired";
  return daysBetween(today, until) <= WARNING_DAYS ? "soon" : "ok";
}

export const toDbDate = (d: string | null) => (d ? dbDay(d) : null);
