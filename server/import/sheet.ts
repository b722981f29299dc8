// The first worksheet of an uploaded .xlsx, read as a stream with bounded work: the zip through
// documents/zip.ts (entry count, declared and really inflated bytes), the XML through a SAX parser
// (nothing of the sheet is held but the rows the caller keeps), shared strings and cells counted and
// each cell's text cut at a length no field allows. ExcelJS loads the whole workbook into memory —
// 364 MB of XML from a 219 KB upload exhausted the web heap — so it only writes files here.
import { StringDecoder } from "node:string_decoder";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import { openZip, ZipRefused, type BoundedZip, type ZipLimits } from "../documents/zip.ts";

export type SheetLimits = {
  zip: ZipLimits;
  /** shared strings plus non-empty cells of the sheet */
  maxCells: number;
  /** characters kept of one cell's text; one more is kept, so a field's "too long" check still fires */
  maxCellChars: number;
};

/** A cell as the file stores it: text, a number, a boolean, or nothing (errors, empty cells). */
export type SheetValue = string | number | boolean | null;

export type SheetRefusal = "unreadable" | "tooLarge" | "tooManyCells";
export class SheetRefused extends Error {
  constructor(
    readonly reason: SheetRefusal,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = "SheetRefused";
  }
}

const local = (name: string) => name.slice(name.indexOf(":") + 1);

/** Streams one XML entry through a SAX parser; false when the entry isn't there. */
async function parseEntry(
  zip: BoundedZip,
  name: string,
  handlers: {
    open?: (tag: SaxesTagPlain, name: string) => void;
    text?: (text: string) => void;
    close?: (name: string) => void;
  },
): Promise<boolean> {
  const parser = new SaxesParser({ xmlns: false, position: false });
  const decoder = new StringDecoder("utf8");
  parser.on("error", (e) => {
    throw new SheetRefused("unreadable", `${name}: ${e.message}`);
  });
  if (handlers.open) parser.on("opentag", (tag) => handlers.open!(tag, local(tag.name)));
  if (handlers.text) {
    parser.on("text", handlers.text);
    parser.on("cdata", handlers.text);
  }
  if (handlers.close) parser.on("closetag", (tag) => handlers.close!(local(tag.name)));
  const found = await zip.read(name, (chunk) => {
    parser.write(decoder.write(chunk));
  });
  if (found) parser.write(decoder.end()).close();
  return found;
}

/** "xl/" + a relationship target, normalised ("/xl/a.xml" and "../x" forms too). */
function resolveTarget(target: string): string {
  const parts = (target.startsWith("/") ? target.slice(1) : `xl/${target}`).split("/");
  const out: string[] = [];
  for (const p of parts) {
    if (p === "..") out.pop();
    else if (p !== "." && p !== "") out.push(p);
  }
  return out.join("/");
}

