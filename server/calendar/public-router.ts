// The feed's address, fetched by a phone's calendar with no sign-in: the token is the only key (ADR 033).
import { publicProcedure, router } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { feedTokenInput } from "./schema.ts";
import { feedCalendar } from "./render.ts";

export const calendarPublicRouter = router({
  /** The iCalendar text of a live feed; anything else is NOT_FOUND, the same for every reason. */
  ics: publicProcedure.input(feedTokenInput).query(async ({ input }) => {
    const body = await feedCalendar(input.token);
    if (body === null) throw new AppError("NOT_FOUND", "notFound");
    return { body };
  }),
});
