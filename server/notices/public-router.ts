// Public procedures of notices (no sign-in): the site's maintenance announcement.
import { publicProcedure, router } from "../trpc.ts";
import { appDb } from "../db/client.ts";
import { announcements } from "./maintenance.ts";

export const noticesPublicRouter = router({
  /** Maintenance windows announced and not yet over (4.2.4), soonest first. */
  announcements: publicProcedure.query(() => announcements(appDb())),
});
