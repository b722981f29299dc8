// (scaffold) Public procedures of notices (no sign-in: the site's maintenance announcement).
import { router } from "../trpc.ts";

export const noticesPublicRouter = router({});
