// The 1CClientBankExchange statement parser: real-looking statements from Kazakhstan banks in both dialects and
// encodings, amounts to the tiyn, every way a file can be broken, and invoice numbers as payers really type them.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import iconv from "iconv-lite";
import {
  decodeStatement,
  incomingPayments,
  invoiceNumbersIn,
  parseClientBankExchange,
  parseStatement,
  receiptStatus,
  StatementError,
  type PaymentDocument,
} from "./client-bank-exchange.ts";

const OPERATOR = {
  name: 'Профессиональное объединение по подготовке водителей транспортных средств "CarLife.kz"',
  bin: "140940023564",
  iik: "KZ058562203130392523",
};
const fixture = (name: string) =>
  readFileSync(new URL(`../../tests/fixtures/statements/${name}`, import.meta.url), "utf8");
const crlf = (text: string) => text.replace(/\r?\n/g, "\r\n");
const utf8 = (text: string) => new TextEncoder().encode(text);

/** A statement from header-less document lines (one string per line). */
const statement = (lines: string[], eol = "\r\n") => ["1CClientBankExchange", "ВерсияФормата=1.03", ...lines].join(eol);
const doc = (...lines: string[]) => [
  "СекцияДокумент=Платежное поручение",
  "Номер=1",
  "Дата=18.11.2026",
  ...lines,
  "КонецДокумента",
];
/** The file-level error, or the first unreadable document's reason and the line of the offending key. */
function errorOf(text: string): { reason: string; line: number } {
  let unreadable: ReturnType<typeof parseStatement>["unreadable"];
  try {
    ({ unreadable } = parseStatement(text));
  } catch (e) {
    if (e instanceof StatementError) return { reason: e.reason, line: e.line };
    throw e;
  }
  if (unreadable[0]) return { reason: unreadable[0].reason, line: unreadable[0].reasonLine };
  throw new Error("the statement parsed without an error");
}

/** A payment to the operator's account, as the statement names the recipient. */
const toOperator = {
  recipientAccount: OPERATOR.iik,
  recipientBin: OPERATOR.bin,
  recipientName: OPERATOR.name,
  recipientKbe: "18",
};

describe("a classic 1C statement in Windows-1251", () => {
  // The fixture is kept as readable UTF-8; a 1C bank client writes it as Windows-1251 with CRLF.
  const bytes = iconv.encode(crlf(fixture("classic-1c.txt")), "win1251");

  it("is really not UTF-8, and decodes back to the Russian text", () => {
    expect(new TextDecoder().decode(bytes)).toContain("\uFFFD");
    expect(decodeStatement(bytes)).toContain('Плательщик=ТОО "Автошкола "Жол-Сервис""');
  });

  it("gives the header and the payment documents, not the account section", () => {
    const { header, documents } = parseStatement(decodeStatement(bytes));
    expect(header).toEqual({
      formatVersion: "1.03",
      encoding: "Windows",
      dateFrom: "2026-11-18",
      dateTo: "2026-11-19",
      accounts: [OPERATOR.iik],
      credited: 24_000_051,
      debited: 3_500_000,
    });
    expect(documents.map((d) => d.number)).toEqual(["317", "88", "1204"]);
    expect(documents[0]).toEqual({
      kind: "Платежное поручение",
      number: "317",
      date: "2026-11-18",
      amountTiyn: 12_000_050,
      direction: null,
      payerAccount: "KZ86601A861000123456",
      payerBin: "120340008817",
      payerName: 'ТОО "Автошкола "Жол-Сервис""',
      payerKbe: "17",
      ...toOperator,
      knp: "859",
      purpose: "Оплата по счёту № AM-2026-00042 от 18.11.2026 за доступ к Avtomektep, без НДС",
      line: 23,
    } satisfies PaymentDocument);
  });

  it("reads Плательщик1 when Плательщик is absent and joins a purpose split over НазначениеПлатежа1…", () => {
    const second = parseClientBankExchange(decodeStatement(bytes))[1]!;
    expect(second.payerName).toBe('ТОО "Автошкола Престиж-Караганда"');
    expect(second.recipientName).toBe(OPERATOR.name);
    expect(second.amountTiyn).toBe(12_000_001);
    expect(second.purpose).toBe("Оплата по счету №AM-2026-00051 от 19.11.2026 за доступ к Avtomektep, без НДС");
    expect(invoiceNumbersIn(second.purpose)).toEqual(["AM-2026-00051"]);
  });

  it("tells the operator's incoming payments from its own rent payment by the accounts", () => {
    const incoming = incomingPayments(parseClientBankExchange(decodeStatement(bytes)), [OPERATOR.iik]);
    expect(incoming.map((d) => [d.payerBin, d.amountTiyn])).toEqual([
      ["120340008817", 12_000_050],
      ["180240031528", 12_000_001],
    ]);
  });
});

