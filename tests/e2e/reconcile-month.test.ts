// The accountant closes a month, in the browser, once in Kazakh and once in Russian: uploads the bank's 1C
// statement for the month (a Kazakh bank's file: …ИИК accounts, plain Сумма), sees every document in a category
// with totals equal to the file's, applies it (two invoices paid, this month's and the next one's in advance),
// then — the month's acts drawn up — finds the school's act on the month's acts page, downloads the ЭСФ register
// and the school's reconciliation act for the month and reads in them the act's sum and the closing balance: the
// advance for the next month. Real web server and worker processes, Chromium.
import { readFileSync } from "node:fs";
import type { Download, Page } from "playwright-core";
import { operatorDb } from "../../server/db/client.ts";
import { issueMonthAct, monthOf, previousMonth } from "../../server/billing/acts.ts";
import { addDays } from "../../domain/kz/time.ts";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { schoolWithInvoices, today } from "../billing.ts";
import { pdfText, xlsxRows } from "../documents.ts";
import { addOperator } from "../factories.ts";
import { browserSuite, shot, signInPage } from "./system.ts";

const suite = browserSuite();

const KASPI = "KZ04722S000040001309";
const dmy = (iso: string) => iso.split("-").reverse().join(".");
/** Spaces as a reader sees them: any run of white space (the sums' no-break ones too) is one space. */
const norm = (s: string) => s.replace(/\s+/g, " ").trim();
const money = (tiyn: number) => norm(formatTiyn(tiyn));

const TEXT = {
  kk: {
    upload: "Жүктеу және тексеру",
    matched: "Сәйкес келді",
    notReceipt: "Түсім емес",
    total: "Барлығы",
    credited: (bank: number, docs: number) =>
      `Түсті: банк деректері бойынша ${money(bank)}, құжаттар бойынша ${money(docs)}`,
    agree: "Банк қорытындылары файл құжаттарымен сәйкес келеді.",
    apply: "Сәйкес келген төлемдерді өткізу: 2",
    done: "Үзінді-көшірме өткізілді: есепке алынған төлемдер 2, толық төленген шоттар 2.",
    register: "ЭШФ тізілімі (XLSX)",
    reconciliation: "Салыстыру актісін жүктеу (PDF)",
    actsSheet: "Актілер",
    actCol: "Акт №",
    withVatCol: "ҚҚС-пен құны",
  },
  ru: {
    upload: "Загрузить и проверить",
    matched: "Сопоставлены",
    notReceipt: "Не поступления",
    total: "Итого",
    credited: (bank: number, docs: number) => `Поступило: по данным банка ${money(bank)}, по документам ${money(docs)}`,
    agree: "Итоги банка сходятся с документами файла.",
    apply: "Провести сопоставленные платежи: 2",
    done: "Выписка проведена: зачтено платежей 2, полностью оплачено счетов 2.",
    register: "Реестр для ЭСФ (XLSX)",
    reconciliation: "Скачать акт сверки (PDF)",
    actsSheet: "Акты",
    actCol: "№ акта",
    withVatCol: "Стоимость с НДС",
  },
} as const;

/** A Kazakh bank's 1C statement for the month: the school's two receipts and the bank's commission. */
function statementFile(d: { first: string; last: string; on: string; bin: string; invoices: [string, string] }) {
  const doc = (n: number, amount: string, purpose: string, from: string, to: string, payerBin: string) => [
    "СекцияДокумент=Платежное поручение",
    `Номер=${n}`,
    `Дата=${dmy(d.on)}`,
    `Сумма=${amount}`,
    `ПлательщикИИК=${from}`,
    "Плательщик=ЖШС «Жол» автомектебі",
    `ПлательщикБИН=${payerBin}`,
    `ПолучательИИК=${to}`,
    'Получатель=ТОО "Avtomektep"',
    "КодНазначенияПлатежа=859",
    `НазначениеПлатежа=${purpose}`,
    "КонецДокумента",
  ];
  return [
    "1CClientBankExchange",
    "ВерсияФормата=1.03",
    `ДатаНачала=${dmy(d.first)}`,
    `ДатаКонца=${dmy(d.last)}`,
    `РасчСчет=${KASPI}`,
    "СекцияРасчСчет",
    `РасчСчет=${KASPI}`,
    "ВсегоПоступило=24000",
    "ВсегоСписано=1500",
    "КонецРасчСчет",
    ...doc(731, "12000", `№ ${d.invoices[0]} шот бойынша төлем, ҚҚС-сыз`, "KZ12601A871001234567", KASPI, d.bin),
    ...doc(732, "12000", `Оплата по счёту № ${d.invoices[1]} без НДС`, "KZ12601A871001234567", KASPI, d.bin),
    ...doc(5, "1500", "Комиссия банка", KASPI, "KZ55722C000022014099", "140940023564"),
    "КонецФайла",
  ].join("\r\n");
}

/** Clicks what downloads a file and gives its bytes. */
async function download(page: Page, click: () => Promise<void>): Promise<{ file: Download; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  return { file, bytes: readFileSync((await file.path())!) };
}

