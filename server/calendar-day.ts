// A date field, `YYYY-MM-DD`, that must be a day of the calendar. The pattern alone let "2026-11-36" and
// "2026-02-30" through to date arithmetic and PostgreSQL, which answered 500 (found asking for the lesson week
// of "2026-11-36"); every date input now refuses them as a field error in kk/ru, with its schema's message.
import { z } from "zod";
import { isCalendarDay } from "../domain/kz/time.ts";

/** `YYYY-MM-DD` of a real day, else `message` (the schema's error key). */
export const calendarDay = (message: string) => z.string().trim().refine(isCalendarDay, message);
