// Support tickets (offer 4.1.2, 4.4.3): the rules — first-response deadlines counted in support hours,
// attachments recognised by their content — and the writes: a ticket opened from the cabinet, the operator's
// replies (each e-mailed once to the author, in their language) and closing. What the school reads and its
// follow-ups are in tickets.ts; the operator's queue in queue.ts.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { enqueueMail } from "../outbox/enqueue.ts";
import { config } from "../config.ts";
import { formatDateTime, translator, type Locale } from "../../domain/i18n/index.ts";
import { supportDeadline } from "../contract/calendar.ts";
import { sniffImage } from "../documents/image.ts";
import { MAX_ATTACHMENTS, type AttachmentInput, type TicketInput, type TicketKind } from "./schema.ts";

/**
 * First-response time in support hours (4.1.2 sets the hours, not the time per kind — this is our rule):
 * a remark (something does not work) within 8 support hours, a proposal or feedback within 16.
 */
export const RESPONSE_HOURS: Record<TicketKind, number> = { remark: 8, proposal: 16, feedback: 16 };

export function firstResponseDue(kind: TicketKind, openedAt: Date): Date {
  return supportDeadline(openedAt, RESPONSE_HOURS[kind]);
}

/** Overdue: no first response by the deadline (a late first response keeps the mark). */
export function isOverdue(t: { dueAt: Date; firstResponseAt: Date | null }, now: Date): boolean {
  return t.firstResponseAt ? t.firstResponseAt > t.dueAt : now > t.dueAt;
}

// ---------------------------------------------------------------------------------------------
// Attachments

// server/http/body-limit.ts sizes a ticket's request by these two.
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export type AttachmentType = "image/png" | "image/jpeg" | "application/pdf" | "text/plain";

/** The type by the first bytes (PNG, JPEG, PDF) or, for text, by being valid UTF-8 without control characters. */
export function sniffAttachment(b: Uint8Array): AttachmentType | null {
  const image = sniffImage(b);
  if (image === "image/png" || image === "image/jpeg") return image;
  if (b.length >= 5 && String.fromCharCode(...b.subarray(0, 5)) === "%PDF-") return "application/pdf";
  if (b.length === 0) return null;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(b);
  } catch {
    return null;
  }
  return /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text) ? null : "text/plain";
}

type CheckedAttachment = { name: string; contentType: AttachmentType; bytes: Buffer };

/** Decodes and checks the files; a refusal names the file, in the user's language. */
export function checkAttachments(files: AttachmentInput[]): CheckedAttachment[] {
  if (files.length > MAX_ATTACHMENTS)
    throw new AppError("BAD_REQUEST", "support.tooManyAttachments", { max: MAX_ATTACHMENTS }, "files");
  return files.map((f) => {
    const bytes = Buffer.from(f.base64, "base64");
    if (bytes.length > MAX_ATTACHMENT_BYTES)
      throw new AppError("BAD_REQUEST", "support.attachmentTooBig", { name: f.name }, "files");
    const contentType = sniffAttachment(bytes);
    if (!contentType) throw new AppError("BAD_REQUEST", "support.attachmentType", { name: f.name }, "files");
    return { name: f.name, contentType, bytes };
  });
}

// ---------------------------------------------------------------------------------------------
// Writes

const link = (slug: string, id: string) => `${config().publicUrl}/s/${slug}/support/${id}`;
const when = (d: Date) => formatDateTime(d);

