import { z } from "zod";

export const email = z.string().trim().toLowerCase().max(254).pipe(z.email("email"));
export const password = z.string().min(10, "password").max(200, "tooLong");
export const token = z.string().min(20).max(200);
/** A one-time link's token: e-mail verification, "account compromised". */
export const tokenInput = z.object({ token });

export const loginInput = z.object({ email, password: z.string().min(1, "required").max(200) });
export const resetRequestInput = z.object({ email });
export const resetInput = z.object({ token, password });
export const changePasswordInput = z.object({ current: z.string().min(1, "required").max(200), password });
export const localeInput = z.object({ locale: z.enum(["kk", "ru"]) });
