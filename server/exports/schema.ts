// What the exports and the contract text editor take: the filters of each file, and a contract text
// within bounds (every download lays it out).
import { z } from "zod";
import { calendarDay } from "../calendar-day.ts";
import { CATEGORIES, TRAINEE_STATUSES } from "../../domain/trainees.ts";
import { MAX_PLACEHOLDERS, MAX_TEMPLATE_CHARS, placeholderCount } from "./contract-template.ts";

/** The file's language; the user's own when not asked for. */
const lang = z.enum(["kk", "ru"], "chooseOne").optional();
const date = calendarDay("date");
const locale = z.enum(["kk", "ru"], "chooseOne");

const count = (n: number) => n.toLocaleString("ru-RU");
/** A contract text within bounds (every download lays it out): length and placeholders, each refusal saying the limit. */
const templateBody = z
  .string()
  .trim()
  .min(1, "required")
  .superRefine((body, ctx) => {
    if (body.length > MAX_TEMPLATE_CHARS) {
      ctx.addIssue({
        code: "custom",
        message: "exports.templateTooLong",
        params: { max: count(MAX_TEMPLATE_CHARS), length: count(body.length) },
      });
    }
    const placeholders = placeholderCount(body);
    if (placeholders > MAX_PLACEHOLDERS) {
      ctx.addIssue({
        code: "custom",
        message: "exports.tooManyPlaceholders",
        params: { max: MAX_PLACEHOLDERS, count: placeholders, example: "{{trainee.fullName}}" },
      });
    }
  });

export const registerInput = z.object({
  status: z.enum(TRAINEE_STATUSES, "chooseOne").optional(),
  category: z.enum(CATEGORIES, "chooseOne").optional(),
  groupId: z.uuid().optional(),
  q: z.string().trim().max(100).optional(),
  /** the trainees ticked on the register (a bulk export) */
  ids: z.array(z.uuid()).min(1, "trainees.pickTrainees").max(1000, "trainees.bulkTooMany").optional(),
  lang,
});
/** A document of one record (a group, a trainee) in a language. */
export const documentInput = z.object({ id: z.uuid(), lang });
export const lessonsInput = z.object({ from: date, to: date, lang });

export const saveTemplateInput = z.object({ locale, body: templateBody });
export const resetTemplateInput = z.object({ locale });
