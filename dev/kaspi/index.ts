// The local Kaspi for dev and tests (this machine has no internet): it plays the payer's Kaspi app and bank
// against OUR real endpoint (/pay/kaspi/<payee>), over HTTP, with the payee's secret — nothing of the app is
// called in-process. `npm start` runs it on port 2529 while the Kaspi settings still hold the development secret.
//   Page: GET / (?account=…&back=…) shows what the account owes (a check), POST / pays it (check, then pay with
//     retries) and shows every attempt — what a developer uses to pay an invoice.
//   Controls (JSON): POST /__fake/pay {account, sum?, txn_id?, skip_check?} → the trace;
//     POST /__fake/repeat {txn_id} → a pay sent again with that txn_id; POST /__fake/lose-answers {count} → the next
//     pay answers are lost (a timeout after the merchant did the work); GET /__fake/history.
import http from "node:http";

import { logger } from "../../server/log.ts";
import { createPayer, type Payer, type PayTrace } from "./payer.ts";
import type { Wire } from "./protocol.ts";
import { payPage, resultPage } from "./pages.ts";

export type KaspiStandIn = Payer & { url: string; close(): Promise<void> };

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
  const wire: Wire = {
    endpoint: opts.endpoint,
    secret: opts.secret,
    auth: opts.auth ?? "basic",
    format: opts.format ?? "xml",
    method: opts.method ?? "GET",
    timeoutMs: opts.timeoutMs ?? 15_000,
  };
  const payer = createPayer(wire, { retries: opts.retries ?? 5, backoffMs: opts.backoffMs ?? 100 });
  const host = opts.host ?? "127.0.0.1";
  const server = http.createServer((req, res) => {
    handle(payer, req, res).catch((err: unknown) => {
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
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const json = (res: http.ServerResponse, status: number, body: unknown) =>
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));

async function handle(payer: Payer, req: http.IncomingMessage, res: http.ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString("utf8");
  const url = new URL(req.url ?? "/", "http://x");
  const back = url.searchParams.get("back");
  const safeBack = back && /^https?:\/\//.test(back) ? back : null;
  if (url.pathname === "/" && req.method === "GET") {
    const account = url.searchParams.get("account")?.trim() ?? "";
    const check = account ? await payer.check(account) : null;
    return payPage(res, { account, check, back: safeBack, history: payer.history });
  }
  if (url.pathname === "/" && req.method === "POST") {
    const form = new URLSearchParams(body);
    const sum = form.get("sum")?.trim();
    const trace = await payer.pay({ account: form.get("account")?.trim() ?? "", ...(sum ? { sum } : {}) });
    return resultPage(res, {
      trace,
      back: form.get("back") && /^https?:\/\//.test(form.get("back")!) ? form.get("back") : null,
    });
  }
  const p = req.method === "POST" && body ? (JSON.parse(body) as Record<string, unknown>) : {};
  if (req.method === "POST" && url.pathname === "/__fake/pay") {
    const trace: PayTrace = await payer.pay({
      account: String(p.account ?? ""),
      ...(p.sum !== undefined ? { sum: String(p.sum) } : {}),
      ...(p.txn_id !== undefined ? { txnId: String(p.txn_id) } : {}),
      skipCheck: p.skip_check === true,
    });
    return json(res, 200, trace);
  }
  if (req.method === "POST" && url.pathname === "/__fake/repeat")
    return json(res, 200, await payer.repeat(String(p.txn_id ?? "")));
  if (req.method === "POST" && url.pathname === "/__fake/lose-answers") {
    payer.loseAnswers(Number(p.count ?? 1));
    return json(res, 200, { losing: Number(p.count ?? 1) });
  }
  if (req.method === "GET" && url.pathname === "/__fake/history") return json(res, 200, payer.history);
  json(res, 404, { error: `Unknown path ${req.method} ${url.pathname}` });
}
