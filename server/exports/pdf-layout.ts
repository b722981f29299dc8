// Small layout helpers over pdfkit for the school's documents: headings, label/value rows and
// simple tables that break onto a new page instead of running off the bottom.
import { PDF, pdfBuffer } from "../documents/pdf.ts";
import type { FileDownload } from "../../domain/files.ts";

type Doc = PDFKit.PDFDocument;
const LEFT = 50;
const WIDTH = 495; // A4 595pt minus 2 × 50pt margins

export function ensureRoom(doc: Doc, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
    doc.addPage();
    doc.y = doc.page.margins.top;
  }
}

export function heading(doc: Doc, text: string): void {
  ensureRoom(doc, 50);
  doc.moveDown(0.8);
  doc.font("bold").fontSize(12).fillColor("#1f3a5f").text(text, LEFT, doc.y, { width: WIDTH });
  const y = doc.y + 2;
  doc
    .moveTo(LEFT, y)
    .lineTo(LEFT + WIDTH, y)
    .lineWidth(0.5)
    .strokeColor("#9fb3c8")
    .stroke();
  doc.y = y + 6;
  doc.font("regular").fontSize(10).fillColor("black");
}

/** Label on the left, value on the right; long values wrap. */
export function facts(doc: Doc, rows: [string, string][]): void {
  const labelW = 180;
  for (const [label, value] of rows) {
    doc.font("regular").fontSize(10);
    const h = Math.max(
      doc.heightOfString(label, { width: labelW - 10 }),
      doc.heightOfString(value || "—", { width: WIDTH - labelW }),
    );
    ensureRoom(doc, h + 4);
    const y = doc.y;
    doc.fillColor("#555555").text(label, LEFT, y, { width: labelW - 10 });
    doc.fillColor("black").text(value || "—", LEFT + labelW, y, { width: WIDTH - labelW });
    doc.y = y + h + 4;
  }
}

/** A table with a bold header; widths are fractions of the page width. */
export function table(doc: Doc, headers: string[], widths: number[], rows: string[][]): void {
  const xs: number[] = [];
  for (let i = 0; i < widths.length; i++) xs.push(i === 0 ? LEFT : xs[i - 1]! + widths[i - 1]! * WIDTH);
  const line = (cells: string[], bold: boolean) => {
    doc.font(bold ? "bold" : "regular").fontSize(9);
    const h = Math.max(...cells.map((c, i) => doc.heightOfString(c || "—", { width: widths[i]! * WIDTH - 6 })));
    ensureRoom(doc, h + 6);
    const y = doc.y;
    if (bold)
      doc
        .rect(LEFT, y - 2, WIDTH, h + 5)
        .fill("#e8eef7")
        .fillColor("black");
    for (const [i, c] of cells.entries())
      doc.fillColor("black").text(c || "—", xs[i]!, y, { width: widths[i]! * WIDTH - 6 });
    doc.y = y + h + 5;
    if (!bold)
      doc
        .moveTo(LEFT, doc.y - 2)
        .lineTo(LEFT + WIDTH, doc.y - 2)
        .lineWidth(0.3)
        .strokeColor("#d5dde6")
        .stroke();
  };
  line(headers, true);
  for (const r of rows) line(r, false);
  doc.font("regular").fontSize(10);
}

export async function pdfDownload(doc: Doc, fileName: string): Promise<FileDownload> {
  const bytes = await pdfBuffer(doc);
  return { fileName, contentType: PDF, base64: bytes.toString("base64") };
}

export const PAGE = { LEFT, WIDTH };
