// Billing test helpers: the local Stripe with a webhook receiver that calls the app's real handler, and
// schools placed on a billing calendar in the past so a test can live through their dates.
import http from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { operatorDb } from "../server/db/client.ts";
import { addDays, almatyDate, dbDay } from "../domain/kz/time.ts";
import { settleSchool } from "../server/billing/cycle.ts";
import { nextPeriod } from "../server/billing/rules.ts";
import { makeBin } from "../domain/kz/iin.ts";
import { handleStripeWebhook } from "../server/billing/webhook.ts";
import { startStripeFake, type StripeFake } from "../dev/stripe/index.ts";
import { createSchool } from "./factories.ts";

export const today = () => almatyDate(new Date());

/** The local Stripe, delivering signed webhooks to the real handler over HTTP. */
export async function startStripe(): Promise<{ fake: StripeFake; stop(): Promise<void> }> {
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      handleStripeWebhook(Buffer.concat(chunks), req.headers["stripe-signature"] as string | undefined).then(
        (r) => res.writeHead(r.status, { "content-type": "application/json" }).end(JSON.stringify(r)),
        () => res.writeHead(500).end(),
      );
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  const port = (receiver.address() as AddressInfo).port;
  Object.assign(process.env, {
    STRIPE_SECRET_KEY: "sk_test_avtomektep_local",
    STRIPE_WEBHOOK_SECRET: "whsec_test_billing",
  });
  const fake = await startStripeFake({
    port: 0,
    webhookUrl: `http://127.0.0.1:${port}/`,
    webhookSecret: "whsec_test_billing",
  });
  process.env.STRIPE_API_BASE = fake.url;
  return {
    fake,
    async stop() {
      await fake.close();
      await new Promise<void>((r) => receiver.close(() => r()));
    },
  };
}

/** The local Stripe for a test file: started before its tests, stopped after them. */
export function stripeForFile(): { readonly fake: StripeFake } {
  let stripe: Awaited<ReturnType<typeof startStripe>>;
  beforeAll(async () => {
    stripe = await startStripe();
  });
  afterAll(async () => {
    await stripe.stop();
  });
  return {
    get fake() {
      return stripe.fake;
    },
  };
}

/**
 * A school signed up for real whose trial (its paid-through date) ended `daysAgo` days ago, so the test
 * can run the billing days from before that date up to today.
 */
export async function schoolPaidThrough(daysAgo: number, overrides: Record<string, unknown> = {}) {
  const s = await createSchool(overrides);
  const paidThrough = addDays(today(), -daysAgo);
  await operatorDb().school.update({
    where: { id: s.schoolId },
    data: { trialEndsAt: new Date(`${paidThrough}T12:00:00+05:00`) },
  });
  await operatorDb().subscription.update({
    where: { schoolId: s.schoolId },
    data: { paidThrough: new Date(`${paidThrough}T00:00:00Z`) },
  });
  return { ...s, paidThrough };
}

const usedBins = new Set<string>();
let binSerial = 0;
const BULK_YYMM = `19${String(1 + Math.floor(Math.random() * 12)).padStart(2, "0")}`;

