import type { Job } from "bullmq";
import { operatorDb } from "../server/db/client.ts";
import { smsProvider } from "../server/sms/provider.ts";
import { logger } from "../server/log.ts";

export type SmsJob = { to: string; text: string };

/** Sends one SMS, once: the delivery row keyed by job id makes a retried or re-added job a no-op. */
export async function processSms(job: Job<SmsJob>): Promise<"sent" | "already-sent" | "no-provider"> {
  const db = operatorDb();
  const jobId = job.id!;
  if (await db.smsDelivery.findUnique({ where: { jobId }, select: { jobId: true } })) return "already-sent";
  const provider = smsProvider();
  if (!provider) {
    logger.warn({ jobId }, "no SMS_GATEWAY_URL: SMS not sent");
    return "no-provider";
  }
  const { providerId } = await provider.send(job.data.to, job.data.text);
  await db.smsDelivery.createMany({
    data: [{ jobId, toPhone: job.data.to, body: job.data.text, providerId }],
    skipDuplicates: true,
  });
  return "sent";
}
