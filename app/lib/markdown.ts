// The small part of Markdown the public offer is written in (prisma/seed/offer.*.md): headings, paragraphs,
// bulleted and numbered lists (nested by indent), a rule, **bold** and _italic_. Parsed into blocks that
// React renders as elements, so the text never becomes HTML: a "<script>" in an offer is shown as text.
// Anything else reads as plain text.

export type Inline = { kind: "text" | "strong" | "em"; text: string };
export type ListItem = { text: string; children: List | null };
export type List = { kind: "ul" | "ol"; items: ListItem[] };
export type Block =
  | { kind: "heading"; level: number; text: string }
  | { kind: "paragraph"; text: string }
  | { kind: "rule" }
  | List;

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  // The open lists, outermost first, with the indent of their markers.
  let lists: { indent: number; list: List }[] = [];
  const closeParagraph = () => {
    if (paragraph.length > 0) blocks.push({ kind: "paragraph", text: paragraph.join(" ") });
    paragraph = [];
  };
  const closeLists = () => {
    if (lists.length > 0) blocks.push(lists[0]!.list);
    lists = [];
  };
  for (const raw of source.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.replace(/\s+$/, "");
    if (line === "") {
      closeParagraph();
      closeLists();
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading && !/^\s/.test(line)) {
      closeParagraph();
      closeLists();
      blocks.push({ kind: "heading", level: heading[1]!.length, text: heading[2]! });
      continue;
    }
    if (RULE.test(line)) {
      closeParagraph();
      closeLists();
      blocks.push({ kind: "rule" });
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      closeParagraph();
      const indent = item[1]!.length;
      const kind = /\d/.test(item[2]!) ? "ol" : "ul";
      while (lists.length > 0 && indent < lists[lists.length - 1]!.indent) lists.pop();
      const top = lists[lists.length - 1];
      if (top && indent > top.indent) {
        // A deeper marker: a list inside the last item of the list above.
        const parent = top.list.items[top.list.items.length - 1]!;
        parent.children ??= { kind, items: [] };
        lists.push({ indent, list: parent.children });
      } else if (!top || (lists.length === 1 && top.list.kind !== kind)) {
        // A first list, or another kind of marker at the outer level: a new list.
        closeLists();
        lists = [{ indent, list: { kind, items: [] } }];
      }
      lists[lists.length - 1]!.list.items.push({ text: item[3]!, children: null });
      continue;
    }
    if (lists.length > 0) {
      // A line that continues the last item.
      const last = lists[lists.length - 1]!.list.items.at(-1)!;
      last.text = `${last.text} ${line.trim()}`;
      continue;
    }
    paragraph.push(line.trim());
  }
  closeParagraph();
  closeLists();
  return blocks;
}

const EMPHASIS = /(\*\*|__)(?=\S)(.+?)(?<=\S)\1|(?<![\p{L}\p{N}])([*_])(?=\S)(.+?)(?<=\S)\3(?![\p{L}\p{N}])/gu;

/** Bold and italic runs of one line of text; the rest is text as written. */
export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let at = 0;
  for (const m of text.matchAll(EMPHASIS)) {
    if (m.index > at) out.push({ kind: "text", text: text.slice(at, m.index) });
    out.push(m[1] ? { kind: "strong", text: m[2]! } : { kind: "em", text: m[4]! });
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push({ kind: "text", text: text.slice(at) });
  return out;
}