describe("a Kazakhstan-dialect statement in UTF-8", () => {
  const text = crlf(fixture("kz-utf8.txt"));
  const parsed = parseStatement(decodeStatement(utf8(text)));

  it("keeps Kazakh letters in names and purposes", () => {
    expect(text).toContain("\r\n");
    for (const letter of "әғқңөұүһі") expect(text).toContain(letter);
    const [school, entrepreneur] = parsed.documents;
    expect(school!.payerName).toBe("ЖШС «Қазығұрт Әлем» автомектебі");
    expect(entrepreneur!.payerName).toBe("ЖК Сәрсенова Шаһизада Үмітқызы");
    expect(entrepreneur!.purpose).toBe(
      "Шот №AM–2026–00044 (18.11.2026) бойынша Шымкент қаласының филиалы үшін төлем, ҚҚС жоқ",
    );
  });

  it("reads keys in any order, the BIN/IIN variants, ДатаДокумента and income/expense amounts", () => {
    expect(parsed.header).toEqual({
      formatVersion: "1.02",
      encoding: "UTF-8",
      dateFrom: "2026-11-20",
      dateTo: "2026-11-20",
      accounts: [OPERATOR.iik],
      credited: 104_500_000,
      debited: 15_000,
    });
    expect(parsed.documents[0]).toEqual({
      kind: "Платежное поручение",
      number: "5561",
      date: "2026-11-20",
      amountTiyn: 100_000_000,
      direction: "in",
      payerAccount: "KZ12601A871001234567",
      payerBin: "150640012345",
      payerName: "ЖШС «Қазығұрт Әлем» автомектебі",
      payerKbe: "17",
      ...toOperator,
      knp: "859",
      purpose: "№ AM-2026-00043 шот бойынша Avtomektep платформасына қолжетімділік үшін төлем, ҚҚС-сыз",
      line: 15,
    } satisfies PaymentDocument);
    expect(parsed.documents.map((d) => [d.kind, d.direction, d.amountTiyn, d.payerBin, d.recipientBin])).toEqual([
      ["Платежное поручение", "in", 100_000_000, "150640012345", OPERATOR.bin],
      ["Платежное поручение", "in", 4_500_000, "890412450123", OPERATOR.bin],
      ["Мемориальный ордер", "out", 15_000, OPERATOR.bin, "920140000084"],
    ]);
  });

  it("leaves the bank's commission out of the payments to match", () => {
    const incoming = incomingPayments(parsed.documents, [OPERATOR.iik]);
    expect(incoming.map((d) => d.number)).toEqual(["5561", "19"]);
    expect(incoming.flatMap((d) => invoiceNumbersIn(d.purpose))).toEqual(["AM-2026-00043", "AM-2026-00044"]);
  });
});

