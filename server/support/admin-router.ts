// The operator's support queue (`admin.support.*`): tickets of every school sorted by first-response deadline,
// overdue ones marked, filtered by status; a ticket with its conversation; reply (e-mailed to the author and
// shown in the cabinet) and close.
import { operatorProcedure, router } from "../trpc.ts";
import { idInput, messageInput, queueInput } from "./schema.ts";
import { closeTicket, replyToTicket } from "./service.ts";
import { queueAttachment, queuedTicket, ticketQueue } from "./queue.ts";
import { SUPPORT_OPS } from "../../domain/roles.ts";

const supportOps = operatorProcedure(SUPPORT_OPS);

export const adminSupportRouter = router({
  /** The queue: by deadline, earliest first; "active" (the default) is everything not closed. */
  queue: supportOps.input(queueInput).query(({ ctx, input }) => ticketQueue(ctx.db, input)),

  /** One ticket with its school, author and conversation. */
  get: supportOps.input(idInput).query(({ ctx, input }) => queuedTicket(ctx.db, input.id)),

  /** The operator's reply: e-mailed to the author, shown in the cabinet. */
  reply: supportOps
    .input(messageInput)
    .mutation(({ ctx, input }) => replyToTicket(ctx.db, ctx.meta, ctx.user.id, input.id, input.text)),

  close: supportOps.input(idInput).mutation(({ ctx, input }) => closeTicket(ctx.db, ctx.meta, ctx.user.id, input.id)),

  attachment: supportOps.input(idInput).query(({ ctx, input }) => queueAttachment(ctx.db, input.id)),
});
