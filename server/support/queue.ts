// The operator's support queue (operator role, every school): tickets sorted by first-response deadline with
// the overdue mark, one ticket with its school, author and conversation, and its attachments. Replying and
// closing are in service.ts.
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { FileDownload } from "../../domain/files.ts";
import { threadHead, threadInclude, ticketRow, ticketRowSelect } from "./thread.ts";
import type { queueInput } from "./schema.ts";

/** The queue: by deadline, earliest first (at most 300); "active" is everything not closed. */
export async function ticketQueue(db: Tx, input: z.output<typeof queueInput>) {
  const now = new Date();
  const where =
    input.status === "all" ? {} : input.status === "active" ? { status: { not: "closed" } } : { status: input.status };
  const rows = await db.supportTicket.findMany({
    where,
    orderBy: [{ dueAt: "asc" }, { number: "asc" }],
    take: 300,
    select: { ...ticketRowSelect, schoolId: true, closedAt: true },
  });
  const schools = await db.school.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.schoolId))] } },
    select: { id: true, name: true },
  });
  const name = new Map(schools.map((s) => [s.id, s.name]));
  return rows.map((r) => ({ ...ticketRow(r, now), school: name.get(r.schoolId) ?? "" }));
}

/** One ticket for the operator: its school, the author's contacts and the conversation with every author named. */
export async function queuedTicket(db: Tx, ticketId: string) {
  const t = await db.supportTicket.findUnique({
    where: { id: ticketId },
    include: threadInclude,
  });
  if (!t) throw new AppError("NOT_FOUND", "notFound");
  const [school, users] = await Promise.all([
    db.school.findUniqueOrThrow({
      where: { id: t.schoolId },
      select: { id: true, name: true, slug: true, binIin: true },
    }),
    db.user.findMany({
      where: { id: { in: [...new Set([t.authorId, ...t.messages.map((m) => m.authorId)])] } },
      select: { id: true, fullName: true, email: true, phone: true },
    }),
  ]);
  const user = new Map(users.map((u) => [u.id, u]));
  const author = user.get(t.authorId);
  return {
    ...threadHead(t),
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
}

/** Any ticket's attachment, for the operator to download. */
export async function queueAttachment(db: Tx, attachmentId: string): Promise<FileDownload> {
  const a = await db.supportAttachment.findUnique({
    where: { id: attachmentId },
    select: { name: true, contentType: true, content: true },
  });
  if (!a) throw new AppError("NOT_FOUND", "notFound");
  return { fileName: a.name, contentType: a.contentType, base64: Buffer.from(a.content).toString("base64") };
}
