// Acts of completed work per month of access (ADR 041): dated the last day each covers, every paid day acted once,
// the acts of an invoice adding up to it to the tiyn, however often or however late the monthly run comes.
import fc from "fast-check";
import { operatorDb } from "../db/client.ts";
import { addDays, daysBetween, dbDay, isoDay } from "../../domain/kz/time.ts";
import { schoolWithInvoices, today } from "../../tests/billing.ts";
import { pdfText } from "../../tests/documents.ts";
import {
  actParts,
  drawUpMonthAct,
  issueMonthAct,
  monthOf,
  numberMonthAct,
  previousMonth,
  schoolsToAct,
} from "./acts.ts";
import { billingProcessor, planBillingDay } from "../../jobs/billing.ts";
import { openQueues } from "../queues.ts";
import type { Job } from "bullmq";

const db = () => operatorDb();

describe("an invoice's period spread over the months", () => {
  it("covers every day once, each part inside one month, the parts summing to the amount; however the runs fall", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 800 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.array(fc.integer({ min: 0, max: 14 }), { minLength: 1, maxLength: 16 }),
        (offset, length, amount, gaps) => {
          const start = addDays("2025-01-01", offset);
          const end = addDays(start, length - 1);
          const period = { start, end, amountTiyn: amount };
          let actedThrough: string | null = null;
          let acted = 0;
          let month = monthOf(start).first;
          const parts = [];
          // runs that come each month, or skip some months (a late payment), until the period is acted
          for (const gap of [...gaps, 40]) {
            month = monthOf(addDays(monthOf(month).last, 1 + gap * 28)).first;
            const through = monthOf(addDays(month, -1)).last;
            const got = actParts(period, actedThrough, acted, through);
            for (const p of got) {
              expect(p.to <= through).toBe(true);
              expect(monthOf(p.from).first).toBe(monthOf(p.to).first);
              expect(p.amountTiyn).toBeGreaterThanOrEqual(0);
            }
            parts.push(...got);
            if (got.length) {
              actedThrough = got.at(-1)!.to;
              acted += got.reduce((n, p) => n + p.amountTiyn, 0);
            }
            if (actedThrough === end) break;
          }
          if (actedThrough !== end) parts.push(...actParts(period, actedThrough, acted, end));
          expect(parts[0]!.from).toBe(start);
          expect(parts.at(-1)!.to).toBe(end);
          for (let i = 1; i < parts.length; i++) expect(parts[i]!.from).toBe(addDays(parts[i - 1]!.to, 1));
          expect(parts.reduce((n, p) => n + p.amountTiyn, 0)).toBe(amount);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("gives a month its share of the days: 16 of 30 days of 15 000 ₸ are 8 000 ₸", () => {
    expect(actParts({ start: "2025-11-15", end: "2025-12-14", amountTiyn: 1_500_000 }, null, 0, "2025-11-30")).toEqual([
      { from: "2025-11-15", to: "2025-11-30", amountTiyn: 800_000 },
    ]);
  });
});

async function actsOf(schoolId: string) {
  const acts = await db().serviceAct.findMany({ where: { schoolId }, orderBy: { month: "asc" } });
  const lines = await db().serviceActLine.findMany({ where: { schoolId }, orderBy: { periodFrom: "asc" } });
  return acts.map((a) => ({
    month: isoDay(a.month).slice(0, 7),
    date: isoDay(a.actDate),
    total: Number(a.totalTiyn),
    lines: lines
      .filter((l) => l.actId === a.id)
      .map((l) => `${isoDay(l.periodFrom)}..${isoDay(l.periodTo)} ${Number(l.amountTiyn)}`),
  }));
}

describe("the acts of a month", () => {
  it("the act job: number first, PDF after; stopped between the two, the next run stores that act's PDF, and two jobs at once make one act", async () => {
    const s = await schoolWithInvoices([{ start: "2025-10-01", end: "2025-10-31", amount: 1_500_000, paid: true }]);
    const [a, b] = await Promise.all([
      drawUpMonthAct(s.schoolId, "2025-10-01"),
      drawUpMonthAct(s.schoolId, "2025-10-01"),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const act = await db().serviceAct.findFirstOrThrow({ where: { schoolId: s.schoolId } });
    expect(act.documentId).not.toBeNull();
    expect(await db().schoolDocument.count({ where: { schoolId: s.schoolId, kind: "act" } })).toBe(1);

    // November: the worker dies after the number's commit, before the PDF — the act is there, its document is not.
    const t = await schoolWithInvoices([{ start: "2025-11-01", end: "2025-11-30", amount: 1_500_000, paid: true }]);
    const numbered = await db().$transaction((tx) => numberMonthAct(tx, t.schoolId, "2025-11-01"));
    expect((await db().serviceAct.findUniqueOrThrow({ where: { id: numbered!.id } })).documentId).toBeNull();
    expect(await schoolsToAct(db(), "2025-11-01")).toContain(t.schoolId);
    expect(await drawUpMonthAct(t.schoolId, "2025-11-01")).toBeNull(); // nothing new numbered
    const again = await db().serviceAct.findUniqueOrThrow({ where: { id: numbered!.id } });
    expect(again.number).toBe(numbered!.number);
    const doc = await db().schoolDocument.findUniqueOrThrow({ where: { id: again.documentId! } });
    const text = await pdfText(Buffer.from(doc.content));
    expect(text).toContain(numbered!.number);
    expect(text).toContain("30.11.2025");
    expect(await schoolsToAct(db(), "2025-11-01")).not.toContain(t.schoolId);
    expect(await db().serviceAct.count({ where: { schoolId: t.schoolId } })).toBe(1);
  });

  it("are dated the month's last day, or the end of a shorter final period, and issued once however often the run comes", async () => {
    const s = await schoolWithInvoices([
      { start: "2025-10-15", end: "2025-11-14", amount: 1_500_000, paid: true },
      { start: "2025-11-15", end: "2025-12-14", amount: 1_500_000, paid: true },
    ]);
    expect(await issueMonthAct(db(), s.schoolId, "2025-10-01")).not.toBeNull();
    expect(await issueMonthAct(db(), s.schoolId, "2025-10-01")).toBeNull();
    await Promise.all([
      db().$transaction((tx) => issueMonthAct(tx, s.schoolId, "2025-11-01")),
      db().$transaction((tx) => issueMonthAct(tx, s.schoolId, "2025-11-01")),
    ]);
    await issueMonthAct(db(), s.schoolId, "2025-12-01");
    expect(await issueMonthAct(db(), s.schoolId, "2026-01-01")).toBeNull();
    expect(await actsOf(s.schoolId)).toEqual([
      // 15–31 October: 17 of 31 days
      { month: "2025-10", date: "2025-10-31", total: 822_581, lines: ["2025-10-15..2025-10-31 822581"] },
      // the rest of the first period, and 16 of 30 days of the second
      {
        month: "2025-11",
        date: "2025-11-30",
        total: 677_419 + 800_000,
        lines: ["2025-11-01..2025-11-14 677419", "2025-11-15..2025-11-30 800000"],
      },
      // the final period ends on 14 December: the act is dated that day
      { month: "2025-12", date: "2025-12-14", total: 700_000, lines: ["2025-12-01..2025-12-14 700000"] },
    ]);
    const docs = await db().schoolDocument.findMany({ where: { schoolId: s.schoolId, kind: "act" } });
    expect(docs).toHaveLength(3);
    const [nov] = await db().serviceAct.findMany({ where: { schoolId: s.schoolId, month: dbDay("2025-11-01") } });
    const text = (await pdfText(Buffer.from(docs.find((d) => d.id === nov!.documentId)!.content))).replace(/\s+/g, " ");
    expect(text).toContain(nov!.number);
    expect(text).toContain("30.11.2025");
    expect(text).toContain("15.11.2025–30.11.2025");
    expect(text).toMatch(/14\s?774,19/); // 6 774,19 + 8 000,00
    // the school sees them in its documents
    const { documents } = await s.director.billing.overview({ school: s.slug });
    expect(documents.map((d) => d.number)).toContain(nov!.number);
  });

  it("a year paid at once gives thirteen acts, the first and last for part of a month, adding up to the price", async () => {
    const s = await schoolWithInvoices([{ start: "2025-03-15", end: "2026-03-14", amount: 18_000_000, paid: true }]);
    for (let m = "2025-03-01"; m <= "2026-04-01"; m = monthOf(addDays(m, 31)).first) {
      await issueMonthAct(db(), s.schoolId, m);
    }
    const acts = await actsOf(s.schoolId);
    expect(acts).toHaveLength(13);
    expect(acts.reduce((n, a) => n + a.total, 0)).toBe(18_000_000);
    expect(acts[0]).toEqual({
      month: "2025-03",
      date: "2025-03-31",
      total: Math.round((18_000_000 * 17) / 365),
      lines: [`2025-03-15..2025-03-31 ${Math.round((18_000_000 * 17) / 365)}`],
    });
    expect(acts[12]!.date).toBe("2026-03-14");
    expect(acts.map((a) => a.date).slice(1, 12)).toEqual(acts.slice(1, 12).map((a) => monthOf(`${a.month}-01`).last));
  });

  it("days of a period paid late go into the next act, with their own dates; an unpaid period gets none", async () => {
    const s = await schoolWithInvoices([
      { start: "2025-10-01", end: "2025-10-31", amount: 1_000_000, paid: true },
      { start: "2025-11-01", end: "2025-11-30", amount: 1_000_000, paid: false },
      { start: "2025-12-01", end: "2025-12-31", amount: 1_000_000, paid: true },
    ]);
    expect(await schoolsToAct(db(), "2025-11-01")).toEqual([s.schoolId]);
    await issueMonthAct(db(), s.schoolId, "2025-10-01");
    // November's period is unpaid when November's act would be drawn up; December's act is not due yet
    expect(await issueMonthAct(db(), s.schoolId, "2025-11-01")).toBeNull();
    expect(await schoolsToAct(db(), "2025-11-01")).not.toContain(s.schoolId);
    await db().invoice.update({ where: { id: s.invoices[1]!.id }, data: { status: "paid", paidAt: new Date() } });
    await issueMonthAct(db(), s.schoolId, "2025-12-01");
    expect(await actsOf(s.schoolId)).toEqual([
      { month: "2025-10", date: "2025-10-31", total: 1_000_000, lines: ["2025-10-01..2025-10-31 1000000"] },
      {
        month: "2025-12",
        date: "2025-12-31",
        total: 2_000_000,
        lines: ["2025-11-01..2025-11-30 1000000", "2025-12-01..2025-12-31 1000000"],
      },
    ]);
  });

  it("the daily run plans each school's act of the month that ended once, and its worker draws it up", async () => {
    const day = today();
    const month = previousMonth(day);
    const start = addDays(month, 3);
    const s = await schoolWithInvoices([{ start, end: addDays(start, 30), amount: 1_234_500, paid: true }]);
    const queues = openQueues();
    try {
      await planBillingDay(queues.billing, day);
      await planBillingDay(queues.billing, day);
      const jobs = (await queues.billing.getJobs(["waiting", "delayed", "prioritized"])).filter(
        (j) => j.name === "act" && (j.data as { schoolId: string }).schoolId === s.schoolId,
      );
      expect(jobs).toHaveLength(1);
      const run = billingProcessor(queues.billing);
      await run(jobs[0] as Job);
      await run(jobs[0] as Job);
      const acts = await actsOf(s.schoolId);
      expect(acts).toHaveLength(1);
      expect(acts[0]!.date).toBe(monthOf(month).last);
      expect(acts[0]!.total).toBe(Math.round((1_234_500 * (daysBetween(start, monthOf(month).last) + 1)) / 31));
    } finally {
      await queues.billing.obliterate({ force: true });
      await Promise.all(Object.values(queues).map((q) => q.close()));
    }
  });
});
