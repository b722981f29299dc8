// The job worker (outbox: mail, SMS, imports) running around a suite, for tests that wait for what it sends.
import { startWorker } from "../jobs/worker.ts";

/** Starts the worker before the surrounding suite's tests (a file or a `describe`) and stops it after them. */
export function workerAround(): void {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  beforeAll(async () => {
    worker = await startWorker();
  });
  afterAll(() => worker.stop());
}
