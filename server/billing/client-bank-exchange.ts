// Bank statements in the 1C "1CClientBankExchange" text format, as Kazakhstan bank clients export them:
// bytes → text, text → header + payment documents, and the invoice numbers payers write in a purpose.
// Pure functions: no database, no clock. Both dialects (classic 1C and the Kazakhstan variants) are accepted,
// and a document that can't be read is returned as such (with its number and the reason), never dropped.
import { parseTenge } from "../../domain/kz/money.ts";
import { isoDay } from "../../domain/kz/time.ts";

export type PaymentDocument = {
  /** the value after СекцияДокумент= (e.g. "Платежное поручение") */
  kind: string;
  number: string;
  /** YYYY-MM-DD */
  date: string;
  amountTiyn: number;
  /** СуммаПриход → "in", СуммаРасход → "out", plain Сумма → null (the accounts decide) */
  direction: "in" | "out" | null;
  payerAccount: string | null;
  payerBin: string | null;
  payerName: string | null;
  payerKbe: string | null;
  recipientAccount: string | null;
  recipientBin: string | null;
  recipientName: string | null;
  recipientKbe: string | null;
  /** КодНазначенияПлатежа */
  knp: string | null;
  /** НазначениеПлатежа, "" when absent */
  purpose: string;
  /** 1-based line of the СекцияДокумент line */
  line: number;
};

export type StatementHeader = {
  formatVersion: string | null;
  encoding: string | null;
  dateFrom: string | null;
  dateTo: string | null;
  /** РасчСчет values (header and account sections), normalised like document accounts, no duplicates */
  accounts: string[];
  /**
   * The bank's own totals: ВсегоПоступило / ВсегоСписано summed over the account sections (or the header),
   * in tiyn; null when the file doesn't give them or gives something that isn't an amount.
   */
  credited: number | null;
  debited: number | null;
};

export type StatementErrorReason = "notStatement" | "unterminated" | "badAmount" | "badDate";

/** A СекцияДокумент whose date or amount can't be read: kept, with what could be read, for the operator. */
export type UnreadableDocument = {
  kind: string;
  number: string;
  /** 1-based line of the СекцияДокумент line */
  line: number;
  reason: "badAmount" | "badDate";
  /** the line of the offending key (the section's line when the key is missing) */
  reasonLine: number;
  date: string | null;
  amountTiyn: number | null;
  payerName: string | null;
  payerBin: string | null;
  purpose: string;
};

export class StatementError extends Error {
  constructor(
    public readonly reason: StatementErrorReason,
    public readonly line: number,
  ) {
    super(`1CClientBankExchange: ${reason} at line ${line}`);
    this.name = "StatementError";
  }
}

/**
 * Bytes from an upload → text. A UTF-8 BOM means UTF-8. Otherwise the bytes decide between UTF-8 and the
 * single-byte code pages, and `Кодировка=` picks the code page: `DOS` → CP866, anything else (`Windows`, none,
 * unknown) → Windows-1251. Cyrillic written in 1251/866 is never valid UTF-8 in practice, so bytes that are
 * valid multi-byte UTF-8 are UTF-8 even under a `Кодировка=Windows` label (exports with Kazakh letters are
 * often mislabelled so), and bytes that aren't valid UTF-8 are never decoded as UTF-8.
 */
export function decodeStatement(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder("utf-8").decode(bytes.subarray(3));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const dos = new TextDecoder("ibm866").decode(bytes);
    if (/^\s*Кодировка\s*=\s*DOS\s*$/im.test(dos)) return dos;
    return new TextDecoder("windows-1251").decode(bytes);
  }
}

/** The readable payment documents of a statement, in file order. Throws StatementError on malformed input. */
export function parseClientBankExchange(text: string): PaymentDocument[] {
  return parseStatement(text).documents;
}

type Field = { value: string; line: number };
type Section = { kind: string; line: number; fields: Map<string, Field> };