/** Column number (1-based) of a cell reference like "AB12"; null when it has none. */
function columnOf(ref: string | undefined): number | null {
  const m = ref?.match(/^([A-Z]{1,3})\d*$/i);
  if (!m) return null;
  let n = 0;
  for (const ch of m[1]!.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

async function sheetPaths(zip: BoundedZip): Promise<{ sheet: string; sharedStrings: string | null }> {
  let firstSheetRel: string | null = null;
  let inSheets = false;
  const hasWorkbook = await parseEntry(zip, "xl/workbook.xml", {
    open: (tag, name) => {
      if (name === "sheets") inSheets = true;
      if (name === "sheet" && inSheets && firstSheetRel === null) {
        const id = Object.entries(tag.attributes).find(([k]) => local(k) === "id" && k !== "sheetId");
        firstSheetRel = id ? String(id[1]) : "";
      }
    },
    close: (name) => {
      if (name === "sheets") inSheets = false;
    },
  });
  if (!hasWorkbook) throw new SheetRefused("unreadable", "no xl/workbook.xml");
  const targets = new Map<string, string>();
  let sharedStrings: string | null = null;
  await parseEntry(zip, "xl/_rels/workbook.xml.rels", {
    open: (tag, name) => {
      if (name !== "Relationship") return;
      const target = resolveTarget(String(tag.attributes.Target ?? ""));
      targets.set(String(tag.attributes.Id ?? ""), target);
      if (String(tag.attributes.Type ?? "").endsWith("/sharedStrings")) sharedStrings = target;
    },
  });
  const sheet = (firstSheetRel !== null && targets.get(firstSheetRel)) || "xl/worksheets/sheet1.xml";
  return {
    sheet,
    sharedStrings: sharedStrings ?? (zip.names.includes("xl/sharedStrings.xml") ? "xl/sharedStrings.xml" : null),
  };
}

/**
 * Reads the first worksheet row by row. `onRow` gets the row number and the values of columns 1..`columns`
 * (null where empty) of every row that has a cell; it may throw to stop reading (a row limit, a wrong
 * header). Refuses with SheetRefused when the file isn't a workbook or holds more than the limits.
 */
export async function readFirstSheet(
  bytes: Uint8Array,
  columns: number,
  limits: SheetLimits,
  onRow: (row: number, values: SheetValue[]) => void,
): Promise<void> {
  let zip: BoundedZip;
  try {
    zip = await openZip(bytes, limits.zip);
  } catch (e) {
    throw e instanceof ZipRefused
      ? new SheetRefused(e.reason === "tooLarge" ? "tooLarge" : "unreadable", e.message)
      : e;
  }
  let cells = 0;
  const count = () => {
    if (++cells > limits.maxCells) throw new SheetRefused("tooManyCells");
  };
  const cap = limits.maxCellChars + 1;
  const append = (acc: string, text: string) => (acc.length >= cap ? acc : (acc + text).slice(0, cap));

  try {
    const paths = await sheetPaths(zip);

    // Shared strings: the text of each <si>, runs joined, phonetic hints (<rPh>) left out.
    const shared: string[] = [];
    if (paths.sharedStrings) {
      let inSi = false;
      let phonetic = 0;
      let inT = false;
      let text = "";
      await parseEntry(zip, paths.sharedStrings, {
        open: (_tag, name) => {
          if (name === "si") {
            inSi = true;
            text = "";
          } else if (name === "rPh") phonetic++;
          else if (name === "t") inT = true;
        },
        text: (t) => {
          if (inSi && inT && phonetic === 0) text = append(text, t);
        },
        close: (name) => {
          if (name === "t") inT = false;
          else if (name === "rPh") phonetic--;
          else if (name === "si") {
            inSi = false;
            count();
            shared.push(text);
          }
        },
      });
    }

    let rowNumber = 0;
    let values: SheetValue[] = [];
    let hasCell = false;
    let col = 0;
    let type = "n";
    let raw = "";
    let rawSeen = false;
    let inV = false;
    let inIs = false;
    let inT = false;
    let phonetic = 0;
    const found = await parseEntry(zip, paths.sheet, {
      open: (tag, name) => {
        switch (name) {
          case "row": {
            const r = Number(tag.attributes.r);
            rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1;
            values = new Array<SheetValue>(columns).fill(null);
            hasCell = false;
            col = 0;
            break;
          }
          case "c":
            col = columnOf(tag.attributes.r as string | undefined) ?? col + 1;
            type = String(tag.attributes.t ?? "n");
            raw = "";
            rawSeen = false;
            break;
          case "v":
            inV = true;
            rawSeen = true;
            break;
          case "is":
            inIs = true;
            rawSeen = true;
            break;
          case "rPh":
            phonetic++;
            break;
          case "t":
            inT = true;
            break;
        }
      },
      text: (t) => {
        if (inV || (inIs && inT && phonetic === 0)) raw = append(raw, t);
      },
      close: (name) => {
        switch (name) {
          case "v":
            inV = false;
            break;
          case "is":
            inIs = false;
            break;
          case "rPh":
            phonetic--;
            break;
          case "t":
            inT = false;
            break;
          case "c": {
            if (!rawSeen) break;
            count();
            const value = cellValue(type, raw, shared);
            if (col >= 1 && col <= columns) values[col - 1] = value;
            if (value !== null) hasCell = true;
            break;
          }
          case "row":
            if (hasCell) onRow(rowNumber, values);
            break;
        }
      },
    });
    if (!found) throw new SheetRefused("unreadable", `no ${paths.sheet}`);
  } catch (e) {
    throw e instanceof ZipRefused
      ? new SheetRefused(e.reason === "tooLarge" ? "tooLarge" : "unreadable", e.message)
      : e;
  }
}

function cellValue(type: string, raw: string, shared: string[]): SheetValue {
  switch (type) {
    case "s": {
      const i = Number(raw);
      return Number.isInteger(i) && i >= 0 && i < shared.length ? shared[i]! : null;
    }
    case "inlineStr":
    case "str":
      return raw;
    case "b":
      return raw.trim() === "1" || raw.trim().toLowerCase() === "true";
    case "e":
      return null; // #N/A, #DIV/0! …: no value
    case "d":
      return raw.slice(0, 10); // an ISO date
    default: {
      if (raw.trim() === "") return null;
      const n = Number(raw);
      return Number.isFinite(n) ? n : raw;
    }
  }
}
