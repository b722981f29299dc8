import { mkdirSync, writeFileSync } from "node:fs";
import { pdfText } from "../../tests/documents.ts";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { actPdf, invoicePdf, vatIncluded, type ActDocData, type InvoiceDocData, type Requisites } from "./documents.ts";

// The operator's requisites as the public offer gives them.
const carLife: Requisites = {
  name: "Профессиональное объединение по подготовке водителей транспортных средств «CarLife.kz»",
  bin: "140940023564",
  address: "010000, г. Астана, район Алматы, мкр. Аль-Фараби, пр. Шакарима Кудайбердиулы, 34",
  kbe: "18",
  knp: "859",
  banks: [
    { name: "АО «Банк ЦентрКредит»", iik: "KZ058562203130392523", bik: "KCJBKZKX" },
    { name: "АО «Kaspi Bank»", iik: "KZ04722S000040001309", bik: "CASPKZKA" },
  ],
  email: "info@avtomektep.kz",
};
const zhol = { name: "ТОО «Автошкола Жол»", binIin: "210540029188", address: "г. Кокшетау, ул. Абая, 112" };
const line = {
  descriptionKk: "Avtomektep жүйесіне қол жеткізу, «Стандарт» тарифі, 01.12.2026–31.12.2026",
  descriptionRu: "Доступ к системе Avtomektep, тариф «Стандарт», 01.12.2026–31.12.2026",
  unitKk: "ай",
  unitRu: "мес.",
  quantity: 1,
  priceTiyn: 4_500_000,
  amountTiyn: 4_500_000,
};
const invoice: InvoiceDocData = {
  number: "AM-2026-00042",
  issuedOn: "2026-11-18",
  dueOn: "2026-11-30",
  supplier: carLife,
  buyer: zhol,
  offer: { version: 3, date: "2026-11-01" },
  lines: [line],
  totalTiyn: 4_500_000,
  vat: { rateBp: 1600 },
  periodStart: "2026-12-01",
  periodEnd: "2026-12-31",
};
const act: ActDocData = {
  number: "AM-2026-00042",
  date: "2026-12-31",
  executor: carLife,
  customer: zhol,
  customerDirector: "Жолдасбеков Ержан Серікұлы",
  offer: { version: 3, date: "2026-11-01" },
  invoiceNumber: "AM-2026-00042",
  lines: [{ ...line, performedOn: "2026-12-31" }],
  totalTiyn: 4_500_000,
  vat: { rateBp: 1600 },
  periodStart: "2026-12-01",
  periodEnd: "2026-12-31",
};

/** PDF text as one line: non-breaking spaces, line breaks and layout padding read as single spaces. */
const text = async (pdf: Buffer) => (await pdfText(pdf)).replace(/[\s\u00a0]+/g, " ");
/** Keeps a copy of a generated file for looking at it (set DOCS_OUT to a folder). */
function keep(pdf: Buffer, name: string) {
  if (!process.env.DOCS_OUT) return;
  mkdirSync(process.env.DOCS_OUT, { recursive: true });
  writeFileSync(`${process.env.DOCS_OUT}/${name}`, pdf);
}

describe("VAT included in a price", () => {
  it("is the part of a VAT-inclusive total that is tax, rounded to the tiyn", () => {
    expect(vatIncluded(11600, 1600)).toBe(1600);
    expect(vatIncluded(4_500_000, 1600)).toBe(620_690); // 620 689,66 rounds up
    expect(vatIncluded(11200, 1200)).toBe(1200);
    expect(vatIncluded(0, 1600)).toBe(0);
  });
});

