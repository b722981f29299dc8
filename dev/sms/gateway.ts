// The dev/test SMS gateway: a local HTTP server speaking the small JSON protocol our SMS provider
// client uses (POST /send {to, text} → {id}), keeping what it receives for people and tests to read
// (GET /messages). A real provider is the same client pointed at its URL with an API key.
import http from "node:http";

import type { GatewaySms } from "./client.ts";

export async function startSmsGateway(opts: { port?: number; host?: string } = {}) {
  const host = opts.host ?? "127.0.0.1";
  const messages: GatewaySms[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.method === "POST" && url.pathname === "/send") {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        try {
          const { to, text } = JSON.parse(body) as { to?: unknown; text?: unknown };
          if (typeof to !== "string" || !/^\+7\d{10}$/.test(to) || typeof text !== "string" || text.length === 0) {
            res.writeHead(422, { "content-type": "application/json" }).end(JSON.stringify({ error: "invalid" }));
            return;
          }
          const sms = { id: `sms-${messages.length + 1}`, to, text, receivedAt: new Date().toISOString() };
          messages.push(sms);
          res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: sms.id }));
        } catch {
          res.writeHead(400).end();
        }
      });
    } else if (req.method === "GET" && url.pathname === "/messages") {
      const to = url.searchParams.get("to");
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify((to ? messages.filter((m) => m.to === to) : messages).slice().reverse()));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return { url: `http://${host}:${port}`, messages, stop: () => new Promise<void>((r) => server.close(() => r())) };
}
