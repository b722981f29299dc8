import { z } from "zod";
import { personName, phone } from "../signup/schema.ts";
import { email } from "../auth/schema.ts";

export const schoolSettingsInput = z.object({
  name: z.string().trim().min(2, "required").max(200, "tooLong"),
  directorName: personName,
  phone,
  email,
  address: z
    .string()
    .trim()
    .max(300, "tooLong")
    .transform((v) => (v === "" ? null : v))
    .nullish(),
});
