// Kaspi's request log kept bounded: an address sending more than its requests a minute is answered in Kaspi's own
// format (result 5, HTTP 429, Retry-After) and logged, while another address goes on; and the daily privacy run
// deletes log lines past their 400 days in batches, once, keeping the younger ones.
import { operatorDb } from "../../db/client.ts";
import { resetConfig } from "../../config.ts";
import { DEV_KASPI_SECRET } from "../../secrets.ts";
import { runPrivacyDay } from "../../privacy/anonymise.ts";
import { startWebApp } from "../../../tests/web.ts";
import { pruneRequestLog, RAIL_REQUEST_KEEP_DAYS } from "./request-log.ts";

const db = () => operatorDb();
const DAY = 24 * 3600 * 1000;
let close: () => Promise<void>;
let base: string;
beforeAll(async () => {
  // A small limit for this file only (the limiter is made on the first Kaspi request, after this).
  process.env.KASPI_RATE_PER_IP = "3";
  resetConfig();
  ({ base, close } = await startWebApp());
});
afterAll(() => close());

let txn = 0;
/** A check as Kaspi sends it, from `ip` (the app trusts the loopback proxy's X-Forwarded-For). */
const check = (ip: string, format: "xml" | "json" = "xml") =>
  fetch(`${base}/pay/kaspi/avtomektep?command=check&txn_id=${70_000 + ++txn}&account=AM-2026-99999`, {
    headers: {
      authorization: `Basic ${Buffer.from(`kaspi:${DEV_KASPI_SECRET}`).toString("base64")}`,
      "x-forwarded-for": ip,
      accept: format === "json" ? "application/json" : "application/xml",
    },
  });

describe("the Kaspi endpoint's per-address limit", () => {
  it("past the limit an address gets result 5 in Kaspi's format with HTTP 429 and the wait, logged; another address goes on", async () => {
    // 127.0.0.1 is on the development allowlist: three real checks (account not found, result 1)
    for (let i = 0; i < 3; i++) {
      const r = await check("127.0.0.1");
      expect(r.status).toBe(200);
      expect(await r.text()).toContain("<result>1</result>");
    }
    const over = await check("127.0.0.1");
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    const xml = await over.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<response>\n<txn_id>\d+<\/txn_id>/);
    expect(xml).toContain("<result>5</result>");
    expect(xml).toContain(
      "<comment>Слишком много запросов, повторите позже / Сұраулар тым көп, кейінірек қайталаңыз</comment>",
    );
    const json = await check("127.0.0.1", "json");
    expect(json.status).toBe(429);
    expect(await json.json()).toMatchObject({ result: 5, comment: expect.stringContaining("Слишком много запросов") });

    // every one of them is in the log, the refused ones with their status and why
    const log = await db().railRequest.findMany({ where: { remoteAddr: "127.0.0.1" }, orderBy: { id: "asc" } });
    expect(log.map((l) => [l.httpStatus, l.result, l.note])).toEqual([
      [200, 1, null],
      [200, 1, null],
      [200, 1, null],
      [429, 5, "rate limited"],
      [429, 5, "rate limited"],
    ]);

    // another address has its own count: not on the allowlist, so refused for that (403), not for the limit
    const other = await check("10.9.6.1");
    expect(other.status).toBe(403);
  });
});

describe("the Kaspi request log's retention", () => {
  it("the daily run deletes lines older than 400 days, in batches, once; younger lines stay", async () => {
    const now = new Date();
    const line = (daysAgo: number, txnId: string) => ({
      rail: "kaspi",
      payee: "avtomektep",
      command: "check",
      txnId,
      httpStatus: 200,
      result: 1,
      at: new Date(now.getTime() - daysAgo * DAY),
    });
    await db().railRequest.createMany({
      data: [
        ...Array.from({ length: 7 }, (_, i) => line(RAIL_REQUEST_KEEP_DAYS + 1 + i, `old-${i}`)),
        line(RAIL_REQUEST_KEEP_DAYS - 1, "young-399"),
        line(30, "young-30"),
      ],
    });
    const left = async () =>
      (await db().railRequest.findMany({ where: { txnId: { startsWith: "old-" } }, select: { txnId: true } })).length;

    // batches of 3: 3 + 3 + 1
    expect(await pruneRequestLog(db(), now, 3)).toBe(7);
    expect(await left()).toBe(0);
    expect(await db().railRequest.count({ where: { txnId: { in: ["young-399", "young-30"] } } })).toBe(2);

    // the daily run does it too (here: one more old line), and a second run deletes nothing
    await db().railRequest.createMany({ data: [line(RAIL_REQUEST_KEEP_DAYS + 30, "old-again")] });
    expect(await runPrivacyDay(now)).toMatchObject({ railRequests: 1 });
    expect(await runPrivacyDay(now)).toMatchObject({ railRequests: 0 });
    expect(await left()).toBe(0);
    expect(await db().railRequest.count({ where: { txnId: { in: ["young-399", "young-30"] } } })).toBe(2);
  });
});
