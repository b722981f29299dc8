// The "auth" queue: the halves of "forgot password" and of sign-up that look an e-mail address up. The
// request path only queues a job (the same for any address, so nothing there tells registered addresses
// apart); here the worker decides what, if anything, to send. Jobs are idempotent by their id.
import type { Job } from "bullmq";
import { operatorDb } from "../server/db/client.ts";
import { answerResetRequest, type ResetRequest } from "../server/auth/reset-mail.ts";
import { answerSignupRequest, type SignupJob } from "../server/signup/confirm.ts";

export async function processAuth(job: Job): Promise<string> {
  const jobId = job.id!;
  if (job.name === "passwordReset") {
    return operatorDb().$transaction((tx) => answerResetRequest(tx, jobId, job.data as ResetRequest));
  }
  if (job.name === "signup") {
    return operatorDb().$transaction((tx) => answerSignupRequest(tx, jobId, job.data as SignupJob));
  }
  throw new Error(`auth queue: unknown job ${job.name}`);
}
