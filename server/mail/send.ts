import nodemailer, { type Transporter } from "nodemailer";
import { config } from "../config.ts";

let transport: Transporter | undefined;

/** SMTP relay from SMTP_URL; in dev and tests that is the local mail sink (scripts/mail-sink.ts). */
export function mailer(): Transporter {
  if (!transport) {
    const url = new URL(config().SMTP_URL);
    const local = ["127.0.0.1", "localhost"].includes(url.hostname);
    transport = nodemailer.createTransport({
      host: url.hostname,
      port: Number(url.port || 25),
      secure: url.protocol === "smtps:",
      ignoreTLS: local,
      auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    });
  }
  return transport;
}

export function closeMailer(): void {
  transport?.close();
  transport = undefined;
}
