import { z } from "zod";
import { validateBin, validateIin } from "../../domain/kz/iin.ts";
import { normalizeKzPhone } from "../../domain/kz/phone.ts";
import { email, password, token } from "../auth/schema.ts";

export const phone = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const p = normalizeKzPhone(v);
    if (!p) {
      ctx.addIssue({ code: "custom", message: "phone" });
      return z.NEVER;
    }
    return p;
  });

export const personName = z.string().trim().min(3, "required").max(200, "tooLong");

export const signupInput = z
  .object({
    schoolName: z.string().trim().min(2, "required").max(200, "tooLong"),
    kind: z.enum(["legal_entity", "sole_proprietor"], "chooseOne"),
    binIin: z
      .string()
      .trim()
      .regex(/^\d{12}$/, "bin.format"),
    directorName: personName,
    phone,
    email,
    password,
    offerVersionId: z.uuid(),
    acceptOffer: z.literal(true, "mustAccept"),
    acceptPersonalData: z.literal(true, "mustConsent"),
    marketing: z.boolean().default(false),
  })
  .superRefine(
    (v, ctx) => {
      // A legal entity signs with its BIN, a sole proprietor with the owner's IIN.
      const r = v.kind === "legal_entity" ? validateBin(v.binIin) : validateIin(v.binIin);
      if (!r.ok)
        ctx.addIssue({
          code: "custom",
          path: ["binIin"],
          message: `${v.kind === "legal_entity" ? "bin" : "iin"}.${r.reason}`,
        });
    },
    // Checked even when other fields fail, so every mistake is shown on the first submit.
    {
      when: ({ value }) =>
        hasTwelveDigits(value, "binIin") &&
        ["legal_entity", "sole_proprietor"].includes((value as { kind?: string }).kind ?? ""),
    },
  );

/** For cross-field checks that should run even while other fields are still wrong. */
export function hasTwelveDigits(value: unknown, key: string): boolean {
  const v = (value as Record<string, unknown> | null)?.[key];
  return typeof v === "string" && /^\d{12}$/.test(v.trim());
}

export type SignupInput = z.infer<typeof signupInput>;

/** The e-mailed link that confirms a sign-up. */
export const confirmInput = z.object({ token });
