// Markdown as formatted text (~/lib/markdown.ts): elements, never HTML, so nothing in the text can inject
// markup. `headingBase` is the level a "#" heading takes on the page (the page's own title is h1).
import { createElement, type ReactNode } from "react";
import { type Block, type List, parseInline, parseMarkdown } from "~/lib/markdown.ts";

function Inline({ text }: { text: string }) {
  return (
    <>
      {parseInline(text).map((part, i) =>
        part.kind === "strong" ? (
          <strong key={i}>{part.text}</strong>
        ) : part.kind === "em" ? (
          <em key={i}>{part.text}</em>
        ) : (
          part.text
        ),
      )}
    </>
  );
}

function ListOf({ list }: { list: List }): ReactNode {
  const items = list.items.map((item, i) => (
    <li key={i}>
      <Inline text={item.text} />
      {item.children ? <ListOf list={item.children} /> : null}
    </li>
  ));
  return list.kind === "ol" ? <ol>{items}</ol> : <ul>{items}</ul>;
}

function BlockOf({ block, headingBase }: { block: Block; headingBase: number }): ReactNode {
  switch (block.kind) {
    case "heading":
      return createElement(`h${Math.min(6, headingBase + block.level - 1)}`, null, <Inline text={block.text} />);
    case "paragraph":
      return (
        <p>
          <Inline text={block.text} />
        </p>
      );
    case "rule":
      return <hr />;
    default:
      return <ListOf list={block} />;
  }
}

export function Markdown({ text, headingBase = 2 }: { text: string; headingBase?: number }) {
  return (
    <>
      {parseMarkdown(text).map((block, i) => (
        <BlockOf key={i} block={block} headingBase={headingBase} />
      ))}
    </>
  );
}
