// Who owes what for tuition (ADR 042): the office's list, from the payments against each schedule — exact sums,
// most overdue first, the XLSX the same, another school's trainees never in it.
import ExcelJS from "exceljs";
import { operatorDb } from "../db/client.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { addMember, createSchool, traineeInput } from "../../tests/factories.ts";
import { refused } from "../../tests/refusal.ts";

type School = Awaited<ReturnType<typeof createSchool>>;
const today = () => almatyDate(new Date());
const ddmm = (d: string) => d.split("-").reverse().join(".");

async function trainee(s: School, lastName: string, priceTiyn: number) {
  const { id } = await s.director.trainees.create({
    school: s.slug,
    ...traineeInput({ lastName, firstName: "Асқар" }),
  });
  await operatorDb().trainee.update({ where: { id }, data: { contractPriceTiyn: BigInt(priceTiyn) } });
  return id;
}

describe("the tuition debtors list", () => {
  it("lists those who owe, most overdue first, with due now and the next date; the XLSX says the same", async () => {
    const s = await createSchool();
    const other = await createSchool();
    const past = addDays(today(), -10);
    const soon = addDays(today(), 20);
    // owes 60 000 overdue (paid 40 000 of the first 100 000), then 50 000 next
    const a = await trainee(s, "Әлиев", 150_000_00);
    await s.director.training.setSchedule({
      school: s.slug,
      traineeId: a,
      plan: { kind: "text", text: `${ddmm(past)} 100 000\n${ddmm(soon)} 50 000` },
    });
    await s.director.training.addPayment({ school: s.slug, traineeId: a, amountTiyn: 40_000_00, paidOn: today() });
    // nothing overdue: the whole price is one payment, no date
    const b = await trainee(s, "Бекова", 80_000_00);
    // paid in full: not on the list
    const c = await trainee(s, "Ахметов", 50_000_00);
    await s.director.training.addPayment({ school: s.slug, traineeId: c, amountTiyn: 50_000_00, paidOn: today() });
    // another school's debtor
    await trainee(other, "Жақсылықов", 90_000_00);

    const list = await s.director.tuition.debtors({ school: s.slug });
    expect(list.debtors.map((d) => [d.fullName, d.overdueTiyn, d.dueNowTiyn, d.balanceTiyn, d.nextDueOn])).toEqual([
      ["Әлиев Асқар", 60_000_00, 110_000_00, 110_000_00, soon],
      ["Бекова Асқар", 0, 80_000_00, 80_000_00, null],
    ]);
    expect(list.totals).toEqual({ count: 2, overdueTiyn: 60_000_00, balanceTiyn: 190_000_00 });
    expect(list.debtors.map((d) => d.id)).toEqual([a, b]);

    const file = await s.director.tuition.debtorsXlsx({ school: s.slug });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(file.base64, "base64") as unknown as ExcelJS.Buffer);
    const rows = wb.worksheets[0]!.getSheetValues().slice(2) as unknown[][];
    expect(rows.map((r) => [r[2], r[7], r[8], r[10] ?? ""])).toEqual([
      ["Әлиев Асқар", 110_000, 60_000, ddmm(soon)],
      ["Бекова Асқар", 80_000, 0, ""],
      [expect.any(String), 190_000, 60_000, ""],
    ]);
  });

  it("is the office's: an instructor is refused", async () => {
    const s = await createSchool();
    const instructor = await addMember(s.schoolId, "instructor");
    expect(await refused(instructor.caller.tuition.debtors({ school: s.slug }))).toMatchObject({ code: "FORBIDDEN" });
  });
});
