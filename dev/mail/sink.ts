// The dev/test mail sink: a real SMTP server on localhost that keeps what it receives and lists it
// over HTTP (GET /messages). nodemailer talks real SMTP to it; nothing is stubbed. With `keep: false`
// (the benchmarks' 100,000 e-mails) it only counts: every message is still read to its end over real
// SMTP, but neither parsed nor kept; GET /stats gives the counts.
import { logger } from "../../server/log.ts";
import http from "node:http";
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";

import type { SunkMessage } from "./client.ts";

export async function startMailSink(
  opts: { smtpPort?: number; httpPort?: number; host?: string; keep?: boolean } = {},
) {
  const host = opts.host ?? "127.0.0.1";
  const keep = opts.keep ?? true;
  const messages: SunkMessage[] = [];
  /** Counted in both modes: messages accepted, and the distinct addresses they went to. */
  const stats = { received: 0, bytes: 0, recipients: new Set<string>() };
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    disableReverseLookup: true,
    onData(stream, session, callback) {
      const count = () => {
        stats.received++;
        for (const r of session.envelope.rcptTo) stats.recipients.add(r.address.toLowerCase());
      };
      if (!keep) {
        stream.on("data", (chunk: Buffer) => (stats.bytes += chunk.length));
        stream.once("end", () => (count(), callback()));
        stream.once("error", callback);
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          messages.push({
            id: messages.length + 1,
            to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            subject: mail.subject ?? "",
            text: mail.text ?? "",
            receivedAt: new Date().toISOString(),
          });
          count();
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once("error", reject);
    smtp.listen(opts.smtpPort ?? 0, host, () => resolve());
  });
  // A sender that dies mid-message (a worker killed in a test) resets its connection: not the sink's problem.
  smtp.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "ECONNRESET" && err.code !== "EPIPE") logger.warn({ err }, "mail sink: connection error");
  });
  const web = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/messages") {
      const to = url.searchParams.get("to")?.toLowerCase();
      const list = to ? messages.filter((m) => m.to.includes(to)) : messages;
      res.writeHead(200, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify([...list].reverse()));
    } else if (url.pathname === "/stats") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ received: stats.received, recipients: stats.recipients.size, bytes: stats.bytes }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => web.listen(opts.httpPort ?? 0, host, () => resolve()));
  const smtpPort = (smtp.server.address() as { port: number }).port;
  const httpPort = (web.address() as { port: number }).port;
  return {
    smtpUrl: `smtp://${host}:${smtpPort}`,
    httpUrl: `http://${host}:${httpPort}`,
    messages,
    stats,
    stop: async () => {
      await new Promise<void>((r) => smtp.close(() => r()));
      await new Promise<void>((r) => web.close(() => r()));
    },
  };
}
