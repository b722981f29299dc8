// What the Kaspi app and bank do when a person pays: check the account (the app shows what is owed), then pay —
// and when the pay's answer does not come (a timeout, a 5xx), pay again with the SAME txn_id until an answer
// comes or the retries run out, as Kaspi does. Test controls make the trouble happen on purpose: the next answers
// lost (the merchant did the work, the app never heard), and a pay sent again with an old txn_id.
import { NoAnswer, send, type Reply, type Wire } from "./protocol.ts";

export type Attempt = { at: string; reply: Reply | null; lost: "timeout" | "dropped" | null };

export type PayTrace = {
  txnId: string;
  account: string;
  sum: string | null;
  check: Reply | null;
  attempts: Attempt[];
  /** the answer the app acted on; null when none came */
  final: Reply | null;
};

let serial = 0;
/** Kaspi's txn_ids are numbers; unique here across restarts of the stand-in. */
export const newTxnId = () => `${Date.now()}${String(++serial % 1000).padStart(3, "0")}`;

/** Now in Almaty, YYYYMMDDHHMMSS. */
export function txnDate(at = new Date()): string {
  return new Date(at.getTime() + 5 * 3600_000).toISOString().slice(0, 19).replace(/\D/g, "");
}

export type Payer = {
  check(account: string): Promise<Reply>;
  pay(opts: { account: string; sum?: string; txnId?: string; skipCheck?: boolean }): Promise<PayTrace>;
  repeat(txnId: string): Promise<Reply>;
  loseAnswers(n: number): void;
  history: PayTrace[];
};

export function createPayer(wire: Wire, opts: { retries: number; backoffMs: number }): Payer {
  let toLose = 0;
  const history: PayTrace[] = [];
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function attempt(params: Record<string, string>): Promise<Attempt> {
    const at = new Date().toISOString();
    try {
      const reply = await send(wire, params);
      if (toLose > 0) {
        toLose--;
        return { at, reply, lost: "dropped" };
      }
      return { at, reply, lost: null };
    } catch (err) {
      if (err instanceof NoAnswer) return { at, reply: null, lost: "timeout" };
      throw err;
    }
  }

  /** Sends until an answer other than 5xx comes, at most 1 + retries times. */
  async function payWithRetries(params: Record<string, string>, trace: PayTrace): Promise<void> {
    for (let n = 0; n <= opts.retries; n++) {
      if (n > 0) await sleep(opts.backoffMs * 2 ** (n - 1));
      const a = await attempt(params);
      trace.attempts.push(a);
      if (!a.lost && a.reply && a.reply.status < 500) {
        trace.final = a.reply;
        return;
      }
    }
  }

  return {
    history,
    check: (account) => send(wire, { command: "check", txn_id: newTxnId(), account }),
    async pay({ account, sum, txnId, skipCheck }) {
      const trace: PayTrace = {
        txnId: txnId ?? newTxnId(),
        account,
        sum: sum ?? null,
        check: null,
        attempts: [],
        final: null,
      };
      history.unshift(trace);
      if (!skipCheck) {
        trace.check = await send(wire, { command: "check", txn_id: trace.txnId, account });
        // The app stops here when the merchant says no; the payer's own sum, when typed, goes as typed.
        if (trace.check.result !== 0) return trace;
        trace.sum = sum ?? trace.check.sum;
      }
      if (!trace.sum) return trace;
      await payWithRetries(
        { command: "pay", txn_id: trace.txnId, txn_date: txnDate(), account, sum: trace.sum },
        trace,
      );
      return trace;
    },
    async repeat(txnId) {
      const earlier = history.find((t) => t.txnId === txnId);
      return send(wire, {
        command: "pay",
        txn_id: txnId,
        txn_date: txnDate(),
        account: earlier?.account ?? "",
        sum: earlier?.sum ?? "0",
      });
    },
    loseAnswers(n) {
      toLose = n;
    },
  };
}
