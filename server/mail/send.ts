import nodemailer, { type Transporter } from "nodemailer";
import { config } from "../config.ts";

let transport: Transporter | undefined;

/** At least the mail worker's concurrency (jobs/worker.ts), so no send waits for a free connection. */
const MAX_CONNECTIONS = 8;

/**
 * SMTP relay from SMTP_URL; in dev and tests that is the local mail sink (dev/mail/sink.ts).
 * Pooled: a few connections kept open and reused, each for up to 100 messages. A new connection costs
 * the server's greeting (smtp-server holds it 100 ms to catch early talkers, real MTAs often more), so
 * one connection per message capped delivery at ~30 e-mails/s; pooled, a 100,000-recipient notice
 * fits in minutes (tests/bench/notices.ts).
 */
export function mailer(): Transporter {
  if (!transport) {
    const url = new URL(config().SMTP_URL);
    const local = ["127.0.0.1", "localhost"].includes(url.hostname);
    transport = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port || 25),
      secure: url.protocol === "smtps:",
      pool: true,
      maxConnections: MAX_CONNECTIONS,
      maxMessages: 100,
      ignoreTLS: local,
      auth: url.username
        ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
        : undefined,
    });
  }
  return transport;
}

export function closeMailer(): void {
  transport?.close();
  transport = undefined;
}
