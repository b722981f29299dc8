// Webhook delivery as Stripe does it: signed (Stripe-Signature: t=…,v1=HMAC-SHA256("t.body")) and, while the
// receiver fails, retried up to 5 times with 100 ms × 2ⁿ backoff, in the background.
import { createHmac } from "node:crypto";
import type Stripe from "stripe";

import { logger } from "../../server/log.ts";
import { now } from "./state.ts";

export type Webhooks = {
  /** starts delivering (no-op without a webhook URL or once stopped); settles after the first attempt */
  deliver(event: Stripe.Event): Promise<void>;
  /** resolves when no delivery (first attempts and retries) is in flight */
  settle(): Promise<void>;
  /** no more attempts; retries waiting for their turn end now */
  stop(): void;
};

export function createWebhooks(opts: { webhookUrl: string | null; webhookSecret: string }): Webhooks {
  const deliveries = new Set<Promise<void>>();
  const sleepers = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  let closed = false;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = { timer: setTimeout(() => wake(), ms), wake: () => wake() };
      const wake = () => {
        clearTimeout(entry.timer);
        sleepers.delete(entry);
        resolve();
      };
      sleepers.add(entry);
    });

  async function attempt(event: Stripe.Event): Promise<boolean> {
    const body = JSON.stringify(event, null, 2);
    const t = now();
    const v1 = createHmac("sha256", opts.webhookSecret).update(`${t}.${body}`).digest("hex");
    try {
      const res = await fetch(opts.webhookUrl!, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "stripe-signature": `t=${t},v1=${v1}`,
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  function deliver(event: Stripe.Event): Promise<void> {
    if (!opts.webhookUrl || closed) return Promise.resolve();
    let firstDone = () => {};
    const first = new Promise<void>((resolve) => (firstDone = resolve));
    const all = (async () => {
      for (let n = 0; n <= 5; n++) {
        if (n > 0) await sleep(100 * 2 ** (n - 1));
        if (closed) break;
        const ok = await attempt(event);
        firstDone();
        if (ok) return;
      }
      firstDone();
      if (!closed) logger.warn({ eventId: event.id, type: event.type }, "local Stripe gave up delivering a webhook");
    })();
    deliveries.add(all);
    void all.finally(() => deliveries.delete(all));
    return first;
  }

  return {
    deliver,
    async settle() {
      while (deliveries.size > 0) await Promise.all([...deliveries]);
    },
    stop() {
      closed = true;
      for (const s of [...sleepers]) s.wake();
    },
  };
}
