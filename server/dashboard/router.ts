import { reportProcedure, router } from "../trpc.ts";
import { dashboardOverview } from "./overview.ts";
import { STAFF_VIEWERS } from "../../domain/roles.ts";

export const dashboardRouter = router({
  /** Everything the dashboard shows: counts, charts, group progress, what is coming, expiry warnings (a report: the replica). */
  overview: reportProcedure(STAFF_VIEWERS).query(({ ctx }) => dashboardOverview(ctx.db, ctx.school.id, ctx.locale)),
});
