// What the support procedures accept: the ticket kinds and states, a new ticket with its files, a follow-up
// or reply, and the filters of the school's list and the operator's queue.
import { z } from "zod";

export const TICKET_KINDS = ["remark", "proposal", "feedback"] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];
export const TICKET_STATUSES = ["open", "answered", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Files a ticket may carry (their size and type are checked on the decoded bytes: service.ts). */
export const MAX_ATTACHMENTS = 3;

export const attachmentInput = z.object({
  name: z.string().trim().min(1, "required").max(200),
  base64: z.base64("invalid").max(7_000_000, "support.attachmentTooBig"),
});
export type AttachmentInput = z.infer<typeof attachmentInput>;

export const ticketInput = z.object({
  kind: z.enum(TICKET_KINDS, "required"),
  subject: z.string().trim().min(1, "required").max(200),
  text: z.string().trim().min(1, "required").max(10_000),
  files: z.array(attachmentInput).max(MAX_ATTACHMENTS, "support.tooManyAttachments").default([]),
});
export type TicketInput = z.output<typeof ticketInput>;

export const idInput = z.object({ id: z.uuid() });

/** A follow-up from the school or the operator's reply. */
export const messageInput = z.object({ id: z.uuid(), text: z.string().trim().min(1, "required").max(10_000) });

/** The school's list, by state. */
export const listInput = z.object({ status: z.enum(TICKET_STATUSES).optional() });

/** The operator's queue: a state, everything not closed ("active", the default) or all. */
export const queueInput = z.object({ status: z.enum([...TICKET_STATUSES, "active", "all"]).default("active") });
