import { router, traineeProcedure } from "../trpc.ts";
import { cabinetOverview } from "./overview.ts";

/** The trainee's own cabinet: schedule, hours, money, history — their rows only (see traineeProcedure). */
export const cabinetRouter = router({
  overview: traineeProcedure().query(({ ctx }) => cabinetOverview(ctx.db, ctx.trainee)),
});