describe("decoding uploaded bytes", () => {
  const body = [
    "",
    "СекцияДокумент=Платежное поручение",
    "Номер=7",
    "Дата=18.11.2026",
    "Сумма=10.00",
    'Плательщик=ТОО "Автошкола Жол"',
    "НазначениеПлатежа=Оплата по счёту № AM-2026-00007",
    "КонецДокумента",
  ].join("\r\n");
  const withEncoding = (encoding: string | null) =>
    `1CClientBankExchange\r\nВерсияФормата=1.03${encoding === null ? "" : `\r\nКодировка=${encoding}`}${body}`;
  const payerOf = (bytes: Uint8Array) => parseClientBankExchange(decodeStatement(bytes))[0]!.payerName;

  it("honours Кодировка=Windows and Кодировка=DOS", () => {
    expect(payerOf(iconv.encode(withEncoding("Windows"), "win1251"))).toBe('ТОО "Автошкола Жол"');
    expect(payerOf(iconv.encode(withEncoding("DOS"), "cp866"))).toBe('ТОО "Автошкола Жол"');
  });

  it("without a declared encoding, takes valid UTF-8 as UTF-8 and anything else as Windows-1251", () => {
    expect(payerOf(utf8(withEncoding(null)))).toBe('ТОО "Автошкола Жол"');
    expect(payerOf(iconv.encode(withEncoding(null), "win1251"))).toBe('ТОО "Автошкола Жол"');
    expect(payerOf(iconv.encode(withEncoding("KOI8"), "win1251"))).toBe('ТОО "Автошкола Жол"');
  });

  it("drops a UTF-8 byte order mark", () => {
    const text = decodeStatement(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(withEncoding("UTF-8"))]));
    expect(text.startsWith("1CClientBankExchange")).toBe(true);
    expect(parseClientBankExchange(text)).toHaveLength(1);
  });

  it("keeps Kazakh letters of a UTF-8 export its bank mislabelled Кодировка=Windows", () => {
    const bytes = utf8(withEncoding("Windows").replace("Автошкола Жол", "Қазығұрт автомектебі"));
    expect(payerOf(bytes)).toBe('ТОО "Қазығұрт автомектебі"');
  });
});

describe("reading lines and keys", () => {
  const lines = [
    "Кодировка=Windows",
    "",
    "СекцияДокумент=Платежное поручение",
    "  Номер =  42  ",
    "Дата=18.11.2026",
    "Сумма=120000.50",
    'ПлательщикНаименование=ТОО "Автошкола "Дорога=Жизнь""',
    "ПлательщикБин=150640012345",
    "НазначениеПлатежа=Оплата по счёту № AM-2026-00042; код=859 «без НДС»",
    "НеизвестныйКлюч=что-то",
    "КонецДокумента",
  ];

  it("reads the same documents with CRLF, LF or lone CR line ends, and without КонецФайла", () => {
    const [crlfDocs, lfDocs, crDocs] = ["\r\n", "\n", "\r"].map((eol) =>
      parseClientBankExchange(statement(lines, eol)),
    );
    expect(lfDocs).toEqual(crlfDocs);
    expect(crDocs).toEqual(crlfDocs);
    expect(crlfDocs).toHaveLength(1);
  });

  it("splits at the first '=', trims around keys and values, and ignores unknown keys and blank lines", () => {
    const [d] = parseClientBankExchange(statement(lines));
    expect(d!.number).toBe("42");
    expect(d!.payerBin).toBe("150640012345"); // key case as some banks write it
    expect(d!.payerName).toBe('ТОО "Автошкола "Дорога=Жизнь""');
    expect(d!.purpose).toBe("Оплата по счёту № AM-2026-00042; код=859 «без НДС»");
    expect(d!.line).toBe(5);
  });

  it("treats a document without a purpose, names or accounts as empty rather than broken", () => {
    const [d] = parseClientBankExchange(statement(doc("Сумма=5000.00", "ПлательщикСчет=", "Плательщик=")));
    expect(d).toMatchObject({
      purpose: "",
      payerAccount: null,
      payerName: null,
      payerBin: null,
      knp: null,
      recipientAccount: null,
    });
  });

  it("stops at КонецФайла", () => {
    const text = statement([...doc("Сумма=1.00"), "КонецФайла", ...doc("Сумма=не число")]);
    expect(parseClientBankExchange(text)).toHaveLength(1);
  });

  it("collects every РасчСчет of the header and account sections once", () => {
    const { header } = parseStatement(
      statement([
        "РасчСчет=KZ058562203130392523",
        "РасчСчет=KZ11722S000001112223",
        "СекцияРасчСчет",
        "РасчСчет=KZ058562203130392523",
        "НачальныйОстаток=0.00",
        "КонецРасчСчет",
        "СекцияРасчСчет",
        "РасчСчет=kz44 6010 0020 0000 1234",
        "КонецРасчСчет",
      ]),
    );
    expect(header.accounts).toEqual(["KZ058562203130392523", "KZ11722S000001112223", "KZ446010002000001234"]);
  });
});

