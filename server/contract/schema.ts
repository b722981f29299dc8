// The inputs of the contract's procedures: the director's cabinet and the operator's console.
import { z } from "zod";
import { calendarDay } from "../calendar-day.ts";

const isoDate = calendarDay("date");
const year = z.coerce.number().int().min(2000, "invalid").max(2100, "invalid");

export const idInput = z.object({ id: z.uuid() });

export const fileClaimInput = z.object({
  subject: z.string().trim().min(1).max(200),
  text: z.string().trim().min(1).max(20000),
});

export const fileForceMajeureInput = z.object({
  what: z.string().trim().min(1).max(5000),
  eventStartedOn: isoDate,
  documents: z.string().trim().max(5000).default(""),
});

export const claimsInput = z.object({ open: z.boolean().default(true) });

export const registerClaimInput = z.object({
  schoolId: z.uuid("chooseOne"),
  subject: z.string().trim().min(1).max(200),
  text: z.string().trim().min(1).max(20000),
  receivedOn: isoDate,
});

export const answerClaimInput = z.object({ id: z.uuid(), answer: z.string().trim().min(1).max(20000) });

export const registerForceMajeureInput = z.object({
  schoolId: z.preprocess((v) => (v === "" ? null : v), z.uuid().nullable()).default(null),
  what: z.string().trim().min(1).max(5000),
  eventStartedOn: isoDate,
  notifiedOn: isoDate,
  documents: z.string().trim().max(5000).default(""),
});

export const calendarInput = z.object({ year });

export const saveCalendarInput = z.object({
  year,
  holidays: z.string().max(20000),
  daysOff: z.string().max(20000).default(""),
  workingDays: z.string().max(20000).default(""),
});
