// Kaspi payments end to end: the local Kaspi (dev/kaspi/) plays the payer's app against the real web app's
// /pay/kaspi/avtomektep over HTTP — check, pay, retries with the same txn_id, answers lost on the way back —
// on real PostgreSQL. Each test says what a school, the operator or Kaspi would notice, with exact counts.
import { operatorDb } from "../../db/client.ts";
import { DEV_KASPI_SECRET } from "../../secrets.ts";
import { formatTiyn } from "../../../domain/i18n/index.ts";
import { startKaspiStandIn, type KaspiStandIn } from "../../../dev/kaspi/index.ts";
import { readReply } from "../../../dev/kaspi/protocol.ts";
import { startWebApp, suspendedSchool } from "../../../tests/faults/helpers.ts";
import { applyPayment } from "../ledger.ts";
import { parseAccount } from "./invoice-payee.ts";
import { parseTxnDate } from "./kaspi.ts";
import { testState } from "../../../tests/state.ts";
import { withClient } from "../../../tests/pg.ts";

const db = () => operatorDb();
let web: Awaited<ReturnType<typeof startWebApp>>;
let kaspi: KaspiStandIn;
let kaspiJson: KaspiStandIn;
const endpoint = () => `${web.base}/pay/kaspi/avtomektep`;
const tenge = (tiyn: number) => `${Math.floor(tiyn / 100)}.${String(tiyn % 100).padStart(2, "0")}`;

beforeAll(async () => {
  web = await startWebApp();
  // The app as Kaspi calls by default: GET, XML answers, the secret as HTTP Basic.
  kaspi = await startKaspiStandIn({
    port: 0,
    endpoint: endpoint(),
    secret: DEV_KASPI_SECRET,
    retries: 3,
    backoffMs: 20,
  });
  // And the other forms: POST, JSON answers, the secret as the URL's last segment.
  kaspiJson = await startKaspiStandIn({
    port: 0,
    endpoint: endpoint(),
    secret: DEV_KASPI_SECRET,
    auth: "path",
    format: "json",
    method: "POST",
    retries: 3,
    backoffMs: 20,
  });
});
afterAll(async () => {
  await kaspi?.close();
  await kaspiJson?.close();
  await web?.close();
});

/** What a school's payment left behind, counted. */
async function stateOf(schoolId: string, invoiceId: string) {
  const payments = await db().payment.findMany({
    where: { schoolId },
    select: { id: true, method: true, amountTiyn: true },
  });
  return {
    payments: payments.map((p) => ({ method: p.method, amountTiyn: Number(p.amountTiyn) })),
    invoice: (await db().invoice.findUniqueOrThrow({ where: { id: invoiceId } })).status,
    school: (await db().school.findUniqueOrThrow({ where: { id: schoolId } })).status,
    acts: await db().schoolDocument.count({ where: { schoolId, kind: "act", invoiceId } }),
    restorations: await db().accessTransition.count({ where: { schoolId, cause: "payment" } }),
    paidMails: await db().outboxEvent.count({
      where: { queue: "mail", OR: payments.map((p) => ({ jobId: { startsWith: `paid-${p.id}-` } })) },
    }),
  };
}

const requestsLogged = () => db().railRequest.count();

