import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { addMonths } from "../../domain/tuition.ts";
import { addMember, createSchool, traineeInput } from "../../tests/factories.ts";

type School = Awaited<ReturnType<typeof createSchool>>;
const today = () => almatyDate(new Date());

/** A trainee whose contract is 250 000 ₸. */
async function traineeWithPrice(s: School, priceTiyn = 250_000_00) {
  const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName: "Бекова" }) });
  await operatorDb().trainee.update({ where: { id }, data: { contractPriceTiyn: BigInt(priceTiyn) } });
  return id;
}

const stored = async (traineeId: string) =>
  (
    await operatorDb().tuitionInstalment.findMany({
      where: { traineeId },
      orderBy: { seq: "asc" },
      select: { seq: true, dueOn: true, amountTiyn: true },
    })
  ).map((r) => [r.seq, r.dueOn.toISOString().slice(0, 10), Number(r.amountTiyn)]);

describe("the tuition schedule", () => {
  it("splits the price into monthly instalments that add up to it exactly, the last taking the remainder", async () => {
    const s = await createSchool();
    const id = await traineeWithPrice(s);
    await s.director.training.setSchedule({
      school: s.slug,
      traineeId: id,
      plan: { kind: "even", count: 3, firstDue: "2027-01-31" },
    });
    expect(await stored(id)).toEqual([
      [1, "2027-01-31", 83_333_00],
      [2, "2027-02-28", 83_333_00],
      [3, "2027-03-31", 83_334_00],
    ]);
    const audit = await operatorDb().auditLog.findMany({
      where: { schoolId: s.schoolId, action: "trainee.schedule_set" },
    });
    expect(audit).toHaveLength(1);
  });

  it("applies payments to the earliest instalments; overdue and balance follow the payments, and so does eligibility", async () => {
    const s = await createSchool();
    const id = await traineeWithPrice(s);
    const first = addDays(today(), -40);
    await s.director.training.setSchedule({
      school: s.slug,
      traineeId: id,
      plan: {
        kind: "text",
        text: `${first.split("-").reverse().join(".")} 100 000\n${addMonths(first, 1).split("-").reverse().join(".")} 100000\n\n${addDays(today(), 20).split("-").reverse().join(".")} 50 000,00`,
      },
    });
    await s.director.training.addPayment({ school: s.slug, traineeId: id, amountTiyn: 130_000_00, paidOn: today() });
    const card = await s.director.training.card({ school: s.slug, traineeId: id });
    expect(card.tuition?.instalments.map((i) => [i.seq, i.state, i.paidTiyn, i.owedTiyn])).toEqual([
      [1, "paid", 100_000_00, 0],
      [2, "overdue", 30_000_00, 70_000_00],
      [3, "upcoming", 0, 50_000_00],
    ]);
    expect(card.tuition?.overdueTiyn).toBe(70_000_00);
    expect(card.tuition?.dueNowTiyn).toBe(120_000_00);
    expect({ paid: card.paidTiyn, balance: card.balanceTiyn }).toEqual({ paid: 130_000_00, balance: 120_000_00 });

    const before = await s.director.exams.eligibility({ school: s.slug, traineeId: id });
    expect(before.reasons.find((r) => r.code === "balance")?.params).toEqual({ amount: "120\u00a0000,00\u00a0₸" });
    await s.director.training.addPayment({ school: s.slug, traineeId: id, amountTiyn: 120_000_00, paidOn: today() });
    const after = await s.director.exams.eligibility({ school: s.slug, traineeId: id });
    expect(after.reasons.map((r) => r.code)).not.toContain("balance");
    const paidUp = await s.director.training.card({ school: s.slug, traineeId: id });
    expect(paidUp.tuition?.instalments.map((i) => i.state)).toEqual(["paid", "paid", "paid"]);
    expect(paidUp.tuition?.dueNowTiyn).toBe(0);
  });

  it("refuses lines that don't add up to the price in kk and ru, and keeps the schedule it had", async () => {
    const s = await createSchool();
    const id = await traineeWithPrice(s);
    await s.director.training.setSchedule({
      school: s.slug,
      traineeId: id,
      plan: { kind: "even", count: 2, firstDue: "2027-01-15" },
    });
    const wrong = await s.director.training
      .setSchedule({
        school: s.slug,
        traineeId: id,
        plan: {
          kind: "lines",
          lines: [
            { dueOn: "2027-01-15", amountTiyn: 100_000_00 },
            { dueOn: "2027-02-15", amountTiyn: 100_000_00 },
          ],
        },
      })
      .catch((e) => e);
    expect(describeError(wrong, "ru").fieldErrors).toEqual({
      lines:
        "Сумма платежей графика (200\u00a0000,00\u00a0₸) должна равняться стоимости обучения (250\u00a0000,00\u00a0₸)",
    });
    expect(describeError(wrong, "kk").fieldErrors?.lines).toBe(
      "Кесте төлемдерінің сомасы (200\u00a0000,00\u00a0₸) оқу құнына (250\u00a0000,00\u00a0₸) тең болуы керек",
    );
    const badLine = await s.director.training
      .setSchedule({ school: s.slug, traineeId: id, plan: { kind: "text", text: "15.01.2027 100000\nзавтра 150000" } })
      .catch((e) => e);
    expect(describeError(badLine, "ru").fieldErrors).toEqual({ lines: "Строка 2: ожидается «ДД.ММ.ГГГГ сумма»" });
    expect(await stored(id)).toEqual([
      [1, "2027-01-15", 125_000_00],
      [2, "2027-02-15", 125_000_00],
    ]);
  });

  it("two registrars setting the schedule at once leave one whole schedule", async () => {
    const s = await createSchool();
    const id = await traineeWithPrice(s, 100_000_00);
    await Promise.all(
      [2, 4].map((count) =>
        s.director.training.setSchedule({
          school: s.slug,
          traineeId: id,
          plan: { kind: "even", count, firstDue: "2027-03-01" },
        }),
      ),
    );
    const rows = await stored(id);
    expect([2, 4]).toContain(rows.length);
    expect(rows.reduce((sum, r) => sum + (r[2] as number), 0)).toBe(100_000_00);
  });

  it("is the office's: a teacher neither sees nor sets it, and another school can't reach the trainee", async () => {
    const s = await createSchool();
    const id = await traineeWithPrice(s);
    const teacher = await addMember(s.schoolId, "teacher");
    const card = await teacher.caller.training.card({ school: s.slug, traineeId: id });
    expect(card).not.toHaveProperty("tuition");
    await expect(
      teacher.caller.training.setSchedule({
        school: s.slug,
        traineeId: id,
        plan: { kind: "even", count: 2, firstDue: "2027-01-01" },
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    const other = await createSchool();
    await expect(
      other.director.training.setSchedule({
        school: other.slug,
        traineeId: id,
        plan: { kind: "even", count: 2, firstDue: "2027-01-01" },
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await stored(id)).toEqual([]);
  });
});
