// The operator console's privacy side (`admin.privacy.*`): users with their state, deactivation and
// reactivation with a reason (5.2), "account compromised" reports, consent withdrawal requests, and
// sending a marketing e-mail (only to users who consented, each with an unsubscribe link).
import { operatorProcedure, router } from "../trpc.ts";
import { sendMarketing } from "./service.ts";
import { deactivateUser, listUsers, reactivateUser, securityReports } from "./users.ts";
import { allWithdrawals } from "./withdrawals.ts";
import { marketingInput, userActionInput, usersInput } from "./schema.ts";
import { adminArchiveRouter } from "../archive/admin-router.ts";
import { SUPER_ADMIN, SUPPORT_OPS } from "../../domain/roles.ts";

const ops = operatorProcedure(SUPPORT_OPS);

export const adminPrivacyRouter = router({
  /** A school's archive, requested and downloaded by the operator (server/archive/). */
  archives: adminArchiveRouter,

  /** Users by e-mail or name, with an open deactivation and an open "compromised" report. */
  users: operatorProcedure()
    .input(usersInput)
    .query(({ ctx, input }) => listUsers(ctx.db, input)),

  deactivate: ops
    .input(userActionInput)
    .mutation(({ ctx, input }) => deactivateUser(ctx.db, ctx.user, input, ctx.meta)),

  reactivate: ops
    .input(userActionInput)
    .mutation(({ ctx, input }) => reactivateUser(ctx.db, ctx.user, input, ctx.meta)),

  /** "Account compromised" reports, newest first, with the exact report time. */
  securityReports: operatorProcedure().query(({ ctx }) => securityReports(ctx.db)),

  /** Personal-data consent withdrawal requests of all schools. */
  withdrawals: operatorProcedure().query(({ ctx }) => allWithdrawals(ctx.db)),

  /** A marketing e-mail to every user with an active marketing consent; answers how many it went to. */
  sendMarketing: operatorProcedure(SUPER_ADMIN)
    .input(marketingInput)
    .mutation(({ ctx, input }) => sendMarketing(ctx.db, ctx.user, input, ctx.meta)),
});
