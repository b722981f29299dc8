// Support tickets from the school's cabinet (offer 4.1.2, 4.4.3): any staff member but the read-only inspector
// opens a remark, proposal or feedback with attachments and reads the operator's replies. A director sees all
// of the school's tickets, everyone else their own. Works in every access state: a suspended school can still
// reach support.
import { z } from "zod";
import { router, schoolProcedure } from "../trpc.ts";
import { AppError } from "../errors.ts";
import type { MemberRole } from "../db/generated/prisma/enums.ts";
import {
  addSchoolMessage,
  isOverdue,
  openTicket,
  TICKET_STATUSES,
  ticketInput,
  type TicketKind,
  type TicketStatus,
} from "./service.ts";
import { ACTIVE_STAFF } from "../../domain/roles.ts";
import type { FileDownload } from "../../domain/files.ts";

const supportProcedure = schoolProcedure(ACTIVE_STAFF, { always: true });
const idInput = z.object({ id: z.uuid() });

/** Whose tickets the caller may see: a director all of the school's, others their own. */
const visibleTo = (ctx: { school: { roles: MemberRole[] }; user: { id: string } }) =>
  ctx.school.roles.includes("director") ? {} : { authorId: ctx.user.id };

export const supportRouter = router({
  list: supportProcedure
    .input(z.object({ status: z.enum(TICKET_STATUSES).optional() }))
    .query(async ({ ctx, input }) => {
      const now = new Date();
      const rows = await ctx.db.supportTicket.findMany({
        where: { ...visibleTo(ctx), ...(input.status ? { status: input.status } : {}) },
        orderBy: { openedAt: "desc" },
        take: 200,
        select: {
          id: true,
          number: true,
          kind: true,
          subject: true,
          status: true,
          openedAt: true,
          dueAt: true,
          firstResponseAt: true,
          authorId: true,
        },
      });
      const authors = await ctx.db.user.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.authorId))] } },
        select: { id: true, fullName: true },
      });
      const name = new Map(authors.map((a) => [a.id, a.fullName]));
      return rows.map((r) => ({
        ...r,
        kind: r.kind as TicketKind,
        status: r.status as TicketStatus,
        author: name.get(r.authorId) ?? "",
        overdue: isOverdue(r, now),
      }));
    }),

  get: supportProcedure.input(idInput).query(async ({ ctx, input }) => {
    const t = await ctx.db.supportTicket.findFirst({
      where: { id: input.id, ...visibleTo(ctx) },
      include: {
        messages: {
          orderBy: { createdAt: "asc" },
          select: { id: true, fromOperator: true, authorId: true, text: true, createdAt: true },
        },
        attachments: { orderBy: { createdAt: "asc" }, select: { id: true, name: true, contentType: true, size: true } },
      },
    });
    if (!t) throw new AppError("NOT_FOUND", "notFound");
    // Operators' names stay out of the cabinet: a reply is from "support".
    const schoolAuthors = [t.authorId, ...t.messages.filter((m) => !m.fromOperator).map((m) => m.authorId)];
    const authors = await ctx.db.user.findMany({
      where: { id: { in: [...new Set(schoolAuthors)] } },
      select: { id: true, fullName: true },
    });
    const name = new Map(authors.map((a) => [a.id, a.fullName]));
    return {
      id: t.id,
      number: t.number,
      kind: t.kind as TicketKind,
      subject: t.subject,
      text: t.text,
      status: t.status as TicketStatus,
      openedAt: t.openedAt,
      dueAt: t.dueAt,
      firstResponseAt: t.firstResponseAt,
      closedAt: t.closedAt,
      overdue: isOverdue(t, new Date()),
      author: name.get(t.authorId) ?? "",
      messages: t.messages.map((m) => ({
        id: m.id,
        fromOperator: m.fromOperator,
        author: m.fromOperator ? null : (name.get(m.authorId) ?? ""),
        text: m.text,
        createdAt: m.createdAt,
      })),
      attachments: t.attachments,
    };
  }),

  create: supportProcedure.input(ticketInput).mutation(async ({ ctx, input }) => {
    const { id, number, dueAt } = await openTicket(ctx.db, ctx.school, ctx.user, input);
    return { id, number, dueAt };
  }),

  message: supportProcedure
    .input(z.object({ id: z.uuid(), text: z.string().trim().min(1, "required").max(10_000) }))
    .mutation(async ({ ctx, input }) => {
      const t = await ctx.db.supportTicket.findFirst({
        where: { id: input.id, ...visibleTo(ctx) },
        select: { id: true },
      });
      if (!t) throw new AppError("NOT_FOUND", "notFound");
      await addSchoolMessage(ctx.db, ctx.school.id, t.id, ctx.user.id, input.text);
      return { ok: true };
    }),

  attachment: supportProcedure.input(idInput).query(async ({ ctx, input }): Promise<FileDownload> => {
    const a = await ctx.db.supportAttachment.findUnique({
      where: { id: input.id },
      select: { name: true, contentType: true, content: true, ticket: { select: { authorId: true } } },
    });
    if (!a || (!ctx.school.roles.includes("director") && a.ticket.authorId !== ctx.user.id))
      throw new AppError("NOT_FOUND", "notFound");
    return { fileName: a.name, contentType: a.contentType, base64: Buffer.from(a.content).toString("base64") };
  }),
});
