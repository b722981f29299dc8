import { randomUUID } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";
import MimeNode from "nodemailer/lib/mime-node";
import { foldLines } from "nodemailer/lib/mime-funcs";
import { config } from "../config.ts";

let transport: Transporter | undefined;

/**
 * How many e-mails the mail worker has in hand at once (jobs/worker.ts): half of them on the wire, one per
 * SMTP connection, while the others check, render or record theirs.
 */
export const MAIL_CONCURRENCY = 32;
const MAX_CONNECTIONS = MAIL_CONCURRENCY / 2;

/**
 * SMTP relay from SMTP_URL; in dev and tests that is the local mail sink (dev/mail/sink.ts).
 * Pooled: a few connections kept open and reused, each for up to 1,000 messages (a server that closes one
 * sooner fails that send, and BullMQ retries it on a new one). A new connection costs
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
      maxMessages: 1_000,
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
  fromHeader = undefined;
}

/** A plain address: no display name, nothing to encode, nothing that could end a header line. */
const PLAIN_ADDRESS = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+$/;

let fromHeader: { value: string; address: string; domain: string } | undefined;

/** The sender's header line, built once per process (MAIL_FROM does not change while it runs). */
function sender() {
  if (!fromHeader) {
    const from = config().MAIL_FROM;
    const address = /<([^>]+)>/.exec(from)?.[1] ?? from.trim();
    fromHeader = {
      value: foldLines(`From: ${MimeNode.encodeHeaderValue("From", from)}`, 76),
      address,
      domain: address.split("@")[1] ?? "localhost",
    };
  }
  return fromHeader;
}

const subjects = new Map<string, string>();

/** The encoded Subject line; a notice's e-mails share a few subjects, so each is encoded once. */
function subjectLine(subject: string): string {
  let line = subjects.get(subject);
  if (line === undefined) {
    if (subjects.size >= 1_000) subjects.clear();
    line = foldLines(`Subject: ${MimeNode.encodeHeaderValue("Subject", subject)}`, 76);
    subjects.set(subject, line);
  }
  return line;
}

/**
 * One plain-text e-mail as nodemailer's `raw` and `envelope`: the MIME message written here in one piece
 * (UTF-8, base64) instead of by nodemailer's composer, whose streams and header parsing cost more CPU
 * than the SMTP exchange itself when a notice goes to 100,000 people (tests/bench/notices.ts).
 * Undefined for an address that isn't plain: nodemailer composes that one as usual.
 */
export function composeText(mail: { to: string; subject: string; text: string }) {
  if (!PLAIN_ADDRESS.test(mail.to)) return undefined;
  const from = sender();
  const base64 = Buffer.from(mail.text.replace(/\r?\n/g, "\r\n"), "utf8").toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 76) lines.push(base64.slice(i, i + 76));
  const messageId = `<${randomUUID()}@${from.domain}>`;
  const head = [
    from.value,
    `To: ${mail.to}`,
    subjectLine(mail.subject),
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString().replace(/GMT/, "+0000")}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: base64",
  ].join("\r\n");
  return {
    envelope: { from: from.address, to: [mail.to] },
    // Given, so nodemailer does not make up another one for its result.
    messageId,
    raw: Buffer.from(`${head}\r\n\r\n${lines.join("\r\n")}\r\n`, "utf8"),
  };
}
