// (scaffold) Public procedures of privacy (no sign-in: the one-click marketing opt-out).
import { router } from "../trpc.ts";

export const privacyPublicRouter = router({});
