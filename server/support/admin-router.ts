// The operator's support queue (`admin.support.*`): tickets of every school sorted by first-response deadline,
// overdue ones marked, filtered by status; a ticket with its conversation; reply (e-mailed to the author and
// shown in the cabinet) and close.
import { z } from "zod";
import { operatorProcedure, router } from "../trpc.ts";
import { AppError } from "../errors.ts";
import {
  closeTicket,
  isOverdue,
  replyToTicket,
  TICKET_STATUSES,
  type TicketKind,
  type TicketStatus,
} from "./service.ts";
import type { FileDownload } from "../../domain/files.ts";

const supportOps = operatorProcedure(["super_admin", "support"]);
const idInput = z.object({ id: z.uuid() });

export const adminSupportRouter = router({
  /** The queue: by deadline, earliest first; "active" (the default) is everything not closed. */
  queue: supportOps
    .input(z.object({ status: z.enum([...TICKET_STATUSES, "active", "all"]).default("active") }))
    .query(async ({ ctx, input }) => {
      const now = new Date();
      const where =
        input.status === "all"
          ? {}
          : input.status === "active"
            ? { status: { not: "closed" } }
            : { status: input.status };
      const rows = await ctx.db.supportTicket.findMany({
        where,
        orderBy: [{ dueAt: "asc" }, { number: "asc" }],
        take: 300,
        select: {
          id: true,
          schoolId: true,
          number: true,
          kind: true,
          subject: true,
          status: true,
          openedAt: true,
          dueAt: true,
          firstResponseAt: true,
          closedAt: true,
        },
      });
      const schools = await ctx.db.school.findMany({
        where: { id: { in: [...new Set(rows.map((r) => r.schoolId))] } },
        select: { id: true, name: true },
      });
      const name = new Map(schools.map((s) => [s.id, s.name]));
      return rows.map((r) => ({
        ...r,
        kind: r.kind as TicketKind,
        status: r.status as TicketStatus,
        school: name.get(r.schoolId) ?? "",
        overdue: isOverdue(r, now),
      }));
    }),

  get: supportOps.input(idInput).query(async ({ ctx, input }) => {
    const t = await ctx.db.supportTicket.findUnique({
      where: { id: input.id },
      include: {
        messages: {
          orderBy: { createdAt: "asc" },
          select: { id: true, fromOperator: true, authorId: true, text: true, createdAt: true },
        },
        attachments: { orderBy: { createdAt: "asc" }, select: { id: true, name: true, contentType: true, size: true } },
      },
    });
    if (!t) throw new AppError("NOT_FOUND", "notFound");
    const [school, users] = await Promise.all([
      ctx.db.school.findUniqueOrThrow({
        where: { id: t.schoolId },
        select: { id: true, name: true, slug: true, binIin: true },
      }),
      ctx.db.user.findMany({
        where: { id: { in: [...new Set([t.authorId, ...t.messages.map((m) => m.authorId)])] } },
        select: { id: true, fullName: true, email: true, phone: true },
      }),
    ]);
    const user = new Map(users.map((u) => [u.id, u]));
    const author = user.get(t.authorId);
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
      school,
      author: { name: author?.fullName ?? "", email: author?.email ?? "", phone: author?.phone ?? null },
      messages: t.messages.map((m) => ({
        id: m.id,
        fromOperator: m.fromOperator,
        author: user.get(m.authorId)?.fullName ?? "",
        text: m.text,
        createdAt: m.createdAt,
      })),
      attachments: t.attachments,
    };
  }),

  reply: supportOps
    .input(z.object({ id: z.uuid(), text: z.string().trim().min(1, "required").max(10_000) }))
    .mutation(async ({ ctx, input }) => {
      return ctx.db.$transaction((tx) => replyToTicket(tx, ctx.meta, ctx.user.id, input.id, input.text));
    }),

  close: supportOps.input(idInput).mutation(async ({ ctx, input }) => {
    await ctx.db.$transaction((tx) => closeTicket(tx, ctx.meta, ctx.user.id, input.id));
    return { ok: true };
  }),

  attachment: supportOps.input(idInput).query(async ({ ctx, input }): Promise<FileDownload> => {
    const a = await ctx.db.supportAttachment.findUnique({
      where: { id: input.id },
      select: { name: true, contentType: true, content: true },
    });
    if (!a) throw new AppError("NOT_FOUND", "notFound");
    return { fileName: a.name, contentType: a.contentType, base64: Buffer.from(a.content).toString("base64") };
  }),
});
