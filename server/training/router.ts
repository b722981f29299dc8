import { router } from "../trpc.ts";

/** Trainee status and contract, driving lessons, the journal. */
export const trainingRouter = router({});
