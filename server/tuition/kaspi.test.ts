// A school's tuition through Kaspi end to end: the local Kaspi (dev/kaspi/) plays the trainee's app against the
// real web app's /pay/kaspi/school-<slug> over HTTP, on real PostgreSQL — with the school's own secret and
// addresses, set by its director. Exact counts of what a payment leaves behind.
import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { startKaspiStandIn, type KaspiStandIn } from "../../dev/kaspi/index.ts";
import { startWebApp } from "../../tests/faults/helpers.ts";
import { addMember, createSchool, traineeInput, uniqueIin } from "../../tests/factories.ts";

type School = Awaited<ReturnType<typeof createSchool>>;
const SECRET = "school-tuition-secret-0123456789abcdef";
const today = () => almatyDate(new Date());
const tenge = (tiyn: number) => `${Math.floor(tiyn / 100)}.${String(tiyn % 100).padStart(2, "0")}`;
const ddmmyyyy = (iso: string) => iso.split("-").reverse().join(".");

let web: Awaited<ReturnType<typeof startWebApp>>;
const standIns: KaspiStandIn[] = [];
beforeAll(async () => {
  web = await startWebApp();
});
afterAll(async () => {
  for (const k of standIns) await k.close();
  await web?.close();
});

/** The school's Kaspi, as its director set it up: its own secret, Kaspi calling from loopback. */
async function kaspiFor(s: School, opts: { secret?: string; format?: "xml" | "json" } = {}) {
  const k = await startKaspiStandIn({
    port: 0,
    endpoint: `${web.base}/pay/kaspi/school-${s.slug}`,
    secret: opts.secret ?? SECRET,
    format: opts.format ?? "xml",
    retries: 3,
    backoffMs: 20,
  });
  standIns.push(k);
  return k;
}

/**
 * A school taking tuition through Kaspi, and a trainee whose 250 000 ₸ contract is in three instalments: the
 * first (100 000) 40 days ago and unpaid, the second (100 000) in 10 days, the third (50 000) in 40.
 */
async function schoolWithTrainee() {
  const s = await createSchool();
  await s.director.tuition.saveKaspiSettings({ school: s.slug, allowedIps: ["127.0.0.1", "::1"], newSecret: SECRET });
  const iin = uniqueIin("2004-04-04");
  const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput({ iin, lastName: "Оспанова" }) });
  const contract = `Д-${id.slice(0, 6)}`;
  await operatorDb().trainee.update({
    where: { id },
    data: { contractPriceTiyn: 250_000_00n, contractNumber: contract },
  });
  await s.director.training.setSchedule({
    school: s.slug,
    traineeId: id,
    plan: {
      kind: "text",
      text: [
        `${ddmmyyyy(addDays(today(), -40))} 100 000`,
        `${ddmmyyyy(addDays(today(), 10))} 100 000`,
        `${ddmmyyyy(addDays(today(), 40))} 50 000`,
      ].join("\n"),
    },
  });
  return { s, traineeId: id, iin, contract };
}

const paymentsOf = async (traineeId: string) =>
  (
    await operatorDb().traineePayment.findMany({
      where: { traineeId },
      select: { amountTiyn: true, method: true, externalRef: true, createdBy: true },
    })
  ).map((p) => ({ ...p, amountTiyn: Number(p.amountTiyn) }));