describe("Kaspi check", () => {
  it("an unknown invoice number or BIN: result 1, nothing written but the request log", async () => {
    const logged = await requestsLogged();
    for (const account of ["AM-2026-99999", "990340000000", "hello"]) {
      const r = await kaspi.check(account);
      expect({ status: r.status, result: r.result }).toEqual({ status: 200, result: 1 });
      expect(r.comment).toBe("Счёт или БИН не найден / Шот немесе БСН табылмады");
    }
    expect(await requestsLogged()).toBe(logged + 3);
    expect(await db().railTxn.count()).toBe(0);
  });

  it("an open invoice by number or by the school's BIN: result 0 and the exact sum owed", async () => {
    const s = await suspendedSchool();
    const byNumber = await kaspi.check(s.invoice.number);
    const byDigits = await kaspi.check(s.invoice.number.replace(/\D/g, ""));
    const byBin = await kaspiJson.check(s.bin);
    for (const r of [byNumber, byDigits, byBin]) {
      expect({ result: r.result, sum: r.sum }).toEqual({ result: 0, sum: tenge(s.invoice.amountTiyn) });
      expect(r.comment).toContain(`Счёт ${s.invoice.number}: к оплате ${formatTiyn(s.invoice.amountTiyn)}`);
    }
    expect(byNumber.raw).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<response>\n<txn_id>\d+<\/txn_id>/);
    expect(JSON.parse(byBin.raw)).toMatchObject({ result: 0, sum: tenge(s.invoice.amountTiyn) });
    expect((await stateOf(s.schoolId, s.invoice.id)).payments).toEqual([]);
  });
});

