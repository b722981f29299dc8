import { router } from "../trpc.ts";
import { programmeProcedures } from "./programmes.ts";
import { groupProcedures } from "./groups.ts";
import { vehicleProcedures } from "./vehicles.ts";
import { staffProfileProcedures } from "./staff-profiles.ts";

/** Programmes, groups, vehicles and staff profiles: the school's training resources. */
export const resourcesRouter = router({
  ...programmeProcedures,
  ...groupProcedures,
  ...vehicleProcedures,
  ...staffProfileProcedures,
});