describe("a school's tuition through Kaspi", () => {
  it("check by contract number (any case) or IIN answers what is due now: the overdue instalment and the next", async () => {
    const { s, iin, contract } = await schoolWithTrainee();
    const kaspi = await kaspiFor(s);
    for (const account of [contract, contract.toLowerCase(), iin]) {
      const r = await kaspi.check(account);
      expect({ status: r.status, result: r.result, sum: r.sum }).toEqual({
        status: 200,
        result: 0,
        sum: tenge(200_000_00),
      });
      expect(r.comment).toBe(
        `Договор ${contract}: к оплате ${formatTiyn(200_000_00)} / ${contract} шарты: төлеуге ${formatTiyn(200_000_00)}`,
      );
    }
  });

  it("a pay of the sum due records one Kaspi payment; the schedule and the balance follow it", async () => {
    const { s, traineeId, contract } = await schoolWithTrainee();
    const kaspi = await kaspiFor(s, { format: "json" });
    const trace = await kaspi.pay({ account: contract });
    expect(trace.final).toMatchObject({ status: 200, result: 0 });
    expect(trace.final?.prvTxnId).toMatch(/^\d+$/);
    expect(await paymentsOf(traineeId)).toEqual([
      { amountTiyn: 200_000_00, method: "kaspi", externalRef: trace.txnId, createdBy: null },
    ]);
    const card = await s.director.training.card({ school: s.slug, traineeId });
    expect(card.tuition?.instalments.map((i) => i.state)).toEqual(["paid", "paid", "upcoming"]);
    expect({ paid: card.paidTiyn, balance: card.balanceTiyn }).toEqual({ paid: 200_000_00, balance: 50_000_00 });
    const after = await kaspi.check(contract);
    expect({ result: after.result, sum: after.sum }).toEqual({ result: 0, sum: tenge(50_000_00) });
    const audit = await operatorDb().auditLog.count({
      where: { schoolId: s.schoolId, action: "trainee.payment_added" },
    });
    expect(audit).toBe(1);
  });

  it("the same txn_id repeated, and sent twice at once, is one payment with one prv_txn_id", async () => {
    const { s, traineeId, contract } = await schoolWithTrainee();
    const kaspi = await kaspiFor(s);
    const first = await kaspi.pay({ account: contract });
    const repeats = await Promise.all([kaspi.repeat(first.txnId), kaspi.repeat(first.txnId)]);
    for (const r of repeats)
      expect({ result: r.result, prvTxnId: r.prvTxnId }).toEqual({ result: 0, prvTxnId: first.final?.prvTxnId });
    const txnId = `88${Date.now()}`;
    const [a, b] = await Promise.all([
      kaspi.pay({ account: contract, sum: tenge(50_000_00), txnId, skipCheck: true }),
      kaspi.pay({ account: contract, sum: tenge(50_000_00), txnId, skipCheck: true }),
    ]);
    expect(a.final).toMatchObject({ result: 0 });
    expect(b.final?.prvTxnId).toBe(a.final?.prvTxnId);
    const payments = await paymentsOf(traineeId);
    expect(payments.map((p) => p.amountTiyn).sort()).toEqual([200_000_00, 50_000_00].sort());
    // paid in full: a further pay is "already paid", nothing recorded
    const more = await kaspi.pay({ account: contract, sum: tenge(1_00), skipCheck: true });
    expect(more.final).toMatchObject({ result: 3 });
    expect(await paymentsOf(traineeId)).toHaveLength(2);
  });

  it("a wrong sum is refused with the exact sum, and nothing is recorded", async () => {
    const { s, traineeId, contract } = await schoolWithTrainee();
    const kaspi = await kaspiFor(s);
    const trace = await kaspi.pay({ account: contract, sum: tenge(100_000_00) });
    expect(trace.final).toMatchObject({ result: 2, prvTxnId: null });
    expect(trace.final?.comment).toContain(`Сумма должна быть ровно ${formatTiyn(200_000_00)} (договор ${contract})`);
    expect(await paymentsOf(traineeId)).toEqual([]);
  });

  it("another school's trainee is not found by IIN or contract, and a wrong secret is refused with 403", async () => {
    const { s } = await schoolWithTrainee();
    const other = await schoolWithTrainee();
    const kaspi = await kaspiFor(s);
    for (const account of [other.iin, other.contract]) {
      const r = await kaspi.check(account);
      expect({ result: r.result, comment: r.comment }).toEqual({
        result: 1,
        comment: "Договор или ИИН курсанта не найден / Шарт немесе оқушының ЖСН табылмады",
      });
    }
    const paid = await kaspi.pay({ account: other.iin, sum: tenge(200_000_00), skipCheck: true });
    expect(paid.final).toMatchObject({ result: 1 });
    expect(await paymentsOf(other.traineeId)).toEqual([]);
    const wrong = await kaspiFor(s, { secret: "not-the-school-secret-0123456789" });
    const refused = await wrong.check(s.slug);
    expect({ status: refused.status, result: refused.result }).toEqual({ status: 403, result: 5 });
    // a school that set up no payee takes nothing
    const none = await createSchool();
    const noPayee = await kaspiFor(none);
    expect((await noPayee.check("123")).status).toBe(403);
  });

  it("the director alone sets the school's payee; the secret is kept hashed and a first save needs one", async () => {
    const s = await createSchool();
    const registrar = await addMember(s.schoolId, "registrar");
    await expect(
      registrar.caller.tuition.saveKaspiSettings({ school: s.slug, allowedIps: ["127.0.0.1"], newSecret: SECRET }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const noSecret = await s.director.tuition
      .saveKaspiSettings({ school: s.slug, allowedIps: ["127.0.0.1"], newSecret: "" })
      .catch((e) => e);
    expect(describeError(noSecret, "ru").fieldErrors).toEqual({
      newSecret: "Задайте секрет: без него Kaspi не сможет обращаться к школе",
    });
    const badIp = await s.director.tuition
      .saveKaspiSettings({ school: s.slug, allowedIps: ["not-an-ip"], newSecret: SECRET })
      .catch((e) => e);
    expect(describeError(badIp, "ru").status).toBe(400);
    const view = await s.director.tuition.saveKaspiSettings({
      school: s.slug,
      allowedIps: ["127.0.0.1"],
      newSecret: SECRET,
    });
    expect(view).toMatchObject({ payee: `school-${s.slug}`, configured: true, allowedIps: ["127.0.0.1"] });
    const row = await operatorDb().schoolKaspiPayee.findUniqueOrThrow({ where: { schoolId: s.schoolId } });
    expect(row.secretSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(SECRET);
  });
});
