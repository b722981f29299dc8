// Shared pieces of the school's exports: the language a document is made in, how dates, names and
// money read in it, file names, and the workbook look (bold header row, frozen, sensible widths).
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { formatTiyn } from "../../domain/i18n/index.ts";
import { almatyDate, almatyTime, isoDay } from "../../domain/kz/time.ts";
import { formatKzPhone } from "../../domain/kz/phone.ts";
import { XLSX } from "../documents/pdf.ts";
import type { FileDownload } from "../../domain/files.ts";

/** A calendar date stored as a date (birth date, certificate validity) as `DD.MM.YYYY`. */
export function day(d: Date | string | null | undefined): string {
  if (!d) return "";
  const iso = typeof d === "string" ? d : isoDay(d);
  const [y, m, dd] = iso.split("-");
  return `${dd}.${m}.${y}`;
}

/** An instant as Almaty wall-clock `DD.MM.YYYY HH:MM`. */
export function dayTime(at: Date | null | undefined): string {
  return at ? `${day(almatyDate(at))} ${almatyTime(at)}` : "";
}

export const fullName = (p: { lastName: string; firstName: string; middleName?: string | null }) =>
  [p.lastName, p.firstName, p.middleName].filter(Boolean).join(" ");

/** Tenge with two decimals for a spreadsheet cell (a real number, formatted `# ##0.00`). */
export const tenge = (tiyn: bigint | number) => Number(tiyn) / 100;
/** `185 000,00 ₸` with non-breaking spaces, so a PDF line never splits an amount. */
export const money = (tiyn: bigint | number) => formatTiyn(Number(tiyn));
export const phone = (p: string | null | undefined) => (p ? formatKzPhone(p) : "");
/** A phone number that a PDF line never splits. */
export const nbPhone = (p: string | null | undefined) => phone(p).replace(/ /g, "\u00a0");

/** A file name safe on every OS, keeping Cyrillic and Kazakh letters: `Оқушылар_тізілімі_2026-11-25.xlsx`. */
export function fileName(parts: (string | null | undefined)[], ext: "xlsx" | "pdf"): string {
  const base = parts
    .filter((p): p is string => !!p)
    .join("_")
    .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "-")
    .replace(/\s+/g, "_")
    .slice(0, 150);
  return `${base}.${ext}`;
}

export const today = () => almatyDate(new Date());

export type Column = { header: string; width: number; money?: boolean; number?: string };

/** A sheet whose table header is at row `headerRow`; that row is bold, shaded and frozen. */
export function tableSheet(wb: ExcelJS.Workbook, name: string, columns: Column[], headerRow = 1): ExcelJS.Worksheet {
  // Excel refuses * ? : \ / [ ] in sheet names (a group number like "B-12/2026" has one).
  const safe =
    name
      .replace(/[*?:\\/[\]]/g, "-")
      .replace(/^'+|'+$/g, "")
      .slice(0, 31) || "1";
  const ws = wb.addWorksheet(safe, { views: [{ state: "frozen", ySplit: headerRow }] });
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.width;
  });
  const row = ws.getRow(headerRow);
  row.values = columns.map((c) => c.header);
  row.font = { bold: true };
  row.alignment = { vertical: "middle", wrapText: true };
  row.eachCell((cell) => {
    cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8EEF7" } };
    cell.border = { bottom: { style: "thin", color: { argb: "FF8899AA" } } };
  });
  return ws;
}

/** Adds data rows under the header, applying money and number formats per column. */
export function addRows(ws: ExcelJS.Worksheet, columns: Column[], rows: (string | number | null)[][]): void {
  for (const values of rows) {
    const row = ws.addRow(values.map((v) => (v === null ? "" : v)));
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      if (c.money && typeof cell.value === "number") cell.numFmt = "#,##0.00";
      else if (c.number && typeof cell.value === "number") cell.numFmt = c.number;
      else if (typeof cell.value === "string") cell.numFmt = "@";
    });
    // A streamed sheet (streamedWorkbook) writes the row out and forgets it; in a workbook held in memory this does nothing.
    row.commit();
  }
}

/**
 * A workbook written out row by row as it is filled (ExcelJS's streaming writer), for the big registers:
 * 10,000 trainees held as a workbook in memory grew the process by ~600 MB for a 0.75 MB file
 * (tests/bench/exports.ts). Rows can't be changed once added; `download` finishes the file.
 */
export function streamedWorkbook(): {
  wb: ExcelJS.stream.xlsx.WorkbookWriter;
  download: (name: string) => Promise<FileDownload>;
} {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  wb.creator = "Avtomektep";
  wb.created = new Date();
  return {
    wb,
    download: async (name) => {
      await wb.commit();
      return { fileName: name, contentType: XLSX, base64: Buffer.concat(chunks).toString("base64") };
    },
  };
}

export async function xlsxDownload(wb: ExcelJS.Workbook, name: string): Promise<FileDownload> {
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  return { fileName: name, contentType: XLSX, base64: bytes.toString("base64") };
}

export function workbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = "Avtomektep";
  wb.created = new Date();
  return wb;
}
