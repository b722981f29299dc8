// One ticket's thread as both sides read it: what to load with the ticket (the conversation and the
// attachments, oldest first) and the ticket's own fields with the overdue mark. Who may see it and how the
// authors are named differ, and stay in queue.ts (the operator) and tickets.ts (the school).
import type { Prisma } from "../db/client.ts";
import { isOverdue } from "./service.ts";
import type { TicketKind, TicketStatus } from "./schema.ts";

/** A ticket's row in a list (the queue adds the school and the closing time, the school's list the author). */
export const ticketRowSelect = {
  id: true,
  number: true,
  kind: true,
  subject: true,
  status: true,
  openedAt: true,
  dueAt: true,
  firstResponseAt: true,
} satisfies Prisma.SupportTicketSelect;

/** A listed ticket's row, typed, with the overdue mark as of `now`. */
export function ticketRow<R extends { kind: string; status: string; dueAt: Date; firstResponseAt: Date | null }>(
  r: R,
  now: Date,
) {
  return { ...r, kind: r.kind as TicketKind, status: r.status as TicketStatus, overdue: isOverdue(r, now) };
}

/** The conversation and the attachments, oldest first. */
export const threadInclude = {
  messages: {
    orderBy: { createdAt: "asc" },
    select: { id: true, fromOperator: true, authorId: true, text: true, createdAt: true },
  },
  attachments: { orderBy: { createdAt: "asc" }, select: { id: true, name: true, contentType: true, size: true } },
} satisfies Prisma.SupportTicketInclude;

type ThreadTicket = {
  id: string;
  number: number;
  kind: string;
  subject: string;
  text: string;
  status: string;
  openedAt: Date;
  dueAt: Date;
  firstResponseAt: Date | null;
  closedAt: Date | null;
};

/** The ticket's own fields, typed, with the overdue mark as of now. */
export function threadHead(t: ThreadTicket) {
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
  };
}