/**
 * Header and documents of a statement: `documents` the readable ones, `unreadable` those with a date or amount
 * that can't be read. Throws StatementError only when the file itself is broken (not a statement, a section
 * left open, a header date that doesn't exist) — then nothing of it can be trusted.
 */
export function parseStatement(text: string): {
  header: StatementHeader;
  documents: PaymentDocument[];
  unreadable: UnreadableDocument[];
} {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const first = lines.findIndex((l) => l.trim() !== "");
  if (first < 0 || lines[first]!.trim() !== "1CClientBankExchange") throw new StatementError("notStatement", 1);

  const header: StatementHeader = {
    formatVersion: null,
    encoding: null,
    dateFrom: null,
    dateTo: null,
    accounts: [],
    credited: null,
    debited: null,
  };
  const addAccount = (value: string) => {
    const account = normaliseAccount(value);
    if (account && !header.accounts.includes(account)) header.accounts.push(account);
  };
  // ВсегоПоступило / ВсегоСписано: summed over account sections; one unreadable value spoils the total
  const totals = { credited: [] as (number | null)[], debited: [] as (number | null)[] };
  const addTotal = (side: "credited" | "debited", value: string) =>
    totals[side].push(/^\d[\d\s]*([.,]\d+)?$/.test(value) ? parseTenge(value) : null);
  const documents: PaymentDocument[] = [];
  const unreadable: UnreadableDocument[] = [];
  let open: { section: Section; end: string } | null = null; // the document or account section being read

  for (let i = first + 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.trim() === "") continue;
    const at = raw.indexOf("=");
    const key = (at < 0 ? raw : raw.slice(0, at)).trim();
    const value = at < 0 ? "" : raw.slice(at + 1).trim();
    const line = i + 1;

    if (open) {
      if (key === open.end) {
        if (open.end === "КонецДокумента") {
          const entry = toDocument(open.section);
          if ("reason" in entry) unreadable.push(entry);
          else documents.push(entry);
        }
        open = null;
        continue;
      }
      // a new section or the end of the file before this one was closed
      if (key.startsWith("Секция") || key === "КонецФайла") throw new StatementError("unterminated", open.section.line);
      if (open.end === "КонецРасчСчет") {
        if (key === "РасчСчет") addAccount(value);
        else if (key === "ВсегоПоступило") addTotal("credited", value);
        else if (key === "ВсегоСписано") addTotal("debited", value);
      } else open.section.fields.set(fieldKey(key), { value, line });
      continue;
    }

    if (key === "КонецФайла") break;
    if (key === "СекцияДокумент") open = { section: { kind: value, line, fields: new Map() }, end: "КонецДокумента" };
    else if (key === "СекцияРасчСчет") open = { section: { kind: "", line, fields: new Map() }, end: "КонецРасчСчет" };
    else if (key === "ВерсияФормата") header.formatVersion = value || null;
    else if (key === "Кодировка") header.encoding = value || null;
    else if (key === "ДатаНачала") header.dateFrom = value ? parseDate(value, line) : null;
    else if (key === "ДатаКонца") header.dateTo = value ? parseDate(value, line) : null;
    else if (key === "РасчСчет") addAccount(value);
    else if (key === "ВсегоПоступило") addTotal("credited", value);
    else if (key === "ВсегоСписано") addTotal("debited", value);
  }
  if (open) throw new StatementError("unterminated", open.section.line);
  for (const side of ["credited", "debited"] as const) {
    const values = totals[side];
    header[side] =
      values.length === 0 || values.includes(null) ? null : values.reduce<number>((a, b) => a + (b ?? 0), 0);
  }
  return { header, documents, unreadable };
}

/** Document keys compare without case and spaces: `ПлательщикБин`, `Плательщик ИИК` read as written in 1C. */
const fieldKey = (key: string) => key.toLowerCase().replace(/[\s\u00a0]/g, "");

/**
 * Section fields → a document, or an unreadable one when its date or amount can't be read. Keys were
 * lower-cased without spaces, so `ПлательщикБин` reads like `ПлательщикБИН`.
 */
