import { reportProcedure, router } from "../trpc.ts";
import type { MemberRole } from "../db/generated/prisma/enums.ts";
import { dashboardOverview } from "./service.ts";

/** Who sees the school's numbers: the director, the registrar, and the inspector (read-only anyway). */
export const DASHBOARD_ROLES: readonly MemberRole[] = ["director", "registrar", "inspector"];

export const dashboardRouter = router({
  /** Everything the dashboard shows: counts, charts, group progress, what is coming, expiry warnings (a report: the replica). */
  overview: reportProcedure(DASHBOARD_ROLES).query(({ ctx }) => dashboardOverview(ctx.db, ctx.school.id)),
});
