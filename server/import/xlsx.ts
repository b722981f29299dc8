// The import template and its parser. The template has a header row in the user's language and one
// example row; the parser reads any file built on it by column position, checks the header in either
// language (extra spaces, case and a required-column star don't matter), and turns every cell into
// text the way a person meant it: IINs stored as numbers get their leading zeros back. ExcelJS writes
// the template; reading goes through the bounded streaming reader (sheet.ts).
import ExcelJS from "exceljs";
import { translator, type Locale } from "../../domain/i18n/index.ts";
import { AppError } from "../errors.ts";
import type { FileDownload } from "../../domain/files.ts";
import { makeIin } from "../../domain/kz/iin.ts";
import { ADOPTION_COLUMNS, COLUMNS, REQUIRED_COLUMNS, type Column } from "../../domain/import-reasons.ts";
import { readFirstSheet, SheetRefused, type SheetLimits, type SheetValue } from "./sheet.ts";

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Rows with data in one file: a big school's year of trainees; more is split into several files. */
export const MAX_ROWS = 5_000;
/**
 * What reading one file may cost. The template's 5,000 rows take ~2.5 MB of sheet XML and ~0.7 MB of
 * shared strings; the bounds leave room for verbose writers and notes in extra columns, and stop a
 * zip bomb (364 MB of XML in 219 KB) after at most 16 MB of inflating.
 */
export const SHEET_LIMITS: SheetLimits = {
  zip: { maxEntries: 1_000, maxEntryBytes: 16 * 1024 * 1024, maxTotalBytes: 40 * 1024 * 1024 },
  maxCells: 250_000,
  maxCellChars: 1_000,
};

export type RawRow = { row: number; cells: Record<Column, string> };
export type ParsedFile = { rows: RawRow[]; exampleSkipped: boolean };

const WIDTHS: Record<Column, number> = {
  iin: 16,
  lastName: 18,
  firstName: 16,
  middleName: 18,
  latinName: 24,
  phone: 18,
  email: 24,
  address: 32,
  category: 12,
  gearbox: 16,
  contractNumber: 18,
  contractPrice: 18,
  trainingStartedOn: 20,
  theoryHoursDone: 16,
  drivingHoursDone: 16,
  theoryExamPassedOn: 22,
  practicalExamPassedOn: 22,
};

const isAdoption = (c: Column) => (ADOPTION_COLUMNS as readonly Column[]).includes(c);
/** The columns every file has; the example row is recognised by these. */
const BASE_COLUMNS = COLUMNS.filter((c) => !isAdoption(c));

/** The example row of the template, per language (the parser skips it if it was left in). */
export function exampleRow(locale: Locale): Record<Column, string> {
  const t = translator(locale);
  return {
    iin: makeIin("2004-03-14", "male", 1234),
    lastName: t("traineeImport:example.lastName"),
    firstName: t("traineeImport:example.firstName"),
    middleName: t("traineeImport:example.middleName"),
    latinName: "SAPAROV YERLAN",
    phone: "+7 701 123 45 67",
    email: "erlan.saparov@example.kz",
    address: t("traineeImport:example.address"),
    category: "B",
    gearbox: t("traineeImport:example.gearbox"),
    contractNumber: "D-2026-001",
    contractPrice: "180000",
    trainingStartedOn: "02.03.2026",
    theoryHoursDone: "130",
    drivingHoursDone: "24,5",
    theoryExamPassedOn: "15.06.2026",
    practicalExamPassedOn: "",
  };
}

export function headerFor(locale: Locale, column: Column): string {
  const name = translator(locale)(`traineeImport:columns.${column}`);
  return REQUIRED_COLUMNS.includes(column) ? `${name} *` : name;
}

