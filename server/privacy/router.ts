// The school's privacy page (director): the school's consents, the written request to withdraw the
// personal-data consent (refused while invoices are open), reviews and marketing consents.
import { router, schoolProcedure } from "../trpc.ts";
import { cancelWithdrawal, privacyOverview, requestWithdrawal, setConsent } from "./service.ts";
import { consentInput, withdrawalInput } from "./schema.ts";
import { archiveRouter } from "../archive/router.ts";
import { DIRECTOR } from "../../domain/roles.ts";

// Works in every access state: a suspended school can still see and manage its consents.
const directorProcedure = schoolProcedure(DIRECTOR, { always: true });

export const privacyRouter = router({
  /** The school archive: everything of the school as one zip (server/archive/). */
  archive: archiveRouter,

  overview: directorProcedure.query(({ ctx }) => privacyOverview(ctx.db, ctx.school.id, ctx.user.id)),

  requestWithdrawal: directorProcedure
    .input(withdrawalInput)
    .mutation(({ ctx, input }) => requestWithdrawal(ctx.db, ctx.school.id, ctx.user.id, input.text, ctx.meta)),

  cancelWithdrawal: directorProcedure.mutation(async ({ ctx }) => {
    await cancelWithdrawal(ctx.db, ctx.school.id, ctx.user.id, ctx.meta);
    return { ok: true as const };
  }),

  setConsent: directorProcedure.input(consentInput).mutation(async ({ ctx, input }) => {
    await setConsent(ctx.db, input.kind, input.granted, ctx.school.id, ctx.user.id, ctx.meta);
    return { ok: true as const };
  }),
});
