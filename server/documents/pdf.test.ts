import PDFDocument from "pdfkit";
import { createPdf, pdfBuffer } from "./pdf.ts";
import { pdfText } from "../../tests/documents.ts";

/** How many characters pdfkit measures while `fn` lays text out: the work a long word costs. */
async function measured(fn: () => Promise<unknown> | unknown): Promise<number> {
  const spy = vi.spyOn(PDFDocument.prototype, "widthOfString");
  try {
    await fn();
    return spy.mock.calls.reduce((sum, [s]) => sum + String(s).length, 0);
  } finally {
    spy.mockRestore();
  }
}

describe("every PDF lays out text with work in proportion to its length", () => {
  // pdfkit wraps a word wider than the line a line at a time, measuring the whole rest of the word for each:
  // a 15,000-letter word cost ~1.6 million measured characters and 18 s, and held the download (and the
  // transaction). Broken into pieces it costs a few times its length.
  const word = "Ә".repeat(15_000);

  it("a 15,000-letter word in doc.text", async () => {
    const doc = createPdf({ title: "t" });
    expect(await measured(() => doc.text(word, 50, 50, { width: 495, align: "justify" }))).toBeLessThan(
      10 * word.length,
    );
    const text = (await pdfText(await pdfBuffer(doc))).replace(/[\s\u200b]/g, "");
    expect(text).toBe(word); // all of it is on the pages, nothing lost or added
  });

  it("a 15,000-letter word measured for a table cell or a label/value row (heightOfString)", async () => {
    const doc = createPdf({ title: "t" });
    expect(await measured(() => doc.heightOfString(word, { width: 300 }))).toBeLessThan(10 * word.length);
  });

  it("ordinary text reads as before: words, spaces and Kazakh letters untouched", async () => {
    const doc = createPdf({ title: "t" });
    doc
      .fontSize(9)
      .text("Оқушы Әбенова Айгерім, ЖСН 040314300123, e-mail aigerim.abenova@example.kz", 50, 50, { width: 495 });
    expect(await pdfText(await pdfBuffer(doc))).toContain(
      "Оқушы Әбенова Айгерім, ЖСН 040314300123, e-mail aigerim.abenova@example.kz",
    );
  });
});