/** The template in the user's language, as .xlsx bytes. */
export async function buildTemplate(locale: Locale): Promise<Buffer> {
  const t = translator(locale);
  const wb = new ExcelJS.Workbook();
  wb.creator = "Avtomektep";
  const ws = wb.addWorksheet(t("traineeImport:template.sheet"), { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = COLUMNS.map((c) => ({ header: headerFor(locale, c), key: c, width: WIDTHS[c] }));
  // IINs, phones and contract numbers are text: Excel must not drop leading zeros or write 7.01E+09.
  for (const c of ["iin", "phone", "contractNumber"] as const) ws.getColumn(c).numFmt = "@";
  // Dates typed as 14.03.2026 stay text; a date cell (a serial number) is read too (prior-rules.ts).
  for (const c of ["trainingStartedOn", "theoryExamPassedOn", "practicalExamPassedOn"] as const)
    ws.getColumn(c).numFmt = "@";
  const example = exampleRow(locale);
  ws.addRow({ ...example, contractPrice: Number(example.contractPrice) });
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF7" } };
  ws.getRow(2).font = { italic: true, color: { argb: "FF666666" } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The template as the file the user downloads, named in their language. */
export async function templateFile(locale: Locale): Promise<FileDownload> {
  return {
    fileName: `${translator(locale)("traineeImport:template.sheet")}.xlsx`,
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    base64: (await buildTemplate(locale)).toString("base64"),
  };
}

const squash = (s: string) => s.replace(/\s+/g, " ").trim();
const headerKey = (s: string) => squash(s.replace(/\*/g, "")).toLowerCase();

/** A cell's value as the text a person sees. */
export function cellText(value: SheetValue, column?: Column): string {
  if (value === null) return "";
  if (typeof value === "number") {
    if (column === "iin" && Number.isInteger(value) && value >= 0) return String(value).padStart(12, "0");
    // all the digits, never 7.01e+21 (and not toLocaleString: Intl per cell cost seconds on a big file)
    if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
    return String(value);
  }
  if (typeof value === "boolean") return value ? "1" : "0";
  // (PostgreSQL refuses NUL in text; no field wants control characters)
  return squash(value.replace(/\u0000/g, ""));
}

const formatCount = (n: number) => n.toLocaleString("ru-RU");

/** Turns a refusal of the reader into the user's message, naming the limits. */
function refusal(e: unknown): unknown {
  if (!(e instanceof SheetRefused)) return e;
  if (e.reason === "tooLarge")
    return new AppError(
      "BAD_REQUEST",
      "traineeImport.tooLarge",
      { mb: SHEET_LIMITS.zip.maxEntryBytes / 1024 / 1024, rows: formatCount(MAX_ROWS) },
      "file",
    );
  if (e.reason === "tooManyCells")
    return new AppError(
      "BAD_REQUEST",
      "traineeImport.tooManyCells",
      { max: formatCount(SHEET_LIMITS.maxCells), rows: formatCount(MAX_ROWS) },
      "file",
    );
  return new AppError("BAD_REQUEST", "traineeImport.unreadable", {}, "file");
}

/**
 * Reads a file built on the template, streaming its first sheet: the header first (a foreign file stops
 * there), then at most MAX_ROWS rows with data — one more and reading stops with the limit in the message.
 * Refuses files that aren't .xlsx, have no sheet, a foreign header, or more than the reader's limits.
 */
export async function parseWorkbook(bytes: Uint8Array): Promise<ParsedFile> {
  if (bytes.length > MAX_FILE_BYTES) throw new AppError("BAD_REQUEST", "traineeImport.tooBig", { mb: 10 }, "file");
  const examples = (["kk", "ru"] as const).map((l) => exampleRow(l));
  const accepted = COLUMNS.map((c) => (["kk", "ru"] as const).map((l) => headerKey(headerFor(l, c))));
  // A column of training before adoption may be missing altogether (the older template): then it reads as empty.
  const present = new Set<Column>(BASE_COLUMNS);
  const checkHeader = (values: SheetValue[]) =>
    COLUMNS.forEach((c, i) => {
      const header = headerKey(cellText(values[i] ?? null));
      if (isAdoption(c) && header === "") return;
      if (isAdoption(c)) present.add(c);
      if (!accepted[i]!.includes(header)) {
        throw new AppError(
          "BAD_REQUEST",
          "traineeImport.badHeader",
          {
            column: i + 1,
            expected: `${headerFor("ru", c).replace(" *", "")} / ${headerFor("kk", c).replace(" *", "")}`,
          },
          "file",
        );
      }
    });
  const rows: RawRow[] = [];
  let exampleSkipped = false;
  let headerSeen = false;
  try {
    await readFirstSheet(bytes, COLUMNS.length, SHEET_LIMITS, (rowNumber, values) => {
      if (!headerSeen) {
        headerSeen = true;
        // The header is row 1; a sheet whose first filled row is further down has none.
        checkHeader(rowNumber === 1 ? values : []);
        if (rowNumber === 1) return;
      }
      const cells = Object.fromEntries(
        COLUMNS.map((c, i) => [c, present.has(c) ? cellText(values[i] ?? null, c) : ""]),
      ) as Record<Column, string>;
      if (COLUMNS.every((c) => cells[c] === "")) return;
      if (examples.some((ex) => BASE_COLUMNS.every((c) => squash(ex[c]) === cells[c]))) {
        exampleSkipped = true;
        return;
      }
      if (rows.length === MAX_ROWS)
        throw new AppError("BAD_REQUEST", "traineeImport.tooManyRows", { max: formatCount(MAX_ROWS) }, "file");
      rows.push({ row: rowNumber, cells });
    });
  } catch (e) {
    throw refusal(e);
  }
  if (!headerSeen) checkHeader([]);
  if (rows.length === 0) throw new AppError("BAD_REQUEST", "traineeImport.noRows", {}, "file");
  return { rows, exampleSkipped };
}
