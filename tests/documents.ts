// Opening generated documents in tests: PDF text through poppler's pdftotext, XLSX through exceljs.
import { execFileSync } from "node:child_process";
import ExcelJS from "exceljs";

/** The text of a PDF, page breaks as form feeds (needs poppler-utils: .ci/run installs it). */
export function pdfText(pdf: Buffer): string {
  return execFileSync("pdftotext", ["-layout", "-enc", "UTF-8", "-", "-"], { input: pdf }).toString("utf8");
}

/** Every sheet's rows as arrays of cell texts. */
export async function xlsxRows(xlsx: Buffer): Promise<Record<string, string[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx as unknown as ArrayBuffer);
  const out: Record<string, string[][]> = {};
  wb.eachSheet((ws) => {
    const rows: string[][] = [];
    ws.eachRow({ includeEmpty: false }, (row) => {
      const values = (row.values as unknown[]).slice(1);
      rows.push(values.map((v) => (v === null || v === undefined ? "" : typeof v === "object" && v && "text" in v ? String((v as { text: unknown }).text) : String(v))));
    });
    out[ws.name] = rows;
  });
  return out;
}
