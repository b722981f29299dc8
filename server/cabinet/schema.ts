import { z } from "zod";
import { password, token } from "../auth/schema.ts";

/** The token of the e-mailed cabinet link. */
export const joinLinkInput = z.object({ token });

/** A signed-in trainee sends the token only; a new one sets a password. */
export const joinInput = z.object({ token, password: password.optional() });
