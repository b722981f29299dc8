import type { Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";
import type { MailJob } from "../mail/templates.ts";

/**
 * Writes a job into the transactional outbox, in the caller's transaction: the job exists exactly
 * when the change that needs it commits. `jobId` is deterministic and unique in the table, so the
 * same logical job can never be queued twice (jobs/relay.ts moves rows to BullMQ with that id).
 */
export async function enqueue(
  db: Pick<Tx, "outboxEvent">,
  job: {
    queue: "mail" | "import" | "sms" | "archive" | "auth";
    name: string;
    jobId: string;
    payload: Prisma.InputJsonValue;
  },
): Promise<void> {
  await db.outboxEvent.createMany({
    data: [{ queue: job.queue, jobName: job.name, jobId: job.jobId, payload: job.payload }],
    skipDuplicates: true,
  });
}

/** An e-mail for the `mail` queue (jobs/ renders it in the recipient's language and sends it), in the outbox. */
export function enqueueMail(db: Pick<Tx, "outboxEvent">, jobId: string, mail: MailJob): Promise<void> {
  return enqueue(db, { queue: "mail", name: "send", jobId, payload: mail });
}
