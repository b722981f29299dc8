// Waiting in a test for something another process (the worker, Redis, the relay) makes true.

/** Polls `what` every 25 ms until it holds; fails the test after `ms`, naming `label`. */
export async function until(what: () => Promise<boolean> | boolean, ms = 60_000, label = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