function toDocument({ kind, line, fields }: Section): PaymentDocument | UnreadableDocument {
  const field = (...keys: string[]): Field | undefined => {
    for (const k of keys) {
      const f = fields.get(fieldKey(k));
      if (f && f.value !== "") return f;
    }
    return undefined;
  };
  const text = (...keys: string[]) => field(...keys)?.value ?? null;
  // Russian 1C names the account …Счет, Kazakh banks …ИИК; …РасчСчет is the settlement account some write instead
  const party = (p: "Плательщик" | "Получатель") => ({
    account: normaliseAccount(text(`${p}Счет`, `${p}ИИК`, `${p}РасчСчет`) ?? "") || null,
    bin: text(`${p}БИН`, `${p}ИИН`, `${p}БИН_ИИН`, `${p}ИНН`),
    name: text(`${p}Наименование`, p, `${p}1`),
    kbe: text(`${p}Кбе`),
  });
  const payer = party("Плательщик");
  const recipient = party("Получатель");
  // Classic 1C may split a long purpose over НазначениеПлатежа1…6 instead of one line.
  const purpose =
    text("НазначениеПлатежа") ??
    [1, 2, 3, 4, 5, 6]
      .map((n) => text(`НазначениеПлатежа${n}`))
      .filter((s) => s !== null)
      .join(" ");
  const number = text("Номер") ?? "";

  // A missing (or empty) date or amount is reported at its key's line when the key is there, else the section's.
  // The first problem in file order is the one reported; whatever else could be read is kept.
  const problems: { reason: "badDate" | "badAmount"; line: number }[] = [];
  let date: string | null = null;
  const dateField = field("Дата", "ДатаДокумента");
  if (!dateField)
    problems.push({ reason: "badDate", line: (fields.get("дата") ?? fields.get("датадокумента"))?.line ?? line });
  else
    try {
      date = parseDate(dateField.value, dateField.line);
    } catch (e) {
      if (!(e instanceof StatementError)) throw e;
      problems.push({ reason: "badDate", line: e.line });
    }
  let amount: { amountTiyn: number; direction: "in" | "out" | null } | null = null;
  try {
    amount = amountOf(field("СуммаПриход"), field("СуммаРасход"), field("Сумма"), fields.get("сумма")?.line ?? line);
  } catch (e) {
    if (!(e instanceof StatementError)) throw e;
    problems.push({ reason: "badAmount", line: e.line });
  }

  const problem = problems.sort((a, b) => a.line - b.line)[0];
  if (problem || date === null || amount === null)
    return {
      kind,
      number,
      line,
      reason: problem?.reason ?? "badDate",
      reasonLine: problem?.line ?? line,
      date,
      amountTiyn: amount?.amountTiyn ?? null,
      payerName: payer.name,
      payerBin: payer.bin,
      purpose,
    };
  return {
    kind,
    number,
    date,
    amountTiyn: amount.amountTiyn,
    direction: amount.direction,
    payerAccount: payer.account,
    payerBin: payer.bin,
    payerName: payer.name,
    payerKbe: payer.kbe,
    recipientAccount: recipient.account,
    recipientBin: recipient.bin,
    recipientName: recipient.name,
    recipientKbe: recipient.kbe,
    knp: text("КодНазначенияПлатежа"),
    purpose,
    line,
  };
}

/** СуммаПриход / СуммаРасход give the direction; some banks write both with a zero on the unused side. */
function amountOf(income: Field | undefined, expense: Field | undefined, plain: Field | undefined, line: number) {
  const sides = (
    [
      ["in", income],
      ["out", expense],
    ] as const
  )
    .filter((s): s is readonly ["in" | "out", Field] => s[1] !== undefined)
    .map(([direction, f]) => ({ direction, amountTiyn: parseAmount(f) }));
  const nonZero = sides.filter((s) => s.amountTiyn > 0);
  if (nonZero.length > 1) throw new StatementError("badAmount", expense!.line); // both sides: which one is it?
  if (nonZero[0]) return nonZero[0];
  if (plain) return { direction: null, amountTiyn: parseAmount(plain) };
  if (sides[0]) return sides.length === 1 ? sides[0] : { direction: null, amountTiyn: 0 };
  throw new StatementError("badAmount", line);
}

