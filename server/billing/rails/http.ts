// The Kaspi endpoint: GET or POST /pay/kaspi/<payee> (or /pay/kaspi/<payee>/<secret>). Mounted before the
// cross-site check and the maintenance page (Kaspi is a server, and payments are taken during maintenance too).
// Access first (address allowlist and the payee's secret: 403 otherwise), then the protocol (./kaspi.ts), then
// check or pay (./biller.ts). Before all that, an address past KASPI_RATE_PER_IP requests a minute gets 429 with
// Retry-After (result 5, the payer's words). Every request, refused or not, leaves one line in rail_request with
// what was sent and what was answered. Our own failure answers 500 (result 5): Kaspi repeats the pay with the same
// txn_id.
import express, { type Request, type Response, type Router } from "express";
import { kaspiRequestWait } from "../../auth/rate-limit.ts";
import { operatorDb } from "../../db/client.ts";
import { logger } from "../../log.ts";
import { answerFor, checkAccount, payAccount } from "./biller.ts";
import { operatorInvoices } from "./invoice-payee.ts";
import { KASPI_BODY_LIMIT, kaspiWords, parseRequest, render, sentFields, type Sent } from "./kaspi.ts";
import type { Answer, Rail } from "./rail.ts";
import { basicPassword, kaspiSettings, OPERATOR_PAYEE, refusal } from "./settings.ts";
import { schoolTuitionRail } from "../../tuition/kaspi-payee.ts";
import { schoolPayeeSettings } from "../../tuition/kaspi-settings.ts";

/**
 * The payee's rail and who may reach it: the operator's invoices (the platform's Kaspi settings), or a school's
 * tuition at /pay/kaspi/school-<slug> (the school's own secret and addresses, while the platform's rail is on).
 */
async function railOf(
  payee: string,
): Promise<{ rail: Rail; refusal: (secret: string | undefined, ip: string | undefined) => string | null } | null> {
  const settings = await kaspiSettings(operatorDb());
  if (payee === OPERATOR_PAYEE) {
    return {
      rail: { id: "kaspi", payee, ledger: operatorInvoices, words: kaspiWords },
      refusal: (secret, ip) => refusal(settings, payee, secret, ip),
    };
  }
  const school = await schoolTuitionRail(operatorDb(), payee);
  if (!school) return null;
  const own = await schoolPayeeSettings(operatorDb(), school.schoolId, payee, settings.enabled);
  return { rail: school.rail, refusal: (secret, ip) => refusal(own, payee, secret, ip) };
}

type Logged = { status: number; answer: Answer | null; note: string | null };

async function logRequest(payee: string, sent: Sent, ip: string | undefined, l: Logged): Promise<void> {
  await operatorDb()
    .railRequest.create({
      data: {
        rail: "kaspi",
        payee: payee.slice(0, 100),
        command: sent.command ?? null,
        txnId: sent.txnId ?? null,
        account: sent.account ?? null,
        sum: sent.sum ?? null,
        result: l.answer?.result ?? null,
        httpStatus: l.status,
        prvTxnId: l.answer?.prvTxnId ? BigInt(l.answer.prvTxnId) : null,
        note: l.note,
        remoteAddr: ip?.slice(0, 64) ?? null,
      },
    })
    .catch((err: unknown) => logger.error({ err, payee, txnId: sent.txnId }, "kaspi request not logged"));
}

async function handle(req: Request, res: Response): Promise<void> {
  const payee = String(req.params.payee ?? "");
  const url = new URL(req.originalUrl, "http://x");
  const params = new URLSearchParams(url.search);
  if (req.method === "POST" && req.body && typeof req.body === "object") {
    for (const [k, v] of Object.entries(req.body as Record<string, unknown>))
      if (typeof v === "string") params.set(k, v);
  }
  const sent = sentFields(params);
  const format = req.accepts(["application/xml", "application/json"]) === "application/json" ? "json" : "xml";
  const command = sent.command === "check" || sent.command === "pay" ? sent.command : null;
  const ip = req.ip;
  let found: Awaited<ReturnType<typeof railOf>> = null;
  let rail: Rail = { id: "kaspi" as const, payee, ledger: operatorInvoices, words: kaspiWords };
  // The log line first: what Kaspi is told is on record before it hears it.
  const reply = async (status: number, answer: Answer, note: string | null) => {
    await logRequest(payee, sent, ip, { status, answer, note });
    const { contentType, body } = render({ ...answer, command }, format);
    res.status(status).type(contentType).send(body);
  };
  const txnId = sent.txnId ?? "";
  try {
    const wait = await kaspiRequestWait(ip ?? "unknown");
    if (wait !== null) {
      logger.warn({ payee, ip }, "kaspi request over the per-address limit");
      res.setHeader("Retry-After", String(wait));
      return await reply(429, answerFor(rail, txnId, { verdict: "tooManyRequests" }), "rate limited");
    }
    found = await railOf(payee);
    if (found) rail = found.rail;
    const why = found
      ? found.refusal(req.params.secret ?? basicPassword(req.headers.authorization), ip)
      : "unknown payee";
    if (why) {
      logger.warn({ payee, ip, why }, "kaspi request refused");
      return await reply(403, answerFor(rail, txnId, { verdict: "forbidden" }), why);
    }
    const parsed = parseRequest(sent);
    if ("bad" in parsed)
      return await reply(200, answerFor(rail, txnId, { verdict: "badRequest" }), `bad ${parsed.bad}`);
    if (parsed.command === "check") return await reply(200, await checkAccount(rail, parsed), null);
    const { answer, repeat } = await payAccount(rail, parsed);
    return await reply(200, answer, repeat ? "repeat" : null);
  } catch (err) {
    logger.error({ err, payee, txnId }, "kaspi request failed; Kaspi will repeat it");
    if (!res.headersSent) await reply(500, answerFor(rail, txnId, { verdict: "failed" }), "failed");
  }
}

export function kaspiEndpoint(): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: KASPI_BODY_LIMIT, parameterLimit: 20 });
  for (const path of ["/pay/kaspi/:payee", "/pay/kaspi/:payee/:secret"]) {
    router.get(path, (req, res) => void handle(req, res));
    // A body the parser refuses (broken encoding, too many fields) is no reason to skip the log: the request
    // goes on with its URL's parameters only, and is answered and logged like any other.
    router.post(path, (req, res) =>
      form(req, res, (err?: unknown) => {
        if (err) req.body = undefined;
        void handle(req, res);
      }),
    );
  }
  return router;
}