for (const lang of ["kk", "ru"] as const) {
  it(`the operator applies the month's bank statement and reconciles the month with a school (${lang})`, async () => {
    const T = TEXT[lang];
    const pageErrors: string[] = [];
    const step = (n: number, name: string) => `reconcile-${lang}-${String(n).padStart(2, "0")}-${name}`;
    // The month that ended and the one running now, 12 000 ₸ each, both unpaid.
    const month = monthOf(previousMonth(today()));
    const next = monthOf(addDays(month.last, 1));
    const s = await schoolWithInvoices([
      { start: month.first, end: month.last, amount: 12_000_00, paid: false },
      { start: next.first, end: next.last, amount: 12_000_00, paid: false },
    ]);
    const [these, nexts] = s.invoices as [(typeof s.invoices)[number], (typeof s.invoices)[number]];
    const school = await operatorDb().school.findUniqueOrThrow({ where: { id: s.schoolId } });
    const op = await addOperator("billing");
    // the operator's saved language is what the console shows after sign-in
    const { email } = await operatorDb().user.update({ where: { id: op.userId }, data: { locale: lang } });

    // 1. The statement for the month: uploaded, every document in a category, the totals the file's.
    const page = await signInPage(suite, { email, width: 1280, lang, landing: /\/admin/, pageErrors });
    await page.goto(`${suite.system().url}/admin/statements`);
    const on = addDays(month.first, 9);
    await page.locator('input[name="file"]').setInputFiles({
      name: `kaspi-${month.first.slice(0, 7)}.txt`,
      mimeType: "text/plain",
      buffer: Buffer.from(
        statementFile({ ...month, on, bin: school.binIin, invoices: [these.number, nexts.number] }),
        "utf8",
      ),
    });
    await Promise.all([
      page.waitForURL(/\/admin\/statements\/[0-9a-f-]{36}$/),
      page.getByRole("button", { name: T.upload }).click(),
    ]);
    const categories = page.locator("table.ab-categories");
    await categories.waitFor();
    expect(norm(await categories.locator('tr[data-kind="matched"]').innerText())).toBe(
      `${T.matched} 2 ${money(24_000_00)}`,
    );
    expect(norm(await categories.locator('tr[data-kind="notReceipt"]').innerText())).toBe(
      `${T.notReceipt} 1 ${money(1_500_00)}`,
    );
    expect(norm(await categories.locator('tr[data-kind="total"]').innerText())).toBe(
      `${T.total} 3 ${money(25_500_00)}`,
    );
    const body = norm(await page.locator("main").innerText());
    expect(body).toContain(T.credited(24_000_00, 24_000_00));
    expect(body).toContain(T.agree);
    const matched = norm(await page.locator('[data-group="matched"]').innerText());
    expect(matched).toContain(these.number);
    expect(matched).toContain(nexts.number);
    expect(matched).toContain(dmy(on));
    await shot(page, step(1, "statement-preview"));

    // 2. Applied: both invoices paid, on the statement's day.
    await page.getByRole("button", { name: T.apply }).click();
    await page.getByText(T.done).waitFor();
    await shot(page, step(2, "statement-applied"));
    const paid = await operatorDb().invoice.findMany({
      where: { id: { in: [these.id, nexts.id] } },
      select: { status: true },
    });
    expect(paid.map((i) => i.status)).toEqual(["paid", "paid"]);

    // 3. The month's acts drawn up, as the monthly run does: the school's act is on the month's page.
    const act = await operatorDb().$transaction((tx) => issueMonthAct(tx, s.schoolId, month.first));
    expect(act).not.toBeNull();
    await page.goto(`${suite.system().url}/admin/acts?month=${month.first.slice(0, 7)}`);
    const row = page.locator("main table tbody tr", { hasText: act!.number });
    expect(norm(await row.innerText())).toBe(
      norm(`${act!.number} ${dmy(month.last)} ${school.name} ${school.binIin} ${money(12_000_00)} ${money(0)}`),
    );
    await shot(page, step(3, "acts"));

    // 4. The ЭСФ register of the month: the act's row with its sum.
    const register = await download(page, () => page.getByRole("link", { name: T.register }).click());
    expect(register.file.suggestedFilename()).toMatch(/\.xlsx$/);
    const [header, ...rows] = (await xlsxRows(register.bytes))[T.actsSheet]!;
    const actRow = rows.find((r) => r[header!.indexOf(T.actCol)] === act!.number)!;
    expect(actRow[header!.indexOf(T.withVatCol)]).toBe("12000");

    // 5. The reconciliation act for the month from the school's page: the act against both payments, and the
    // month closes on the next month's advance.
    await page.goto(`${suite.system().url}/admin/schools/${s.schoolId}`);
    await page.locator('input[name="from"]').fill(month.first);
    await page.locator('input[name="to"]').fill(month.last);
    await shot(page, step(4, "school-reconciliation"));
    const pdf = await download(page, () => page.getByRole("button", { name: T.reconciliation }).click());
    const text = norm(await pdfText(pdf.bytes));
    expect(text).toContain(act!.number);
    expect(text).toContain(`${these.number}`);
    expect(text).toContain(`${nexts.number}`);
    expect(text).toContain(`${dmy(month.first)}`);
    expect(text).toMatch(
      new RegExp(`На ${dmy(month.last)} задолженность в пользу .* \\(аванс\\) составляет ${money(12_000_00)}`),
    );
    expect(text).toMatch(
      new RegExp(`${dmy(month.last)} жағдай бойынша .* пайдасына берешек \\(аванс\\) ${money(12_000_00)} құрайды`),
    );
    expect(pageErrors).toEqual([]);
  }, 180_000);
}