/** "120000.50", "120000,50", "1 000 000,00" (spaces or nbsp between thousands) → tiyn, in integers only. */
function parseAmount({ value, line }: Field): number {
  const tiyn = /^\d[\d\s]*([.,]\d+)?$/.test(value) ? parseTenge(value) : null;
  if (tiyn === null) throw new StatementError("badAmount", line);
  return tiyn;
}

/** DD.MM.YYYY (or YYYY-MM-DD) → YYYY-MM-DD, refusing dates the calendar doesn't have. */
function parseDate(value: string, line: number): string {
  const dmy = value.match(/^(\d{1,2})\.(\d{1,2})\.(\d{4})$/);
  const ymd = value.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  const [y, mo, d] = dmy ? [dmy[3], dmy[2], dmy[1]] : ymd ? [ymd[1], ymd[2], ymd[3]] : [];
  if (y && mo && d) {
    const iso = `${y}-${mo.padStart(2, "0")}-${d.padStart(2, "0")}`;
    const parsed = new Date(`${iso}T00:00:00Z`);
    if (!Number.isNaN(parsed.getTime()) && isoDay(parsed) === iso) return iso;
  }
  throw new StatementError("badDate", line);
}

/** IIKs are compared as banks mean them: "kz05 8562 …" is KZ058562…. */
function normaliseAccount(value: string): string {
  return value.replace(/[\s\u00a0]/g, "").toUpperCase();
}

export type ReceiptStatus = { receipt: true } | { receipt: false; reason: "outgoing" | "ownTransfer" | "otherAccount" };

/**
 * Whether a document is a payment INTO one of `accounts` (the operator's IIKs). The direction is the bank's
 * (СуммаПриход / СуммаРасход) when it gives one; with a plain Сумма it follows from whose account is ours.
 * `statementAccounts` (the file's РасчСчет) stand in for a missing recipient of an incoming document: a bank
 * writing СуммаПриход sometimes leaves out its own client's account.
 */
export function receiptStatus(d: PaymentDocument, accounts: string[], statementAccounts: string[] = []): ReceiptStatus {
  const own = new Set(accounts.map(normaliseAccount));
  const recipient =
    d.recipientAccount ?? (d.direction === "in" && statementAccounts.length === 1 ? statementAccounts[0]! : null);
  const fromOurs = d.payerAccount !== null && own.has(d.payerAccount);
  const toOurs = recipient !== null && own.has(normaliseAccount(recipient));
  if (fromOurs && toOurs) return { receipt: false, reason: "ownTransfer" };
  if (d.direction === "out" || fromOurs) return { receipt: false, reason: "outgoing" };
  if (!toOurs) return { receipt: false, reason: "otherAccount" };
  return { receipt: true };
}

/** Payments INTO one of `accounts` (the operator's IIKs), in file order (see receiptStatus). */
export function incomingPayments(docs: PaymentDocument[], accounts: string[]): PaymentDocument[] {
  return docs.filter((d) => receiptStatus(d, accounts).receipt);
}

// "AM" in Latin or Cyrillic letters (payers type either), then the year and the number, with any of
// space, hyphen, dashes, minus, underscore, slash or dot between them (or nothing), not inside a longer word/number.
const SEP = "[\\s\\u00a0\\-\\u2010-\\u2015\\u2212_/.]{0,3}";
const INVOICE = new RegExp(`(?<![\\p{L}\\p{N}])[AaАа][MmМм]${SEP}(20\\d\\d)${SEP}0*(\\d{1,7})(?!\\d)`, "gu");

/** Invoice numbers written in a payment purpose, as "AM-YYYY-NNNNN", unique, in order of appearance. */
export function invoiceNumbersIn(purpose: string): string[] {
  const found = new Set<string>();
  for (const m of purpose.matchAll(INVOICE)) found.add(`AM-${m[1]}-${m[2]!.padStart(5, "0")}`);
  return [...found];
}
