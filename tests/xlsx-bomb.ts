// Hostile spreadsheets for the upload tests, built for real with archiver: a well-formed .xlsx (what Excel
// writes, minimally) whose one sheet holds the template's header and `rows` identical data rows. Rows
// that repeat deflate ~200:1, so 300,000 of them make a zip bomb: a small upload, a huge sheet.
import { PassThrough, Readable } from "node:stream";
import { ZipArchive } from "archiver";
import { headerFor } from "../server/import/xlsx.ts";
import { COLUMNS } from "../domain/import-reasons.ts";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${esc(text)}</t></is></c>`;
const col = (i: number) => String.fromCharCode(65 + i);

/** Zips named entries (text, or a stream of text) at zlib's usual level; the archive's bytes. */
export async function zipOf(entries: Record<string, string | Iterable<string>>): Promise<Buffer> {
  const zip = new ZipArchive({ zlib: { level: 6 } });
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve, reject) => {
    out.on("end", resolve);
    zip.on("error", reject);
  });
  zip.pipe(out);
  for (const [name, content] of Object.entries(entries))
    zip.append(typeof content === "string" ? content : Readable.from(content), { name });
  await zip.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** The parts of a minimal workbook around a sheet. */
function workbookParts(sheet: string | Iterable<string>): Record<string, string | Iterable<string>> {
  const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  return {
    "[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    "_rels/.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${rel}"><sheets><sheet name="Курсанты" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    "xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    "xl/worksheets/sheet1.xml": sheet,
  };
}

/** A workbook whose sheet XML is given as is (header and rows are the caller's). */
export function xlsxWithSheetXml(sheetData: string): Promise<Buffer> {
  return zipOf(
    workbookParts(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetData}</sheetData></worksheet>`,
    ),
  );
}

/** The template's header row (Russian) as sheet XML. */
export const headerRowXml = () =>
  `<row r="1">${COLUMNS.map((c, i) => inline(`${col(i)}1`, headerFor("ru", c))).join("")}</row>`;

/**
 * The attack from the report: the template's header and then `rows` identical rows of a plausible trainee
 * (~800 bytes of XML each, only the row number changes) — 300,000 rows are ~245 MB of sheet in a ~2.7 MB upload.
 */
export function xlsxBomb(rows = 300_000): Promise<Buffer> {
  const cells = [
    "040314300123",
    "Сапаров Ерлан Маратұлы бомба",
    "Ерлан Маратұлы бомба",
    "Маратұлы бомба бомба",
    "SAPAROV YERLAN MARATULY BOMB",
    "+7 701 123 45 67",
    "erlan.saparov.bomb@example.kz",
    "г. Алматы, ул. Абая, д. 150, кв. 12, бомба бомба",
    "B",
    "механика",
    "Д-2026-000001-бомба",
    "180000",
  ];
  // (only a row's first cell names its address; the others follow it, as the format allows)
  const template = `<row r="#">${cells.map((text, i) => (i === 0 ? inline("A#", text) : inline("", text).replace(' r=""', ""))).join("")}</row>`;
  function* sheet() {
    yield `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${headerRowXml()}`;
    for (let r = 2; r <= rows + 1; r += 100) {
      let block = "";
      for (let k = r; k < Math.min(r + 100, rows + 2); k++) block += template.replaceAll("#", String(k));
      yield block;
    }
    yield "</sheetData></worksheet>";
  }
  return zipOf(workbookParts(sheet()));
}
