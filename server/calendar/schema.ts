import { z } from "zod";
import { token } from "../auth/schema.ts";

/** The feed's address: `/cal/<token>.ics`. */
export const feedTokenInput = z.object({ token });

/** The office names the instructor whose feed it revokes. */
export const instructorFeedInput = z.object({ userId: z.uuid() });
