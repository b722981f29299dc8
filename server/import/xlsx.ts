// The import template and its parser. The template has a header row in the user's language and one
// example row; the parser reads any file built on it by column position, checks the header in either
// language (extra spaces, case and a required-column star don't matter), and turns every cell into
// text the way a person meant it: IINs stored as numbers get their leading zeros back.
import ExcelJS from "exceljs";
import { translator, type Locale } from "../../app/i18n/index.ts";
import { AppError } from "../errors.ts";
import { makeIin } from "../kz/iin.ts";
import { COLUMNS, REQUIRED_COLUMNS, type Column } from "./reasons.ts";

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_ROWS = 20_000;

export type RawRow = { row: number; cells: Record<Column, string> };
export type ParsedFile = { rows: RawRow[]; exampleSkipped: boolean };

const WIDTHS: Record<Column, number> = {
  iin: 16, lastName: 18, firstName: 16, middleName: 18, latinName: 24, phone: 18, email: 24, address: 32,
  category: 12, gearbox: 16, contractNumber: 18, contractPrice: 18,
};

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
  const example = exampleRow(locale);
  ws.addRow({ ...example, contractPrice: Number(example.contractPrice) });
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF7" } };
  ws.getRow(2).font = { italic: true, color: { argb: "FF666666" } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const squash = (s: string) => s.replace(/\s+/g, " ").trim();
const headerKey = (s: string) => squash(s.replace(/\*/g, "")).toLowerCase();

/** A cell's value as the text a person sees. */
export function cellText(value: ExcelJS.CellValue, column?: Column): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (column === "iin" && Number.isInteger(value) && value >= 0) return String(value).padStart(12, "0");
    if (Number.isInteger(value)) return value.toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 0 });
    return String(value);
  }
  if (typeof value === "string") return squash(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value && Array.isArray(value.richText)) return squash(value.richText.map((p) => p.text).join(""));
    if ("formula" in value || "sharedFormula" in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null, column);
    if ("text" in value && typeof value.text === "string") return squash(value.text); // hyperlinks (e-mails)
    if ("text" in value && value.text && typeof value.text === "object") return cellText(value.text as ExcelJS.CellValue, column);
  }
  return "";
}

/** Reads a file built on the template. Refuses files that aren't .xlsx, have no sheet, or a foreign header. */
export async function parseWorkbook(bytes: Uint8Array): Promise<ParsedFile> {
  if (bytes.length > MAX_FILE_BYTES) throw new AppError("BAD_REQUEST", "traineeImport.tooBig", { mb: 10 }, "file");
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch {
    throw new AppError("BAD_REQUEST", "traineeImport.unreadable", {}, "file");
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new AppError("BAD_REQUEST", "traineeImport.unreadable", {}, "file");

  const header = ws.getRow(1);
  COLUMNS.forEach((c, i) => {
    const got = headerKey(cellText(header.getCell(i + 1).value));
    const accepted = (["kk", "ru"] as const).map((l) => headerKey(headerFor(l, c)));
    if (!accepted.includes(got)) {
      throw new AppError("BAD_REQUEST", "traineeImport.badHeader", { column: i + 1, expected: headerFor("ru", c).replace(" *", "") + " / " + headerFor("kk", c).replace(" *", "") }, "file");
    }
  });

  const examples = (["kk", "ru"] as const).map((l) => exampleRow(l));
  const rows: RawRow[] = [];
  let exampleSkipped = false;
  ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = Object.fromEntries(COLUMNS.map((c, i) => [c, cellText(r.getCell(i + 1).value, c)])) as Record<Column, string>;
    if (COLUMNS.every((c) => cells[c] === "")) return;
    if (examples.some((ex) => COLUMNS.every((c) => squash(ex[c]) === cells[c]))) {
      exampleSkipped = true;
      return;
    }
    rows.push({ row: rowNumber, cells });
  });
  if (rows.length > MAX_ROWS) throw new AppError("BAD_REQUEST", "traineeImport.tooManyRows", { max: MAX_ROWS }, "file");
  if (rows.length === 0) throw new AppError("BAD_REQUEST", "traineeImport.noRows", {}, "file");
  return { rows, exampleSkipped };
}
