// Support tickets from the school's cabinet (offer 4.1.2, 4.4.3): any staff member but the read-only inspector
// opens a remark, proposal or feedback with attachments and reads the operator's replies. A director sees all
// of the school's tickets, everyone else their own. Works in every access state: a suspended school can still
// reach support.
import { router, schoolProcedure } from "../trpc.ts";
import { ACTIVE_STAFF } from "../../domain/roles.ts";
import { idInput, listInput, messageInput, ticketInput } from "./schema.ts";
import { openTicket } from "./service.ts";
import { addSchoolMessage, listTickets, ticketAttachment, ticketThread } from "./tickets.ts";

const supportProcedure = schoolProcedure(ACTIVE_STAFF, { always: true });

export const supportRouter = router({
  /** The tickets the caller may see, newest first, with the overdue mark. */
  list: supportProcedure.input(listInput).query(({ ctx, input }) => listTickets(ctx.db, ctx.school, ctx.user, input)),

  /** One ticket with its conversation and attachments. */
  get: supportProcedure.input(idInput).query(({ ctx, input }) => ticketThread(ctx.db, ctx.school, ctx.user, input.id)),

  /** A new ticket, numbered per school, with its first-response deadline; the author gets an e-mail. */
  create: supportProcedure
    .input(ticketInput)
    .mutation(({ ctx, input }) => openTicket(ctx.db, ctx.school, ctx.user, input)),

  /** A follow-up on a ticket the caller may see. */
  message: supportProcedure
    .input(messageInput)
    .mutation(({ ctx, input }) => addSchoolMessage(ctx.db, ctx.school, ctx.user, input)),

  /** An attachment of a ticket the caller may see. */
  attachment: supportProcedure
    .input(idInput)
    .query(({ ctx, input }) => ticketAttachment(ctx.db, ctx.school, ctx.user, input.id)),
});
