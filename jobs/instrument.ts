// Every job attempt, timed for /metrics (am_job_duration_seconds{queue,outcome}) and run with its queue and
// id as log context: each log line written while it runs carries them (server/log.ts). Applied to every
// processor by bullWorker (server/queues.ts).
import type { Processor } from "bullmq";
import client from "prom-client";
import { registry } from "../server/http/registry.ts";
import { runWithStore } from "../server/http/request-context.ts";

const jobDuration = new client.Histogram({
  name: "am_job_duration_seconds",
  help: "Job attempts by queue and outcome (a failed attempt is retried by BullMQ until its attempts run out)",
  labelNames: ["queue", "outcome"] as const,
  buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
  registers: [registry],
});

export function instrumented(queue: string, processor: Processor): Processor {
  return (job, token, signal) =>
    runWithStore({ job: { queue, id: job.id } }, async () => {
      const started = performance.now();
      try {
        const result: unknown = await processor(job, token, signal);
        jobDuration.observe({ queue, outcome: "completed" }, (performance.now() - started) / 1000);
        return result;
      } catch (err) {
        jobDuration.observe({ queue, outcome: "failed" }, (performance.now() - started) / 1000);
        throw err;
      }
    });
}