describe("Kaspi pay", () => {
  it("the exact sum: the invoice is paid, access restored at once, one payment, the act issued; a later check says 3", async () => {
    const s = await suspendedSchool();
    const trace = await kaspi.pay({ account: s.invoice.number });
    expect(trace.check?.result).toBe(0);
    expect(trace.final).toMatchObject({ status: 200, result: 0, txnId: trace.txnId, sum: tenge(s.invoice.amountTiyn) });
    expect(trace.final?.prvTxnId).toMatch(/^\d+$/);
    expect(trace.final?.comment).toBe(
      `Оплата принята, счёт ${s.invoice.number} оплачен / Төлем қабылданды, ${s.invoice.number} шоты төленді`,
    );
    expect(await stateOf(s.schoolId, s.invoice.id)).toEqual({
      payments: [{ method: "kaspi", amountTiyn: s.invoice.amountTiyn }],
      invoice: "paid",
      school: "active",
      acts: 0, // the act follows after the month, for the days served (ADR 041)
      restorations: 1,
      paidMails: 1,
    });
    const payment = await db().payment.findFirstOrThrow({ where: { schoolId: s.schoolId } });
    expect(payment.externalRef).toBe(trace.txnId);

    const again = await kaspi.check(s.invoice.number);
    expect({ result: again.result, comment: again.comment }).toEqual({
      result: 3,
      comment: `Счёт ${s.invoice.number} уже оплачен / ${s.invoice.number} шоты төленіп қойған`,
    });
    expect((await kaspi.check(s.bin)).result).toBe(3);
  });

  it("the same pay 3 times in a row and 2 at once: one payment, the same prv_txn_id every time", async () => {
    const s = await suspendedSchool();
    const first = await kaspi.pay({ account: s.bin });
    expect(first.final?.result).toBe(0);
    const repeats = [];
    for (let i = 0; i < 3; i++) repeats.push(await kaspi.repeat(first.txnId));
    repeats.push(...(await Promise.all([kaspi.repeat(first.txnId), kaspi.repeat(first.txnId)])));
    for (const r of repeats) {
      expect({ status: r.status, result: r.result, prvTxnId: r.prvTxnId, comment: r.comment }).toEqual({
        status: 200,
        result: 0,
        prvTxnId: first.final!.prvTxnId,
        comment: first.final!.comment,
      });
    }
    expect(await stateOf(s.schoolId, s.invoice.id)).toMatchObject({
      payments: [{ method: "kaspi", amountTiyn: s.invoice.amountTiyn }],
      invoice: "paid",
      acts: 0, // the act follows after the month, for the days served (ADR 041)
      restorations: 1,
      paidMails: 1,
    });
    const log = await db().railRequest.findMany({ where: { txnId: first.txnId, command: "pay" } });
    expect(log.map((l) => l.note).sort()).toEqual([null, "repeat", "repeat", "repeat", "repeat", "repeat"]);
  });

  it("a brand-new pay sent twice at once (no check first): exactly one is applied, both get the same answer", async () => {
    const s = await suspendedSchool();
    const txnId = `77${Date.now()}`;
    const sum = tenge(s.invoice.amountTiyn);
    const [a, b] = await Promise.all([
      kaspiJson.pay({ account: s.invoice.number, sum, txnId, skipCheck: true }),
      kaspiJson.pay({ account: s.invoice.number, sum, txnId, skipCheck: true }),
    ]);
    expect(a.final).toMatchObject({ result: 0 });
    expect(b.final?.prvTxnId).toBe(a.final?.prvTxnId);
    expect((await stateOf(s.schoolId, s.invoice.id)).payments).toHaveLength(1);
  });

  it("answers lost on the way back (a timeout): Kaspi pays again with the same txn_id and gets the same prv_txn_id", async () => {
    const s = await suspendedSchool();
    kaspi.loseAnswers(2);
    const trace = await kaspi.pay({ account: s.invoice.number });
    expect(trace.attempts.map((a) => a.lost)).toEqual(["dropped", "dropped", null]);
    const ids = trace.attempts.map((a) => a.reply?.prvTxnId);
    expect(new Set(ids).size).toBe(1);
    expect(trace.final).toMatchObject({ result: 0, prvTxnId: ids[0] });
    expect(await stateOf(s.schoolId, s.invoice.id)).toMatchObject({
      payments: [{ method: "kaspi", amountTiyn: s.invoice.amountTiyn }],
      invoice: "paid",
      school: "active",
      acts: 0, // the act follows after the month, for the days served (ADR 041)
    });
  });

  it("our own failure mid-pay: HTTP 500, Kaspi retries the same txn_id, nothing half-written; once we recover, one payment", async () => {
    const s = await suspendedSchool();
    // The pay's last write fails (its answer can't be stored): the whole transaction, payment included, rolls back.
    await withClient(testState.databaseUrl, (c) => c.query("REVOKE INSERT ON rail_txn FROM avtomektep_operator"));
    let trace: Awaited<ReturnType<KaspiStandIn["pay"]>>;
    try {
      trace = await kaspi.pay({ account: s.invoice.number });
    } finally {
      await withClient(testState.databaseUrl, (c) => c.query("GRANT INSERT ON rail_txn TO avtomektep_operator"));
    }
    expect(trace.attempts.map((a) => [a.reply?.status, a.reply?.result])).toEqual(Array(4).fill([500, 5]));
    expect(trace.final).toBeNull();
    expect(await stateOf(s.schoolId, s.invoice.id)).toMatchObject({
      payments: [],
      invoice: "open",
      school: "suspended",
    });
    expect(await db().railRequest.count({ where: { txnId: trace.txnId, httpStatus: 500, note: "failed" } })).toBe(4);
    // Kaspi asks again later with the same txn_id: now it is recorded, once.
    const later = await kaspi.repeat(trace.txnId);
    expect({ status: later.status, result: later.result }).toEqual({ status: 200, result: 0 });
    expect(await stateOf(s.schoolId, s.invoice.id)).toMatchObject({
      payments: [{ method: "kaspi", amountTiyn: s.invoice.amountTiyn }],
      invoice: "paid",
      school: "active",
      acts: 0, // the act follows after the month, for the days served (ADR 041)
    });
  });

  it("a wrong sum — one tiyn more or less — is refused with result 2 and the exact sum owed; nothing is paid", async () => {
    const s = await suspendedSchool();
    const owed = s.invoice.amountTiyn;
    for (const sum of [tenge(owed + 1), tenge(owed - 1), tenge(owed * 2)]) {
      const t = await kaspi.pay({ account: s.invoice.number, sum });
      expect({ result: t.final?.result, prvTxnId: t.final?.prvTxnId }).toEqual({ result: 2, prvTxnId: null });
      expect(t.final?.comment).toBe(
        `Сумма должна быть ровно ${formatTiyn(owed)} (счёт ${s.invoice.number}) / Сома дәл ${formatTiyn(owed)} болуы керек (${s.invoice.number} шоты)`,
      );
      // Kaspi asking again with the same txn_id gets the same refusal.
      expect((await kaspi.repeat(t.txnId)).result).toBe(2);
    }
    expect(await stateOf(s.schoolId, s.invoice.id)).toMatchObject({
      payments: [],
      invoice: "open",
      school: "suspended",
    });
    expect(await db().railTxn.count({ where: { account: s.invoice.number, result: 2 } })).toBe(3);
  });

  it("after a part paid by bank, Kaspi asks for the rest to the tiyn, and the rest settles the invoice", async () => {
    const s = await suspendedSchool();
    await db().$transaction((tx) =>
      applyPayment(tx, {
        invoiceId: s.invoice.id,
        method: "bank",
        externalRef: `bank-${s.schoolId}`,
        amountTiyn: 500_050,
        receivedOn: "2026-12-01",
      }),
    );
    const rest = s.invoice.amountTiyn - 500_050;
    const check = await kaspi.check(s.bin);
    expect({ result: check.result, sum: check.sum }).toEqual({ result: 0, sum: tenge(rest) });
    const trace = await kaspi.pay({ account: s.bin });
    expect(trace.final?.result).toBe(0);
    expect(await stateOf(s.schoolId, s.invoice.id)).toMatchObject({
      payments: expect.arrayContaining([
        { method: "bank", amountTiyn: 500_050 },
        { method: "kaspi", amountTiyn: rest },
      ]),
      invoice: "paid",
      school: "active",
      acts: 0, // the act follows after the month, for the days served (ADR 041)
    });
  });

  it("a voided invoice: result 2 (Kaspi's 'cancelled'), pointing the payer to the BIN", async () => {
    const s = await suspendedSchool();
    await db().invoice.update({ where: { id: s.invoice.id }, data: { status: "void", voidedReason: "test" } });
    const r = await kaspi.check(s.invoice.number);
    expect(r.result).toBe(2);
    expect(r.comment).toContain(`Счёт ${s.invoice.number} аннулирован, оплатите по БИН школы`);
  });
});

