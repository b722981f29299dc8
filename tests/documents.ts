// Opening generated documents in tests: PDF text through PDF.js (Mozilla's reader, pure JavaScript: nothing to
// install on the machine), XLSX through exceljs.
import ExcelJS from "exceljs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextItem } from "pdfjs-dist/types/src/display/api.js";

/**
 * The text of a PDF as a reader sees the page: lines from top to bottom, words left to right on each line
 * (cells of a table row side by side), words of one line joined by a space where the page leaves a gap;
 * pages separated by form feeds, as `pdftotext -layout` does.
 */
export async function pdfText(pdf: Buffer): Promise<string> {
  const doc = await getDocument({
    data: new Uint8Array(pdf),
    useSystemFonts: false,
    isEvalSupported: false,
    verbosity: 0,
  }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const items = (await page.getTextContent()).items.filter((i): i is TextItem => "str" in i && i.str.length > 0);
      type Line = { y: number; size: number; words: { x: number; end: number; str: string }[] };
      const lines: Line[] = [];
      for (const item of items) {
        const [, , , , x, y] = item.transform as number[];
        const size = Math.max(1, Math.abs(item.height || (item.transform[3] as number)));
        let line = lines.find((l) => Math.abs(l.y - y!) < Math.min(l.size, size) * 0.5);
        if (!line) lines.push((line = { y: y!, size, words: [] }));
        line.words.push({ x: x!, end: x! + item.width, str: item.str });
      }
      lines.sort((a, b) => b.y - a.y);
      pages.push(
        lines
          .map((l) => {
            const words = l.words.sort((a, b) => a.x - b.x);
            let out = "";
            let end = -Infinity;
            for (const w of words) {
              out +=
                out && w.x - end > l.size * 0.15 && !out.endsWith(" ") && !w.str.startsWith(" ") ? ` ${w.str}` : w.str;
              end = Math.max(end, w.end);
            }
            return out.trimEnd();
          })
          .join("\n"),
      );
      page.cleanup();
    }
    return pages.join("\n\f");
  } finally {
    await doc.destroy();
  }
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
      rows.push(
        values.map((v) =>
          v === null || v === undefined
            ? ""
            : typeof v === "object" && v && "text" in v
              ? String((v as { text: unknown }).text)
              : String(v),
        ),
      );
    });
    out[ws.name] = rows;
  });
  return out;
}
