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
  // Plain SQL for the two statements every e-mail runs: a notice to 100,000 people runs them 100,000
  // times, and the query builder's per-call work cost more CPU than the SMTP exchange (tests/bench/notices.ts).
  if ((await db.$queryRaw<unknown[]>`SELECT 1 FROM email_delivery WHERE job_id = ${jobId}`).length > 0)
    return "already-sent";
  const { subject, text } = renderMail(job.data);
  await mailer().sendMail({ from: config().MAIL_FROM, to: job.data.to, subject, text });
  await db.$executeRaw`INSERT INTO email_delivery (job_id, to_address, subject) VALUES (${jobId}, ${job.data.to}, ${subject}) ON CONFLICT (job_id) DO NOTHING`;
  return "sent";
}