describe("Kaspi access", () => {
  async function raw(path: string, init: RequestInit = {}) {
    const res = await fetch(`${web.base}${path}`, init);
    return readReply(res.status, await res.text(), res.headers.get("content-type") ?? "");
  }
  const basic = (secret: string) => ({ authorization: `Basic ${Buffer.from(`kaspi:${secret}`).toString("base64")}` });

  it("a wrong or missing secret: 403, nothing paid, the request logged with why", async () => {
    const s = await suspendedSchool();
    const query = `command=pay&txn_id=${Date.now()}&account=${s.invoice.number}&sum=${tenge(s.invoice.amountTiyn)}&txn_date=20261207101500`;
    const wrong = await raw(`/pay/kaspi/avtomektep?${query}`, { headers: basic("not-the-secret-at-all-1234") });
    const inPath = await raw(`/pay/kaspi/avtomektep/not-the-secret-at-all-1234?${query}`);
    const none = await raw(`/pay/kaspi/avtomektep?${query}`);
    const otherPayee = await raw(`/pay/kaspi/someone-else?${query}`, { headers: basic(DEV_KASPI_SECRET) });
    for (const r of [wrong, inPath, none, otherPayee])
      expect({ status: r.status, result: r.result }).toEqual({ status: 403, result: 5 });
    expect((await stateOf(s.schoolId, s.invoice.id)).payments).toEqual([]);
    expect(await db().railTxn.count({ where: { account: s.invoice.number } })).toBe(0);
    const log = await db().railRequest.findMany({ where: { account: s.invoice.number }, orderBy: { id: "asc" } });
    expect(log.map((l) => [l.httpStatus, l.note])).toEqual([
      [403, "wrong secret"],
      [403, "wrong secret"],
      [403, "no secret"],
      [403, "unknown payee"],
    ]);
  });

  it("an address not on the allowlist: 403 with the right secret; a proxy naming an allowed address gets through", async () => {
    const s = await suspendedSchool();
    const row = await db().platformSetting.findUniqueOrThrow({ where: { key: "kaspi" } });
    const saved = row.value as { payees: Record<string, { allowedIps: string[] }> };
    const narrowed = structuredClone(saved);
    narrowed.payees.avtomektep!.allowedIps = ["203.0.113.0/24"];
    await db().platformSetting.update({ where: { key: "kaspi" }, data: { value: narrowed } });
    try {
      const refused = await kaspi.check(s.invoice.number);
      expect({ status: refused.status, result: refused.result }).toEqual({ status: 403, result: 5 });
      const t = await kaspi.pay({ account: s.invoice.number });
      expect(t.check?.status).toBe(403);
      expect((await stateOf(s.schoolId, s.invoice.id)).payments).toEqual([]);
      // The web trusts the proxy on loopback (TRUST_PROXY): the address it names is the one checked.
      const viaProxy = await raw(`/pay/kaspi/avtomektep?command=check&txn_id=1&account=${s.invoice.number}`, {
        headers: { ...basic(DEV_KASPI_SECRET), "x-forwarded-for": "203.0.113.9" },
      });
      expect({ status: viaProxy.status, result: viaProxy.result }).toEqual({ status: 200, result: 0 });
      const log = await db().railRequest.findMany({ where: { account: s.invoice.number }, orderBy: { id: "asc" } });
      expect(log.map((l) => [l.httpStatus, l.note, l.remoteAddr])).toEqual([
        [403, "address not allowed", "127.0.0.1"],
        [403, "address not allowed", "127.0.0.1"],
        [200, null, "203.0.113.9"],
      ]);
    } finally {
      await db().platformSetting.update({ where: { key: "kaspi" }, data: { value: saved } });
    }
  });

  it("a body the form parser refuses is still answered and logged (a bad request, nothing paid)", async () => {
    const r = await raw("/pay/kaspi/avtomektep", {
      method: "POST",
      headers: { ...basic(DEV_KASPI_SECRET), "content-type": "application/x-www-form-urlencoded; charset=koi8-r" },
      body: "command=pay&txn_id=456&account=AM-2026-00001&sum=1.00",
    });
    expect({ status: r.status, result: r.result }).toEqual({ status: 200, result: 5 });
    expect(await db().railRequest.count({ where: { httpStatus: 200, note: "bad txn_id", result: 5 } })).toBe(1);
  });

  it("a malformed request with the right secret: result 5, logged, nothing paid", async () => {
    const r = await raw("/pay/kaspi/avtomektep?command=pay&txn_id=123&account=AM-2026-00001&sum=abc", {
      headers: basic(DEV_KASPI_SECRET),
    });
    expect({ status: r.status, result: r.result, comment: r.comment }).toEqual({
      status: 200,
      result: 5,
      comment: "Неверный запрос / Қате сұрау",
    });
    expect(await db().railRequest.count({ where: { note: "bad sum", txnId: "123" } })).toBe(1);
  });
});

describe("Kaspi words", () => {
  it("reads what payers type as an account", () => {
    expect(parseAccount("AM-2026-00042")).toEqual({ kind: "invoice", number: "AM-2026-00042" });
    expect(parseAccount(" am 2026 00042 ")).toEqual({ kind: "invoice", number: "AM-2026-00042" });
    expect(parseAccount("202600042")).toEqual({ kind: "invoice", number: "AM-2026-00042" });
    expect(parseAccount("140940023564")).toEqual({ kind: "bin", bin: "140940023564" });
    expect(parseAccount("12345")).toBeNull();
  });

  it("reads txn_date as Almaty time and refuses dates that do not exist", () => {
    expect(parseTxnDate("20261207101500")?.toISOString()).toBe("2026-12-07T05:15:00.000Z");
    expect(parseTxnDate("20260231101500")).toBeNull();
    expect(parseTxnDate("2026120710150")).toBeNull();
  });
});
