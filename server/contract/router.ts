// (scaffold) The school side of this area; filled in by its issue-6 work.
import { router } from "../trpc.ts";

export const contractRouter = router({});
