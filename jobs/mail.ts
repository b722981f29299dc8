import type { Job } from "bullmq";
import { operatorDb } from "../server/db/client.ts";
import { config } from "../server/config.ts";
import { composeText, mailer } from "../server/mail/send.ts";
import { renderMail, type MailJob } from "../server/mail/templates.ts";

/** How long a delivery check or record waits for others to share its statement: a few ms on an e-mail's way. */
const COALESCE_MS = 4;

/**
 * Gathers the calls made while a statement is on its way into the next statement: the mail worker runs
 * many jobs at once, and a notice to 100,000 people would otherwise cost 200,000 statements, half of
 * them commits (tests/bench/notices.ts). Each caller still waits for its own answer, so a job completes
 * only once its statement has.
 */
function coalesce<In, Out>(run: (items: In[]) => Promise<Out[]>, waitMs = COALESCE_MS): (item: In) => Promise<Out> {
  let waiting: { item: In; resolve: (o: Out) => void; reject: (e: unknown) => void }[] = [];
  let busy = false;
  const flush = async () => {
    busy = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        const out = await run(batch.map((w) => w.item));
        for (const [i, w] of batch.entries()) w.resolve(out[i]!);
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    busy = false;
  };
  return (item) =>
    new Promise<Out>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      // The first caller waits a moment for the jobs that start or finish meanwhile to join its statement.
      if (!busy && waiting.length === 1) setTimeout(() => void flush(), waitMs);
    });
}

/** Whether each job id already has its delivery row. */
const alreadySent = coalesce<string, boolean>(async (jobIds) => {
  const rows = await operatorDb().$queryRaw<{ job_id: string }[]>`
    SELECT job_id FROM email_delivery WHERE job_id = ANY(${jobIds}::text[])`;
  const sent = new Set(rows.map((r) => r.job_id));
  return jobIds.map((id) => sent.has(id));
});

type Delivery = { jobId: string; to: string; subject: string };

/** Writes the delivery rows, one statement (one commit) for all the e-mails that went out meanwhile. */
const recordSent = coalesce<Delivery, void>(async (list) => {
  await operatorDb().$executeRaw`
    INSERT INTO email_delivery (job_id, to_address, subject)
    SELECT * FROM unnest(${list.map((d) => d.jobId)}::text[], ${list.map((d) => d.to)}::text[], ${list.map((d) => d.subject)}::text[])
    ON CONFLICT (job_id) DO NOTHING`;
  return list.map(() => undefined);
});

/**
 * Sends one transactional e-mail. The delivery row (keyed by job id) makes a retried or re-added job
 * a no-op once the message went out. The one gap left — killed after SMTP accepted and before the row
 * was written — resends once: a duplicate notice beats a lost one.
 */
export async function processMail(job: Job<MailJob>): Promise<"sent" | "already-sent"> {
  const jobId = job.id!;
  if (await alreadySent(jobId)) return "already-sent";
  const { subject, text } = renderMail(job.data);
  const mail = { to: job.data.to, subject, text };
  await mailer().sendMail(composeText(mail) ?? { from: config().MAIL_FROM, ...mail });
  await recordSent({ jobId, to: job.data.to, subject });
  return "sent";
}
