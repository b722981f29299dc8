// Public procedures of privacy (no sign-in): the one-click marketing opt-out from an e-mail's link.
import { publicProcedure, router } from "../trpc.ts";
import { operatorDb } from "../db/client.ts";
import { unsubscribe, unsubscribeInfo } from "./service.ts";
import { unsubscribeInput } from "./schema.ts";

export const privacyPublicRouter = router({
  /** Whose link it is (the address masked) and whether they still receive marketing. */
  unsubscribeInfo: publicProcedure
    .input(unsubscribeInput)
    .query(({ input }) => unsubscribeInfo(operatorDb(), input.token)),

  /** The opt-out: every marketing consent of the link's user is withdrawn. */
  unsubscribe: publicProcedure
    .input(unsubscribeInput)
    .mutation(({ ctx, input }) => unsubscribe(operatorDb(), input.token, ctx.meta)),
});
