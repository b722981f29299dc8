import { readFileSync } from "node:fs";
import path from "node:path";
import { parseInline, parseMarkdown } from "./markdown.ts";

describe("the offer's Markdown", () => {
  it("reads headings, paragraphs of joined lines, a rule and nested lists", () => {
    const md =
      "# Title\n\n## 1. Terms\n\n1.1. First\nline two.\n\n- a\n- b\n  - b1\n  - b2\n- c\n\n---\n\n1. one\n2. two\n";
    expect(parseMarkdown(md)).toEqual([
      { kind: "heading", level: 1, text: "Title" },
      { kind: "heading", level: 2, text: "1. Terms" },
      { kind: "paragraph", text: "1.1. First line two." },
      {
        kind: "ul",
        items: [
          { text: "a", children: null },
          {
            text: "b",
            children: {
              kind: "ul",
              items: [
                { text: "b1", children: null },
                { text: "b2", children: null },
              ],
            },
          },
          { text: "c", children: null },
        ],
      },
      { kind: "rule" },
      {
        kind: "ol",
        items: [
          { text: "one", children: null },
          { text: "two", children: null },
        ],
      },
    ]);
  });

  it("keeps markup as text: HTML is never a block of its own", () => {
    expect(parseMarkdown('<script>alert(1)</script>\n<img src=x onerror="x">')).toEqual([
      { kind: "paragraph", text: '<script>alert(1)</script> <img src=x onerror="x">' },
    ]);
  });

  it("finds bold and italic runs, not underscores inside words", () => {
    expect(parseInline("_Verbatim_ and **bold** in snake_case_name")).toEqual([
      { kind: "em", text: "Verbatim" },
      { kind: "text", text: " and " },
      { kind: "strong", text: "bold" },
      { kind: "text", text: " in snake_case_name" },
    ]);
  });

  it("reads both seed offers with their sections as headings and their lists as lists, no '#' or '- ' left", () => {
    for (const lang of ["kk", "ru"]) {
      const text = readFileSync(path.resolve(import.meta.dirname, `../../prisma/seed/offer.${lang}.md`), "utf8");
      const blocks = parseMarkdown(text);
      expect(blocks.filter((b) => b.kind === "heading").length).toBeGreaterThanOrEqual(10);
      expect(blocks.some((b) => b.kind === "ul" && b.items.some((i) => i.children))).toBe(true);
      const texts = blocks.flatMap((b) => ("text" in b ? [b.text] : []));
      expect(texts.filter((t) => /^#|^- /.test(t))).toEqual([]);
    }
  });
});