/** Many schools at once, straight into the tables (no passwords to hash): for the bulk and crash tests. */
export async function bulkSchools(n: number, paidThrough: string, tag = randomUUID().slice(0, 6)): Promise<string[]> {
  const db = operatorDb();
  const plan = await db.tariffPlan.findUniqueOrThrow({ where: { code: "start" } });
  const ids: string[] = [];
  for (let i = 0; i < n; i += 500) {
    const chunk = Array.from({ length: Math.min(500, n - i) }, (_, k) => {
      const id = randomUUID();
      ids.push(id);
      let bin: string;
      do bin = makeBin(BULK_YYMM, binSerial++);
      while (usedBins.has(bin));
      usedBins.add(bin);
      return { id, bin, k: i + k };
    });
    await db.school.createMany({
      data: chunk.map((c) => ({
        id: c.id,
        slug: `b-${tag}-${c.k}`,
        name: `Bulk ${tag} ${c.k}`,
        kind: "legal_entity" as const,
        binIin: c.bin,
        directorName: "Директор",
        phone: "+77010000000",
        email: `d-${tag}-${c.k}@bulk.kz`,
        status: "trial" as const,
        trialEndsAt: new Date(`${paidThrough}T12:00:00+05:00`),
      })),
      skipDuplicates: true,
    });
    const users = chunk.map((c) => ({
      id: randomUUID(),
      email: `d-${tag}-${c.k}@bulk.kz`,
      fullName: `Директор ${c.k}`,
    }));
    await db.user.createMany({ data: users });
    await db.membership.createMany({
      data: chunk.map((c, j) => ({
        id: randomUUID(),
        schoolId: c.id,
        userId: users[j]!.id,
        role: "director" as const,
      })),
    });
    await db.subscription.createMany({
      data: chunk.map((c) => ({ schoolId: c.id, planId: plan.id, paidThrough: new Date(`${paidThrough}T00:00:00Z`) })),
    });
  }
  return ids;
}

export async function outboxTemplates(schoolIdOrEmail?: string) {
  const rows = await operatorDb().outboxEvent.findMany({ where: { queue: "mail" }, orderBy: { id: "asc" } });
  return rows
    .map((r) => ({
      jobId: r.jobId,
      ...(r.payload as { to: string; template: string; params: Record<string, string> }),
    }))
    .filter((r) => !schoolIdOrEmail || r.to === schoolIdOrEmail || r.jobId.includes(schoolIdOrEmail));
}

let invoiceSerial = 9_000_000 + Math.floor(Math.random() * 900_000);
/**
 * A school with invoices for given periods, paid or open, made like the one real invoice the billing run issued it
 * (its snapshot of requisites, buyer and offer; that one is voided).
 */
export async function schoolWithInvoices(periods: { start: string; end: string; amount: number; paid: boolean }[]) {
  const s = await schoolPaidThrough(-5);
  await settleSchool(s.schoolId, today());
  const model = await operatorDb().invoice.findFirstOrThrow({ where: { schoolId: s.schoolId } });
  await operatorDb().invoice.update({ where: { id: model.id }, data: { status: "void", voidedReason: "test" } });
  const invoices = [];
  for (const p of periods) {
    invoices.push(
      await operatorDb().invoice.create({
        data: {
          ...model,
          id: randomUUID(),
          number: `AM-2025-${String(++invoiceSerial).padStart(7, "0")}`,
          periodStart: dbDay(p.start),
          periodEnd: dbDay(p.end),
          amountTiyn: BigInt(p.amount),
          issuedOn: dbDay(addDays(p.start, -5)),
          dueOn: dbDay(p.start),
          status: p.paid ? "paid" : "open",
          paidAt: p.paid ? new Date() : null,
          supplier: model.supplier ?? {},
          buyer: model.buyer ?? {},
          offer: model.offer ?? {},
          createdAt: new Date(),
        },
      }),
    );
  }
  return { ...s, invoices };
}

/** A school whose month from 6 days ago is paid on `code`, paid through that month's end. */
export async function schoolMidPeriod(code: "start" | "standard") {
  const start = addDays(today(), -6);
  const period = nextPeriod(addDays(start, -1), "month");
  const price = code === "start" ? 1_500_000 : 3_500_000;
  const s = await schoolWithInvoices([{ ...period, amount: price, paid: true }]);
  const p = await operatorDb().tariffPlan.findUniqueOrThrow({ where: { code } });
  await operatorDb().invoice.update({ where: { id: s.invoices[0]!.id }, data: { planId: p.id } });
  await operatorDb().subscription.update({
    where: { schoolId: s.schoolId },
    data: { planId: p.id, paidThrough: dbDay(period.end) },
  });
  await operatorDb().school.update({ where: { id: s.schoolId }, data: { status: "active" } });
  return { ...s, period };
}
