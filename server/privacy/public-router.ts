// Public procedures of privacy (no sign-in): the one-click marketing opt-out from an e-mail's link.
import { z } from "zod";
import { publicProcedure, router } from "../trpc.ts";
import { operatorDb } from "../db/client.ts";
import { unsubscribe, unsubscribeInfo } from "./service.ts";

const token = z.object({ token: z.string().min(20).max(100) });

export const privacyPublicRouter = router({
  unsubscribeInfo: publicProcedure.input(token).query(({ input }) => unsubscribeInfo(operatorDb(), input.token)),
  unsubscribe: publicProcedure.input(token).mutation(async ({ ctx, input }) => {
    await operatorDb().$transaction((tx) => unsubscribe(tx, input.token, ctx.meta));
    return { ok: true as const };
  }),
});