describe("invoice PDF", () => {
  it("carries the payment requisites, both titles, the buyer, the total and the amount in words", async () => {
    const pdf = await invoicePdf(invoice);
    keep(pdf, "invoice.pdf");
    const t = await text(pdf);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(t).toContain("Төлем шоты № AM-2026-00042, 18.11.2026 / Счёт на оплату № AM-2026-00042 от 18.11.2026");
    for (const v of [
      "140940023564",
      "KZ058562203130392523",
      "KCJBKZKX",
      "KZ04722S000040001309",
      "CASPKZKA",
      "АО «Банк ЦентрКредит»",
    ])
      expect(t).toContain(v);
    expect(t).toContain("БСН / БИН");
    expect(t).toContain("ЖСК / ИИК");
    expect(t).toContain("БСК / БИК");
    expect(t).toMatch(/Кбе .*18/);
    expect(t).toMatch(/Төлем мақсатының коды \/ Код назначения платежа .*859/);
    expect(t).toContain("ТОО «Автошкола Жол», БСН/ЖСН / БИН/ИИН 210540029188, г. Кокшетау, ул. Абая, 112");
    expect(t).toContain("Жария оферта, 3-редакция, 01.11.2026 / Публичная оферта, редакция 3 от 01.11.2026");
    expect(t).toContain("Доступ к системе Avtomektep, тариф «Стандарт», 01.12.2026–31.12.2026");
    expect(t).toContain("Барлығы / Итого: 45 000,00 ₸");
    expect(t).toContain("Барлығы 1 атау, 45 000,00 ₸ сомаға / Всего наименований 1, на сумму 45 000,00 ₸");
    expect(t).toContain("Сомасы жазбаша: Қырық бес мың теңге 00 тиын");
    expect(t).toContain("Сумма прописью: Сорок пять тысяч тенге 00 тиын");
    expect(t).toContain("Төлеу мерзімі: 30.11.2026 дейін / Оплатить до 30.11.2026");
    expect(t).toContain("В назначении платежа обязательно укажите номер счёта «№ AM-2026-00042»");
    expect(t).toContain("Төлем мақсатында шот нөмірін «№ AM-2026-00042» міндетті түрде көрсетіңіз");
    expect(t).toContain("Орындаушы / Исполнитель");
  });

  it("shows the VAT included in the total at 16%, or says there is no VAT", async () => {
    const withVat = await text(await invoicePdf(invoice));
    expect(withVat).toContain("Оның ішінде ҚҚС 16% / В том числе НДС 16%: 6 206,90 ₸");
    expect(withVat).toContain(formatTiyn(vatIncluded(invoice.totalTiyn, 1600)).replace(/\u00a0/g, " "));
    expect(withVat).not.toContain("Без НДС");

    const withoutVat = await text(await invoicePdf({ ...invoice, vat: null }));
    expect(withoutVat).toContain("ҚҚС-сыз / Без НДС");
    expect(withoutVat).not.toContain("НДС 16%");
  });

  it("writes an amount with tiyn and millions in words in both languages", async () => {
    const big = { ...line, quantity: 12, priceTiyn: 20_833_334, amountTiyn: 250_000_001 };
    const t = await text(await invoicePdf({ ...invoice, lines: [big], totalTiyn: 250_000_001, vat: null }));
    expect(t).toContain("Екі миллион бес жүз мың теңге 01 тиын");
    expect(t).toContain("Два миллиона пятьсот тысяч тенге 01 тиын");
    expect(t).toContain("2 500 000,01 ₸");
  });

  it("lists every line and keeps the table readable over a page break", async () => {
    const lines = Array.from({ length: 30 }, (_, i) => ({
      ...line,
      descriptionRu: `Услуга номер ${i + 1}`,
      amountTiyn: 150_000,
    }));
    const pdf = await invoicePdf({ ...invoice, lines, totalTiyn: 4_500_000 });
    const pages = (await pdfText(pdf)).split("\f").filter((p) => p.trim());
    expect(pages.length).toBeGreaterThan(1);
    const t = await text(pdf);
    for (let i = 1; i <= 30; i++) expect(t).toContain(`Услуга номер ${i} `);
    expect(pages[1]).toContain("Қызмет атауы / Наименование услуги"); // the header again on the next page
    expect(t).toContain("Барлығы 30 атау");
  });
});

describe("act of completed work (form Р-1)", () => {
  it("has the form header, parties, document number and date, the table, total, words and both signature blocks", async () => {
    const pdf = await actPdf(act);
    keep(pdf, "act.pdf");
    const t = await text(pdf);
    expect(t).toContain("Қаржы министрінің 2012 жылғы 20 желтоқсандағы № 562 бұйрығына 50-қосымша");
    expect(t).toContain("Приложение 50 к приказу Министра финансов Республики Казахстан от 20 декабря 2012 года № 562");
    expect(t).toContain("Р-1 нысаны / Форма Р-1");
    expect(t).toContain("ОРЫНДАЛҒАН ЖҰМЫСТАР (КӨРСЕТІЛГЕН ҚЫЗМЕТТЕР) АКТІСІ / АКТ ВЫПОЛНЕННЫХ РАБОТ (ОКАЗАННЫХ УСЛУГ)");
    expect(t).toMatch(/Тапсырыс беруші \/ Заказчик ТОО «Автошкола Жол», БСН\/ЖСН \/ БИН\/ИИН 210540029188/);
    expect(t).toMatch(/Орындаушы \/ Исполнитель Профессиональное объединение .*«CarLife.kz», БСН \/ БИН 140940023564/);
    // labels wrap beside their values, so pdftotext may put a label's second line inside a value
    expect(t).toMatch(/Жария оферта, 3-редакция, 01\.11\.2026 \/ Публичная оферта, (.* )?редакция 3 от 01\.11\.2026/);
    expect(t).toContain("№ AM-2026-00042");
    expect(t).toMatch(/AM-2026-00042 31\.12\.2026/); // the number and date box
    expect(t).toMatch(/Тапсырды \(Орындаушы\) \/ Сдал (.* )?\(Исполнитель\)/);
    expect(t).toMatch(/Қабылдады \(Тапсырыс беруші\) \/ Принял (.* )?\(Заказчик\)/);
    expect(t).toContain("қолының толық жазылуы / расшифровка подписи");
    expect(t).toContain("Жолдасбеков Ержан Серікұлы");
    expect(t).toContain("Барлығы / Итого: 45 000,00 ₸");
    expect(t).toContain("Оның ішінде ҚҚС 16% / В том числе НДС 16%: 6 206,90 ₸");
    expect(t).toContain("Сомасы жазбаша: Қырық бес мың теңге 00 тиын");
    expect(t).toContain("Сумма прописью: Сорок пять тысяч тенге 00 тиын");
    expect(t).toContain("Услуги оказаны в полном объёме, претензий");
    expect(t).toContain("Қызметтер толық көлемде көрсетілді");
  });

  it("says without VAT when the operator does not charge it, and dates a line by its performance date", async () => {
    const t = await text(await actPdf({ ...act, vat: null, lines: [{ ...line, performedOn: "2026-12-15" }] }));
    expect(t).toContain("ҚҚС-сыз / Без НДС");
    expect(t).not.toContain("НДС 16%");
    expect(t).toContain("15.12.2026");
  });
});