describe("amounts", () => {
  const amountOf = (...lines: string[]) => parseClientBankExchange(statement(doc(...lines)))[0]!;

  it("are exact to the tiyn, with a point or a comma and spaces between thousands", () => {
    const cases: [string, number][] = [
      ["120000.50", 12_000_050],
      ["0.01", 1],
      ["1 000 000,00", 100_000_000],
      ["1\u00a0000\u00a0000,00", 100_000_000],
      ["120000,5", 12_000_050],
      ["45000", 4_500_000],
      ["0.29", 29],
      ["1234567.89", 123_456_789],
      ["4.35", 435],
    ];
    for (const [written, tiyn] of cases) expect(amountOf(`Сумма=${written}`).amountTiyn, written).toBe(tiyn);
  });

  it("take their direction from СуммаПриход / СуммаРасход, even with a zero on the other side", () => {
    expect(amountOf("СуммаПриход=250,00")).toMatchObject({ amountTiyn: 25_000, direction: "in" });
    expect(amountOf("СуммаРасход=250,00")).toMatchObject({ amountTiyn: 25_000, direction: "out" });
    expect(amountOf("СуммаПриход=0,00", "СуммаРасход=250,00")).toMatchObject({ amountTiyn: 25_000, direction: "out" });
    expect(amountOf("СуммаПриход=", "СуммаРасход=250,00")).toMatchObject({ amountTiyn: 25_000, direction: "out" });
    expect(amountOf("Сумма=250.00")).toMatchObject({ amountTiyn: 25_000, direction: null });
  });
});