/** Opens a ticket in the school's transaction (app role, RLS): numbered per school, deadline set, author told. */
export async function openTicket(
  db: Tx,
  school: { id: string; slug: string },
  author: { id: string; email: string; fullName: string; locale: Locale },
  input: TicketInput,
  now: Date = new Date(),
) {
  const files = checkAttachments(input.files);
  // Numbers are per school: serialise the school's openings so two at once cannot take the same one.
  await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`support:${school.id}`}))`;
  const last = await db.supportTicket.aggregate({ where: { schoolId: school.id }, _max: { number: true } });
  const number = (last._max.number ?? 0) + 1;
  const dueAt = firstResponseDue(input.kind, now);
  const id = randomUUID();
  await db.supportTicket.create({
    data: {
      id,
      schoolId: school.id,
      number,
      authorId: author.id,
      kind: input.kind,
      subject: input.subject,
      text: input.text,
      openedAt: now,
      dueAt,
    },
  });
  if (files.length > 0) {
    await db.supportAttachment.createMany({
      data: files.map((f) => ({
        id: randomUUID(),
        schoolId: school.id,
        ticketId: id,
        name: f.name,
        contentType: f.contentType,
        size: f.bytes.length,
        content: new Uint8Array(f.bytes),
      })),
    });
  }
  const t = translator(author.locale);
  await enqueueMail(db, `support-opened-${id}`, {
    to: author.email,
    locale: author.locale,
    template: "supportReceived",
    params: {
      name: author.fullName,
      number: String(number),
      subject: input.subject,
      kind: t(`support:kind.${input.kind}`),
      due: when(dueAt),
      link: link(school.slug, id),
    },
  });
  // The operator's support desk hears of it at once, with the deadline it must meet.
  const ru = translator("ru");
  await enqueueMail(db, `support-opened-${id}-operator`, {
    to: config().OPERATOR_ALERT_EMAIL,
    locale: "ru",
    template: "supportOperatorNew",
    params: {
      number: String(number),
      subject: input.subject,
      kind: ru(`support:kind.${input.kind}`),
      due: when(dueAt),
      link: `${config().publicUrl}/admin/support/${id}`,
    },
  });
  return { id, number, dueAt };
}

/**
 * The operator's reply (operator role), in a transaction of its own: the first one records first_response_at;
 * the author gets one e-mail per reply (job id `support-reply-<messageId>`), in their language.
 */
export async function replyToTicket(
  db: PrismaClient,
  meta: RequestMeta,
  operatorId: string,
  ticketId: string,
  text: string,
  now: Date = new Date(),
) {
  return db.$transaction((tx) => reply(tx, meta, operatorId, ticketId, text, now));
}

async function reply(db: Tx, meta: RequestMeta, operatorId: string, ticketId: string, text: string, now: Date) {
  const locked = await db.$queryRaw<
    { id: string }[]
  >`SELECT id FROM support_ticket WHERE id = ${ticketId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw new AppError("NOT_FOUND", "notFound");
  const ticket = await db.supportTicket.findUniqueOrThrow({ where: { id: ticketId } });
  if (ticket.status === "closed") throw new AppError("CONFLICT", "support.closed");
  const messageId = randomUUID();
  await db.supportMessage.create({
    data: {
      id: messageId,
      schoolId: ticket.schoolId,
      ticketId,
      authorId: operatorId,
      fromOperator: true,
      text,
      createdAt: now,
    },
  });
  await db.supportTicket.update({
    where: { id: ticketId },
    data: { status: "answered", firstResponseAt: ticket.firstResponseAt ?? now },
  });
  const [author, school] = await Promise.all([
    db.user.findUniqueOrThrow({
      where: { id: ticket.authorId },
      select: { email: true, fullName: true, locale: true, deactivatedAt: true },
    }),
    db.school.findUniqueOrThrow({ where: { id: ticket.schoolId }, select: { slug: true } }),
  ]);
  if (!author.deactivatedAt) {
    await enqueueMail(db, `support-reply-${messageId}`, {
      to: author.email,
      locale: author.locale,
      template: "supportReply",
      params: {
        name: author.fullName,
        number: String(ticket.number),
        subject: ticket.subject,
        text,
        link: link(school.slug, ticketId),
      },
    });
  }
  await audit(db, meta, {
    action: "support.replied",
    schoolId: ticket.schoolId,
    actorUserId: operatorId,
    details: { ticketId, number: ticket.number, first: !ticket.firstResponseAt },
  });
  return { messageId, firstResponse: !ticket.firstResponseAt };
}

/** Closes a ticket (operator role), in a transaction of its own; closing twice is refused. */
export async function closeTicket(
  db: PrismaClient,
  meta: RequestMeta,
  operatorId: string,
  ticketId: string,
  now: Date = new Date(),
) {
  await db.$transaction(async (tx) => {
    const ticket = await tx.supportTicket.findUnique({
      where: { id: ticketId },
      select: { status: true, schoolId: true, number: true },
    });
    if (!ticket) throw new AppError("NOT_FOUND", "notFound");
    if (ticket.status === "closed") throw new AppError("CONFLICT", "support.closed");
    await tx.supportTicket.update({
      where: { id: ticketId },
      data: { status: "closed", closedAt: now, closedBy: operatorId },
    });
    await audit(tx, meta, {
      action: "support.closed",
      schoolId: ticket.schoolId,
      actorUserId: operatorId,
      details: { ticketId, number: ticket.number },
    });
  });
  return { ok: true };
}
