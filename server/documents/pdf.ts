// PDF documents (trainee card, contract, certificate, later invoices and acts): pdfkit with an
// embedded DejaVu font, because the built-in PDF fonts have no Kazakh (ә ғ қ ң ө ұ ү һ і) glyphs.
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";

const require = createRequire(import.meta.url);
export const FONTS = {
  regular: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
  bold: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
};

/**
 * An A4 document with the fonts registered as "regular" and "bold", regular selected. Every string it lays
 * out or measures for wrapping (text, heightOfString) gets break points in over-long words first
 * (breakLongWords), so no document — contract, card, certificate, invoice, act, claim — can be held up by
 * one: a contract template with a 15,000-letter word used to take 18 s per download.
 */
export function createPdf(info: { title: string; author?: string }): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: "A4",
    margin: 50,
    info: { Title: info.title, Author: info.author ?? "Avtomektep" },
  });
  doc.registerFont("regular", FONTS.regular);
  doc.registerFont("bold", FONTS.bold);
  doc.font("regular");
  type Laid = (this: PDFKit.PDFDocument, text: unknown, ...rest: unknown[]) => unknown;
  const wrapping = doc as unknown as Record<"text" | "heightOfString", Laid>;
  for (const method of ["text", "heightOfString"] as const) {
    const original = wrapping[method];
    wrapping[method] = function (this: PDFKit.PDFDocument, text: unknown, ...rest: unknown[]) {
      return original.call(this, typeof text === "string" ? breakLongWords(text) : text, ...rest);
    };
  }
  return doc;
}

/**
 * Text a person typed, made safe to lay out: pdfkit wraps a word longer than the line letter by letter,
 * which is quadratic (a 20,000-letter "word" took 13 s of CPU). A zero-width space every 40 letters of
 * such a word gives it break points without changing what the reader sees.
 */
export function breakLongWords(text: string, every = 40): string {
  return text.replace(new RegExp(`[^\\s\u200b]{${every}}(?=[^\\s\u200b])`, "gu"), "$&\u200b");
}

/** Ends the document and collects its bytes. */
export function pdfBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}

export const PDF = "application/pdf";
export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