describe("broken statements are refused with the reason and the line; a broken document is kept as unreadable", () => {
  it("notStatement: anything that doesn't start with 1CClientBankExchange", () => {
    for (const text of [
      "",
      "Номер;Дата;Сумма\r\n1;18.11.2026;100",
      '\uFEFF<?xml version="1.0"?>',
      "ВерсияФормата=1.03\n1CClientBankExchange",
    ]) {
      expect(errorOf(text), text).toEqual({ reason: "notStatement", line: 1 });
    }
    // leading blank lines and a BOM are fine
    expect(parseClientBankExchange(`\uFEFF\r\n\r\n${statement(doc("Сумма=1.00"))}`)).toHaveLength(1);
  });

  it("unterminated: a document not closed before the next section or the end of the file", () => {
    const open = ["СекцияДокумент=Платежное поручение", "Номер=1", "Дата=18.11.2026", "Сумма=1.00"];
    expect(errorOf(statement([...doc("Сумма=1.00"), ...open, ...doc("Сумма=2.00")]))).toEqual({
      reason: "unterminated",
      line: 8,
    });
    expect(errorOf(statement([...open]))).toEqual({ reason: "unterminated", line: 3 });
    expect(errorOf(statement([...open, "КонецФайла"]))).toEqual({ reason: "unterminated", line: 3 });
    expect(errorOf(statement([...open, "СекцияРасчСчет", "КонецРасчСчет"]))).toEqual({
      reason: "unterminated",
      line: 3,
    });
    expect(errorOf(statement(["СекцияРасчСчет", "РасчСчет=KZ058562203130392523", ...doc("Сумма=1.00")]))).toEqual({
      reason: "unterminated",
      line: 3,
    });
  });

  it("badAmount: not a number, a negative, more than two decimals, missing, or both income and expense", () => {
    for (const written of ["12.345", "abc", "-5.00", "1,000.00", "1e5", "", "120 000.50 KZT"]) {
      // the document starts at line 3; Сумма is its 4th line
      expect(errorOf(statement(doc(`Сумма=${written}`))), written).toEqual({ reason: "badAmount", line: 6 });
    }
    expect(errorOf(statement(doc('Плательщик=ТОО "Жол"')))).toEqual({ reason: "badAmount", line: 3 });
    expect(errorOf(statement(doc("СуммаПриход=10,00", "СуммаРасход=10,00")))).toEqual({ reason: "badAmount", line: 7 });
  });

  it("badDate: a date the calendar doesn't have, a foreign format, or none", () => {
    const dated = (date: string) =>
      statement(["СекцияДокумент=Платежное поручение", "Номер=1", "Сумма=1.00", `Дата=${date}`, "КонецДокумента"]);
    for (const date of ["31.02.2026", "18/11/2026", "2026.11.18", "18.13.2026", "вчера", ""]) {
      expect(errorOf(dated(date)), date).toEqual({ reason: "badDate", line: 6 });
    }
    expect(parseClientBankExchange(dated("2026-11-18"))[0]!.date).toBe("2026-11-18");
    expect(parseClientBankExchange(dated("29.02.2028"))[0]!.date).toBe("2028-02-29");
    expect(
      errorOf(statement(["СекцияДокумент=Платежное поручение", "Номер=1", "Сумма=1.00", "КонецДокумента"])),
    ).toEqual({ reason: "badDate", line: 3 });
    expect(errorOf(statement(["ДатаНачала=01.11.2026", "ДатаКонца=31.11.2026"]))).toEqual({
      reason: "badDate",
      line: 4,
    });
  });

  it("is a StatementError that says what and where", () => {
    const e = (() => {
      try {
        parseClientBankExchange("hello");
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(StatementError);
    expect(e).toBeInstanceOf(Error);
    expect((e as StatementError).message).toContain("notStatement");
  });
});

describe("invoice numbers in a payment purpose", () => {
  it("are found however the payer spelled them", () => {
    const cases: [string, string[]][] = [
      ["Оплата по счёту № AM-2026-00042 от 18.11.2026 за доступ к Avtomektep, без НДС", ["AM-2026-00042"]],
      ["Оплата по счету №AM-2026-00042", ["AM-2026-00042"]],
      ["оплата AM 2026 00042", ["AM-2026-00042"]],
      ["am-2026-42", ["AM-2026-00042"]],
      ["счёт AM-2026-00042 от 18.11.2026", ["AM-2026-00042"]],
      ["Шот №AM–2026–00042 бойынша төлем", ["AM-2026-00042"]],
      ["Шот № АМ-2026-00042 (кириллицей)", ["AM-2026-00042"]],
      ["AM—2026—00042", ["AM-2026-00042"]],
      ["AM/2026/00042", ["AM-2026-00042"]],
      ["AM202600042", ["AM-2026-00042"]],
      ["Am - 2026 - 7", ["AM-2026-00007"]],
      ["(AM-2026-00042)", ["AM-2026-00042"]],
      ["по счетам AM-2026-00042, AM-2026-00043 и № AM-2026-00042", ["AM-2026-00042", "AM-2026-00043"]],
      ["AM-2027-00001;AM-2026-99999", ["AM-2027-00001", "AM-2026-99999"]],
    ];
    for (const [purpose, numbers] of cases) expect(invoiceNumbersIn(purpose), purpose).toEqual(numbers);
  });

  it("are not made up from other numbers", () => {
    for (const purpose of [
      "Оплата по договору № 14/2026 от 18.11.2026, без НДС",
      "PROGRAM-2026-00042",
      "AM-26-00042",
      "AM-2026-",
      "Комиссия банка",
      "",
    ]) {
      expect(invoiceNumbersIn(purpose), purpose).toEqual([]);
    }
  });
});

describe("payments into the operator's accounts", () => {
  const base = parseClientBankExchange(statement(doc("Сумма=1.00")))[0]!;
  const payment = (recipientAccount: string | null, direction: PaymentDocument["direction"]) => ({
    ...base,
    recipientAccount,
    direction,
  });

  it("are those to one of its IIKs that aren't outgoing, however the IIK was typed", () => {
    const docs = [
      payment(OPERATOR.iik, null),
      payment(OPERATOR.iik, "in"),
      payment(OPERATOR.iik, "out"),
      payment("KZ42914002203KZ00911", "in"),
      payment(null, "in"),
    ];
    expect(incomingPayments(docs, ["kz05 8562 2031 3039 2523"])).toEqual([docs[0], docs[1]]);
    expect(incomingPayments(docs, [])).toEqual([]);
  });
});

describe("both dialects say the same thing", () => {
  type Written = { number: string; date: string; amountTiyn: number; payerBin: string; purpose: string };
  const russian = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя";
  const common = `${russian}ABCXYZabcxyz0123456789 .,;:-–—№"«»()=/%`;
  const kazakh = "әғқңөұүһіӘҒҚҢӨҰҮҺІ";
  const written = (alphabet: string): fc.Arbitrary<Written> =>
    fc.record({
      number: fc.stringMatching(/^[0-9][0-9/-]{0,9}$/),
      date: fc
        .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      amountTiyn: fc.integer({ min: 0, max: 10_000_000_000_000 }),
      payerBin: fc.stringMatching(/^\d{12}$/),
      purpose: fc.string({ unit: fc.constantFrom(...alphabet), maxLength: 120 }).map((s) => s.trim()),
    });
  const dmy = (iso: string) => iso.split("-").reverse().join(".");
  const tenge = (tiyn: number, thousands = "") =>
    `${String(Math.floor(tiyn / 100)).replace(/\B(?=(\d{3})+$)/g, thousands)}.${String(tiyn % 100).padStart(2, "0")}`;

  /** Classic 1C: Windows-1251, CRLF, fixed key order, Сумма with a point. */
  const classic = (docs: Written[]) =>
    iconv.encode(
      [
        "1CClientBankExchange",
        "ВерсияФормата=1.03",
        "Кодировка=Windows",
        `РасчСчет=${OPERATOR.iik}`,
        ...docs.flatMap((d) => [
          "СекцияДокумент=Платежное поручение",
          `Номер=${d.number}`,
          `Дата=${dmy(d.date)}`,
          `Сумма=${tenge(d.amountTiyn)}`,
          "ПлательщикСчет=KZ86601A861000123456",
          `ПлательщикИНН=${d.payerBin}`,
          `ПолучательСчет=${OPERATOR.iik}`,
          `ПолучательИНН=${OPERATOR.bin}`,
          `Получатель=${OPERATOR.name}`,
          "КодНазначенияПлатежа=859",
          `НазначениеПлатежа=${d.purpose}`,
          "КонецДокумента",
        ]),
        "КонецФайла",
      ].join("\r\n"),
      "win1251",
    );

  /** Kazakhstan variant: UTF-8, any line end, keys shuffled, СуммаПриход with a comma and grouped thousands. */
  const kz = (docs: Written[], eol: string, binKey: string, isoDate: boolean, thousands: string, order: number[]) =>
    utf8(
      [
        "1CClientBankExchange",
        "ВерсияФормата=1.02",
        "Кодировка=UTF-8",
        ...docs.flatMap((d) => {
          const keys = [
            `Номер=${d.number}`,
            `ДатаДокумента=${isoDate ? d.date : dmy(d.date)}`,
            `СуммаПриход=${tenge(d.amountTiyn, thousands).replace(".", ",")}`,
            `${binKey}=${d.payerBin}`,
            `ПолучательСчет=${OPERATOR.iik}`,
            `ПолучательНаименование=${OPERATOR.name}`,
            `НазначениеПлатежа=${d.purpose}`,
            "ДатаОперации=20.11.2026 10:42:17",
          ];
          return ["СекцияДокумент=Платежное поручение", ...order.map((i) => keys[i]!), "КонецДокумента"];
        }),
      ].join(eol),
    );

  const kept = (docs: PaymentDocument[]) =>
    docs.map(({ number, date, amountTiyn, payerBin, purpose }) => ({ number, date, amountTiyn, payerBin, purpose }));

  it("writing generated documents in either dialect and parsing them gives them back", () => {
    fc.assert(
      fc.property(
        fc.array(written(common), { minLength: 1, maxLength: 5 }),
        fc.array(written(common + kazakh), { minLength: 1, maxLength: 5 }),
        fc.constantFrom("\r\n", "\n", "\r"),
        fc.constantFrom("ПлательщикБИН", "ПлательщикИИН", "ПлательщикБИН_ИИН"),
        fc.boolean(),
        fc.constantFrom("", " ", "\u00a0"),
        fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7], { minLength: 8 }),
        (russianDocs, kazakhDocs, eol, binKey, isoDate, thousands, order) => {
          expect(kept(parseClientBankExchange(decodeStatement(classic(russianDocs))))).toEqual(russianDocs);
          expect(
            kept(parseClientBankExchange(decodeStatement(kz(kazakhDocs, eol, binKey, isoDate, thousands, order)))),
          ).toEqual(kazakhDocs);
        },
      ),
    );
  });
});

describe("a Kazakh bank's statement: accounts under …ИИК, a plain integer Сумма", () => {
  const KASPI = "KZ04722S000040001309";
  const parsed = parseStatement(decodeStatement(utf8(crlf(fixture("kz-iik.txt")))));

  it("reads ПлательщикИИК / ПолучательИИК, with spaces in the key or a lower-case IIK with spaces", () => {
    expect(parsed.unreadable).toEqual([]);
    expect(parsed.documents.map((d) => [d.number, d.payerAccount, d.recipientAccount, d.direction])).toEqual([
      ["731", "KZ12601A871001234567", KASPI, null],
      ["19", "KZ75722S000001234567", KASPI, null],
      ["5", KASPI, "KZ55722C000022014099", null],
    ]);
  });

  it("takes a plain integer Сумма as whole tenge, in tiyn, and the bank's totals from the account section", () => {
    expect(parsed.documents.map((d) => d.amountTiyn)).toEqual([12_000_000, 4_500_000, 250_000]);
    expect(parsed.header).toMatchObject({ accounts: [KASPI], credited: 16_500_000, debited: 250_000 });
  });

  it("tells receipts from the bank's commission by whose account is ours", () => {
    expect(parsed.documents.map((d) => receiptStatus(d, ["KZ058562203130392523", KASPI]))).toEqual([
      { receipt: true },
      { receipt: true },
      { receipt: false, reason: "outgoing" },
    ]);
    expect(incomingPayments(parsed.documents, [KASPI]).map((d) => d.number)).toEqual(["731", "19"]);
    expect(incomingPayments(parsed.documents, ["KZ058562203130392523"])).toEqual([]);
  });

  it("reads the same from Windows-1251 bytes", () => {
    const russianOnly = crlf(fixture("kz-iik.txt")).replace(/[әғқңөұүһіӘҒҚҢӨҰҮҺІ]/g, "а");
    const again = parseStatement(decodeStatement(iconv.encode(russianOnly, "win1251")));
    expect(again.documents.map((d) => [d.amountTiyn, d.payerAccount, d.recipientAccount])).toEqual(
      parsed.documents.map((d) => [d.amountTiyn, d.payerAccount, d.recipientAccount]),
    );
  });
});

describe("every document of a file is accounted for", () => {
  it("a document whose amount or date can't be read is kept with its number and reason, between the readable ones", () => {
    const text = statement([
      ...doc("Сумма=100.00"),
      "СекцияДокумент=Платежное поручение",
      "Номер=77",
      "Дата=18.11.2026",
      "Сумма=сто тенге",
      'Плательщик=ТОО "Жол"',
      "НазначениеПлатежа=AM-2026-00001",
      "КонецДокумента",
      "СекцияДокумент=Платежное поручение",
      "Номер=78",
      "Дата=31.11.2026",
      "Сумма=5000",
      "КонецДокумента",
      ...doc("СуммаПриход=1,00", "СуммаРасход=2,00"),
      ...doc("Сумма=200.00"),
    ]);
    const { documents, unreadable } = parseStatement(text);
    expect(documents.map((d) => d.amountTiyn)).toEqual([10_000, 20_000]);
    expect(unreadable).toEqual([
      {
        kind: "Платежное поручение",
        number: "77",
        line: 8,
        reason: "badAmount",
        reasonLine: 11,
        date: "2026-11-18",
        amountTiyn: null,
        payerName: 'ТОО "Жол"',
        payerBin: null,
        purpose: "AM-2026-00001",
      },
      expect.objectContaining({ number: "78", reason: "badDate", reasonLine: 17, date: null, amountTiyn: 500_000 }),
      expect.objectContaining({ number: "1", reason: "badAmount", line: 20, amountTiyn: null }),
    ]);
    expect(documents.length + unreadable.length).toBe(5);
  });

  it("a total the bank wrote that isn't an amount is no total", () => {
    const { header } = parseStatement(
      statement(["СекцияРасчСчет", "ВсегоПоступило=много", "ВсегоСписано=0", "КонецРасчСчет", ...doc("Сумма=1")]),
    );
    expect(header).toMatchObject({ credited: null, debited: 0 });
  });

  it("a receipt that leaves out our account under СуммаПриход is one to the statement's account", () => {
    const [d] = parseClientBankExchange(statement(doc("СуммаПриход=10")));
    expect(receiptStatus(d!, [OPERATOR.iik], [OPERATOR.iik])).toEqual({ receipt: true });
    expect(receiptStatus(d!, [OPERATOR.iik], [])).toEqual({ receipt: false, reason: "otherAccount" });
    expect(
      receiptStatus({ ...d!, payerAccount: OPERATOR.iik, recipientAccount: OPERATOR.iik }, [OPERATOR.iik]),
    ).toEqual({ receipt: false, reason: "ownTransfer" });
  });
});
