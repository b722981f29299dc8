import type { Job } from "bullmq";
import { operatorDb } from "../server/db/client.ts";
import { config } from "../server/config.ts";
import { mailer } from "../server/mail/send.ts";
import { renderMail, type MailJob } from "../server/mail/templates.ts";

/**
 * Sends one transactional e-mail. The delivery row (keyed by job id) makes a retried or re-added job
 * a no-op once the message went out. The one gap left — killed after SMTP accepted and before the row
 * was written — resends once: a duplicate notice beats a lost one.
 */
export async function processMail(job: Job<MailJob>): Promise<"sent" | "already-sent"> {
  const db = operatorDb();
  const jobId = job.id!;
  if (await db.emailDelivery.findUnique({ where: { jobId }, select: { jobId: true } })) return "already-sent";
  const { subject, text } = renderMail(job.data);
  await mailer().sendMail({ from: config().MAIL_FROM, to: job.data.to, subject, text });
  await db.emailDelivery.createMany({ data: [{ jobId, toAddress: job.data.to, subject }], skipDuplicates: true });
  return "sent";
}
