// The inputs of notices' procedures: the workspace's side and the operator console's.
import { z } from "zod";
import { calendarDay } from "../calendar-day.ts";

const isoDate = calendarDay("date");
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time");
const text = (max: number) => z.string().trim().min(1).max(max);

export const idInput = z.object({ id: z.uuid() });

export const markReadInput = z.object({ noticeId: z.uuid() });

export const dismissMaintenanceInput = z.object({ maintenanceId: z.uuid() });

/** `requestId`: the form's own id (a new one each time the page is loaded), so a form sent twice files one disagreement. */
export const disagreeInput = z.object({
  offerVersionId: z.uuid(),
  text: z.string().trim().min(10).max(10_000),
  requestId: z.uuid().optional(),
});

/** An offer's text: a browser sends a textarea's lines as CRLF; the offer keeps them as LF, like its files. */
const offerText = z
  .string()
  .transform((v) => v.replace(/\r\n?/g, "\n"))
  .pipe(text(500_000));

export const publishOfferInput = z.object({
  textKk: offerText,
  textRu: offerText,
  summaryKk: text(5_000),
  summaryRu: text(5_000),
  effectiveFrom: isoDate,
  /** The version the preview compared against (the console sends it; publishing refuses if a newer one came). */
  baseVersion: z.coerce.number().int().min(0).optional(),
});

export const answerDisagreementInput = z.object({ id: z.uuid(), answer: text(10_000) });

export const scheduleMaintenanceInput = z.object({
  startDate: isoDate,
  startTime: hhmm,
  endDate: isoDate,
  endTime: hhmm,
  reasonKk: text(2_000),
  reasonRu: text(2_000),
});
