// The local Kaspi for dev and tests (this machine has no internet): it plays the payer's Kaspi app and bank
// against OUR real endpoints (/pay/kaspi/<payee>), over HTTP, with each payee's secret — nothing of the app is
// called in-process. `npm start` runs it on port 2529 while the Kaspi settings still hold the development secret.
// It knows the payee it was started with (the operator's `avtomektep`) and any payee registered with it later — a
// school's tuition payee `school-<slug>` with the secret its director set, as a merchant registers with Kaspi.
//   Page: GET / (?payee=…&account=…&back=…) shows what the account owes that payee (a check), POST / pays it
//     (check, then pay with retries) and shows every attempt — what a developer uses to pay an invoice or an
//     instalment. A payee the stand-in does not know yet asks for its secret first (POST /payees).
//   Controls (JSON): POST /__fake/payees {payee, secret, auth?} registers a payee on this server's /pay/kaspi/;
//     POST /__fake/pay {payee?, account, sum?, txn_id?, skip_check?} → the trace; POST /__fake/repeat {txn_id} → a
//     pay sent again with that txn_id, to the payee it went to; POST /__fake/lose-answers {payee?, count} → the
//     next pay answers are lost (a timeout after the merchant did the work); GET /__fake/history?payee=….
import http from "node:http";

import { logger } from "../../server/log.ts";
import { createPayer, type Payer, type PayTrace } from "./payer.ts";
import type { Wire } from "./protocol.ts";
import { payHref, payPage, registerPage, resultPage } from "./pages.ts";

export { payHref };

/** How the stand-in reaches one payee: its secret and, unless it is on the same server, its endpoint. */
export type PayeeOptions = {
  secret: string;
  /** defaults to the first payee's endpoint with the last segment replaced by the payee's name */
  endpoint?: string;
  auth?: "basic" | "path";
  format?: "xml" | "json";
  method?: "GET" | "POST";
};

export type KaspiStandIn = Payer & {
  url: string;
  /** the payee it was started with (the last segment of `endpoint`), whose payer the spread methods are */
  payeeName: string;
  /** registers (or replaces) a payee, e.g. a school's `school-<slug>` with the secret its director set */
  addPayee(name: string, opts: PayeeOptions): Payer;
  payee(name: string): Payer | undefined;
  close(): Promise<void>;
};

/** Payee names as our endpoints take them (`avtomektep`, `school-<slug>`). */
const PAYEE_NAME = /^[a-z0-9][a-z0-9-]{0,70}$/;

