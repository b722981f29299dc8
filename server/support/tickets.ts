// The school's side of support (offer 4.1.2, 4.4.3): the tickets list, one ticket with its conversation, the
// author's follow-ups and the attachments. A director sees all of the school's tickets, everyone else their
// own; a ticket the caller may not see is "not found". Operators' names stay out of the cabinet.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { DIRECTOR, hasRole } from "../../domain/roles.ts";
import type { FileDownload } from "../../domain/files.ts";
import { threadHead, threadInclude, ticketRow, ticketRowSelect } from "./thread.ts";
import type { listInput } from "./schema.ts";

type School = Pick<SchoolCtx, "id" | "roles">;
type Actor = { id: string };

/** Whose tickets the caller may see: a director all of the school's, others their own. */
const visibleTo = (school: School, actor: Actor) => (hasRole(school.roles, DIRECTOR) ? {} : { authorId: actor.id });

/** The tickets the caller may see, newest first (at most 200), with their authors and the overdue mark. */
export async function listTickets(tx: Tx, school: School, actor: Actor, input: z.output<typeof listInput>) {
  const now = new Date();
  const rows = await tx.supportTicket.findMany({
    where: { ...visibleTo(school, actor), ...(input.status ? { status: input.status } : {}) },
    orderBy: { openedAt: "desc" },
    take: 200,
    select: { ...ticketRowSelect, authorId: true },
  });
  const authors = await tx.user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.authorId))] } },
    select: { id: true, fullName: true },
  });
  const name = new Map(authors.map((a) => [a.id, a.fullName]));
  return rows.map((r) => ({ ...ticketRow(r, now), author: name.get(r.authorId) ?? "" }));
}

/** One ticket with its conversation and attachments; a reply is from "support", not from a named operator. */
export async function ticketThread(tx: Tx, school: School, actor: Actor, ticketId: string) {
  const t = await tx.supportTicket.findFirst({
    where: { id: ticketId, ...visibleTo(school, actor) },
    include: threadInclude,
  });
  if (!t) throw new AppError("NOT_FOUND", "notFound");
  const schoolAuthors = [t.authorId, ...t.messages.filter((m) => !m.fromOperator).map((m) => m.authorId)];
  const authors = await tx.user.findMany({
    where: { id: { in: [...new Set(schoolAuthors)] } },
    select: { id: true, fullName: true },
  });
  const name = new Map(authors.map((a) => [a.id, a.fullName]));
  return {
    ...threadHead(t),
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
}

/** The author's (or a director's) follow-up: back in the operator's queue as open; a closed ticket refuses it. */
export async function addSchoolMessage(tx: Tx, school: School, actor: Actor, input: { id: string; text: string }) {
  const ticket = await tx.supportTicket.findFirst({
    where: { id: input.id, ...visibleTo(school, actor) },
    select: { id: true, status: true },
  });
  if (!ticket) throw new AppError("NOT_FOUND", "notFound");
  if (ticket.status === "closed") throw new AppError("CONFLICT", "support.closed");
  await tx.supportMessage.create({
    data: {
      id: randomUUID(),
      schoolId: school.id,
      ticketId: ticket.id,
      authorId: actor.id,
      fromOperator: false,
      text: input.text,
    },
  });
  if (ticket.status === "answered")
    await tx.supportTicket.update({ where: { id: ticket.id }, data: { status: "open" } });
  return { ok: true };
}

/** An attachment of a ticket the caller may see, for download. */
export async function ticketAttachment(
  tx: Tx,
  school: School,
  actor: Actor,
  attachmentId: string,
): Promise<FileDownload> {
  const a = await tx.supportAttachment.findUnique({
    where: { id: attachmentId },
    select: { name: true, contentType: true, content: true, ticket: { select: { authorId: true } } },
  });
  if (!a || (!hasRole(school.roles, DIRECTOR) && a.ticket.authorId !== actor.id))
    throw new AppError("NOT_FOUND", "notFound");
  return { fileName: a.name, contentType: a.contentType, base64: Buffer.from(a.content).toString("base64") };
}
