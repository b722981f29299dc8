import { z } from "zod";
import { calendarDay } from "../calendar-day.ts";
import { validateIin } from "../../domain/kz/iin.ts";
import { hasTwelveDigits, phone } from "../signup/schema.ts";
import { email } from "../auth/schema.ts";
import { parseTenge } from "../../domain/kz/money.ts";
import { CATEGORIES, TRAINEE_STATUSES } from "../../domain/trainees.ts";
import { formatDate } from "../../domain/i18n/index.ts";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "tooLong")
    .transform((v) => (v === "" ? null : v))
    .nullish();
const name = z.string().trim().min(1, "required").max(100, "tooLong");
const optionalDate = z
  .string()
  .trim()
  .regex(/^(\d{4}-\d{2}-\d{2})?$/, "date")
  .transform((v) => (v === "" ? null : v))
  .nullish();
/** Tenge as typed ("250 000", "250000,50") → integer tiyn. */
const tenge = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === "") return null;
    const tiyn = parseTenge(v);
    if (tiyn === null) {
      ctx.addIssue({ code: "custom", message: "money" });
      return z.NEVER;
    }
    return tiyn;
  })
  .nullish();

export const traineeFields = z
  .object({
    iin: z
      .string()
      .trim()
      .regex(/^\d{12}$/, "iin.format"),
    lastName: name,
    firstName: name,
    middleName: optionalText(100),
    latinName: optionalText(200),
    birthDate: calendarDay("date").optional(),
    phone: z.union([z.literal("").transform(() => null), phone]).nullish(),
    email: z.union([z.literal("").transform(() => null), email]).nullish(),
    address: optionalText(300),
    category: z.enum(CATEGORIES, "chooseOne"),
    gearbox: z.enum(["manual", "automatic"], "chooseOne").default("manual"),
    contractNumber: optionalText(40),
    contractPrice: tenge,
    medicalCertNumber: optionalText(40),
    medicalCertIssuedOn: optionalDate,
    medicalCertValidUntil: optionalDate,
  })
  .superRefine(
    (v, ctx) => {
      if (v.medicalCertIssuedOn && v.medicalCertValidUntil && v.medicalCertValidUntil < v.medicalCertIssuedOn) {
        ctx.addIssue({ code: "custom", path: ["medicalCertValidUntil"], message: "medicalDates" });
      }
    },
    // Shown together with the other mistakes, not on the next submit.
    {
      when: ({ value }) => {
        const v = value as Record<string, unknown>;
        return typeof v.medicalCertIssuedOn === "string" && typeof v.medicalCertValidUntil === "string";
      },
    },
  )
  .superRefine(
    (v, ctx) => {
      const r = validateIin(v.iin.trim());
      if (!r.ok) ctx.addIssue({ code: "custom", path: ["iin"], message: `iin.${r.reason}` });
      else if (typeof v.birthDate === "string" && v.birthDate && v.birthDate !== r.birthDate) {
        ctx.addIssue({
          code: "custom",
          path: ["birthDate"],
          message: "iin.birthDateMismatch",
          params: { date: formatDate(r.birthDate) },
        });
      }
    },
    { when: ({ value }) => hasTwelveDigits(value, "iin") },
  );

export const listInput = z.object({
  q: z.string().trim().max(100).optional(),
  status: z.enum(TRAINEE_STATUSES, "chooseOne").optional(),
  category: z.enum(CATEGORIES, "chooseOne").optional(),
  groupId: z.uuid().optional(),
  sort: z.enum(["name", "newest"], "chooseOne").default("name"),
  cursor: z.string().max(400).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const idInput = z.object({ id: z.uuid() });

export const updateInput = z.object({ id: z.uuid(), data: traineeFields });

export const photoInput = z.object({
  id: z.uuid(),
  base64: z.string().min(1, "required").max(1_500_000, "photoTooBig"),
});

/** At most this many trainees in one bulk action: one transaction, a summary a person can read. */
export const BULK_MAX = 1000;

/** The register's filters, as the list page and its export take them. */
export const registerFilter = z.object({
  q: z.string().trim().max(100).optional(),
  status: z.enum(TRAINEE_STATUSES, "chooseOne").optional(),
  category: z.enum(CATEGORIES, "chooseOne").optional(),
  groupId: z.uuid().optional(),
});

/** Many trainees at once: the ticked ones, or all that match the register's filters; and what to do with them. */
export const bulkInput = z.object({
  selection: z.union([
    z.object({ ids: z.array(z.uuid()).min(1, "trainees.pickTrainees").max(BULK_MAX, "trainees.bulkTooMany") }),
    z.object({ filter: registerFilter }),
  ]),
  action: z.discriminatedUnion(
    "kind",
    [
      z.object({
        kind: z.literal("status"),
        to: z.enum(TRAINEE_STATUSES, "chooseOne"),
        reason: z.string().trim().max(500, "tooLong").optional(),
      }),
      z.object({ kind: z.literal("group"), groupId: z.uuid("chooseOne").nullable() }),
      z.object({ kind: z.literal("instructor"), instructorId: z.uuid("chooseOne").nullable() }),
      z.object({ kind: z.literal("invite") }),
    ],
    "chooseOne",
  ),
});