export async function startKaspiStandIn(opts: {
  port: number;
  host?: string;
  /** the merchant's endpoint, e.g. http://localhost:3000/pay/kaspi/avtomektep */
  endpoint: string;
  secret: string;
  auth?: "basic" | "path";
  format?: "xml" | "json";
  method?: "GET" | "POST";
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
}): Promise<KaspiStandIn> {
  const base = opts.endpoint.replace(/\/+$/, "");
  const payeeName = base.slice(base.lastIndexOf("/") + 1);
  const payers = new Map<string, Payer>();
  const addPayee = (name: string, p: PayeeOptions): Payer => {
    const wire: Wire = {
      endpoint: p.endpoint ?? `${base.slice(0, base.lastIndexOf("/") + 1)}${name}`,
      secret: p.secret,
      auth: p.auth ?? "basic",
      format: p.format ?? "xml",
      method: p.method ?? "GET",
      timeoutMs: opts.timeoutMs ?? 15_000,
    };
    const payer = createPayer(wire, { retries: opts.retries ?? 5, backoffMs: opts.backoffMs ?? 100 });
    payers.set(name, payer);
    return payer;
  };
  const payer = addPayee(payeeName, { ...opts, endpoint: base });
  const standIn: StandIn = { payeeName, payers, addPayee };
  const host = opts.host ?? "127.0.0.1";
  const server = http.createServer((req, res) => {
    handle(standIn, req, res).catch((err: unknown) => {
      logger.warn({ err }, "local Kaspi failed a request");
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end("Local Kaspi failed");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  const { port } = server.address() as { port: number };
  return {
    ...payer,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    payeeName,
    addPayee,
    payee: (name) => payers.get(name),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

type StandIn = { payeeName: string; payers: Map<string, Payer>; addPayee: (name: string, p: PayeeOptions) => Payer };

const json = (res: http.ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));

const safeUrl = (v: string | null | undefined) => (v && /^https?:\/\//.test(v) ? v : null);

async function handle(k: StandIn, req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  const url = new URL(req.url ?? "/", "http://x");
  const form = req.method === "POST" && url.pathname.startsWith("/__fake/") ? null : new URLSearchParams(body);
  const params = req.method === "POST" && form ? form : url.searchParams;
  const payee = params.get("payee")?.trim() || k.payeeName;
  const account = params.get("account")?.trim() ?? "";
  const back = safeUrl(params.get("back"));
  if (!url.pathname.startsWith("/__fake/") && !PAYEE_NAME.test(payee)) return json(res, 400, { error: "Bad payee" });
  if (url.pathname === "/payees" && req.method === "POST") {
    const secret = form?.get("secret")?.trim() ?? "";
    if (secret) k.addPayee(payee, { secret });
    return res.writeHead(303, { location: payHref({ payee, account, back }) }).end();
  }
  if (url.pathname === "/" && (req.method === "GET" || req.method === "POST")) {
    const payer = k.payers.get(payee);
    if (!payer) return registerPage(res, { payee, account, back });
    if (req.method === "GET") {
      const check = account ? await payer.check(account) : null;
      return payPage(res, { payee, account, check, back, history: payer.history });
    }
    const sum = form?.get("sum")?.trim();
    const trace = await payer.pay({ account, ...(sum ? { sum } : {}) });
    return resultPage(res, { payee, trace, back });
  }
  const p = req.method === "POST" && body ? (JSON.parse(body) as Record<string, unknown>) : {};
  const named = (v: unknown) => (typeof v === "string" && v ? v : k.payeeName);
  const payerOf = (v: unknown) => k.payers.get(named(v));
  if (req.method === "POST" && url.pathname === "/__fake/payees") {
    const name = named(p.payee);
    if (!PAYEE_NAME.test(name) || typeof p.secret !== "string" || !p.secret)
      return json(res, 400, { error: "Bad payee" });
    k.addPayee(name, { secret: p.secret, ...(p.auth === "path" ? { auth: "path" as const } : {}) });
    return json(res, 200, { payee: name });
  }
  if (req.method === "POST" && url.pathname === "/__fake/pay") {
    const payer = payerOf(p.payee);
    if (!payer) return json(res, 404, { error: `Unknown payee ${named(p.payee)}` });
    const trace: PayTrace = await payer.pay({
      account: String(p.account ?? ""),
      ...(p.sum !== undefined ? { sum: String(p.sum) } : {}),
      ...(p.txn_id !== undefined ? { txnId: String(p.txn_id) } : {}),
      skipCheck: p.skip_check === true,
    });
    return json(res, 200, trace);
  }
  if (req.method === "POST" && url.pathname === "/__fake/repeat") {
    // Sent again to the payee the first one went to.
    const txnId = String(p.txn_id ?? "");
    const payer =
      [...k.payers.values()].find((x) => x.history.some((t) => t.txnId === txnId)) ?? k.payers.get(k.payeeName)!;
    return json(res, 200, await payer.repeat(txnId));
  }
  if (req.method === "POST" && url.pathname === "/__fake/lose-answers") {
    const payer = payerOf(p.payee);
    if (!payer) return json(res, 404, { error: `Unknown payee ${named(p.payee)}` });
    payer.loseAnswers(Number(p.count ?? 1));
    return json(res, 200, { losing: Number(p.count ?? 1) });
  }
  if (req.method === "GET" && url.pathname === "/__fake/history")
    return json(res, 200, payerOf(url.searchParams.get("payee"))?.history ?? []);
  json(res, 404, { error: `Unknown path ${req.method} ${url.pathname}` });
}
