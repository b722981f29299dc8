import { router } from "../trpc.ts";

/** Programmes, groups, vehicles and staff profiles: the school's training resources. */
export const resourcesRouter = router({});
