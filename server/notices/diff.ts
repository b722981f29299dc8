// A plain line diff (longest common subsequence) of two offer texts: for the offer-change notice ("- "
// removed lines, "+ " added lines, unchanged lines left out) and for the operator's preview before
// publishing (the changes with a few unchanged lines around them). Pure. The common head and tail are
// set aside first, so an edit in a long offer compares only the lines between; a table too big for that
// (over MAX_CELLS) reads as the middle removed and written anew.

export type DiffLine = { op: "same" | "removed" | "added"; text: string };
/** A stretch of unchanged lines left out of a preview: how many. */
export type DiffGap = { op: "gap"; lines: number };

const MAX_CELLS = 4_000_000;

/** The text's lines; blank lines at its end are no lines (a form's text comes trimmed, a file's ends in a newline). */
function lines(text: string): string[] {
  const body = text.trimEnd();
  return body === "" ? [] : body.split(/\r?\n/);
}

/** Every line of both texts in order: kept, removed or added. */
export function editScript(before: string, after: string): DiffLine[] {
  const a = lines(before);
  const b = lines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const out: DiffLine[] = a.slice(0, head).map((text) => ({ op: "same", text }));
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const n = x.length;
  const m = y.length;
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    for (const text of x) out.push({ op: "removed", text });
    for (const text of y) out.push({ op: "added", text });
  } else {
    // lcs[i][j] = LCS length of x[i..] and y[j..], kept in one flat array
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * (m + 1) + j] =
          x[i] === y[j]
            ? lcs[(i + 1) * (m + 1) + j + 1]! + 1
            : Math.max(lcs[(i + 1) * (m + 1) + j]!, lcs[i * (m + 1) + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (x[i] === y[j]) {
        out.push({ op: "same", text: x[i++]! });
        j++;
      } else if (lcs[(i + 1) * (m + 1) + j]! >= lcs[i * (m + 1) + j + 1]!) out.push({ op: "removed", text: x[i++]! });
      else out.push({ op: "added", text: y[j++]! });
    }
    while (i < n) out.push({ op: "removed", text: x[i++]! });
    while (j < m) out.push({ op: "added", text: y[j++]! });
  }
  for (const text of a.slice(a.length - tail)) out.push({ op: "same", text });
  return out;
}

/** The changed lines only, as "- removed" and "+ added" (the offer-change notice's document). */
export function lineDiff(before: string, after: string): string[] {
  return editScript(before, after)
    .filter((l) => l.op !== "same")
    .map((l) => `${l.op === "removed" ? "-" : "+"} ${l.text}`);
}

/** The changes with `context` unchanged lines on each side; longer unchanged stretches become a gap. */
export function diffPreview(before: string, after: string, context = 2): (DiffLine | DiffGap)[] {
  const script = editScript(before, after);
  const near = new Uint8Array(script.length);
  script.forEach((l, i) => {
    if (l.op === "same") return;
    for (let k = Math.max(0, i - context); k <= Math.min(script.length - 1, i + context); k++) near[k] = 1;
  });
  const out: (DiffLine | DiffGap)[] = [];
  script.forEach((l, i) => {
    const last = out[out.length - 1];
    if (near[i]) out.push(l);
    else if (last?.op === "gap") last.lines++;
    else out.push({ op: "gap", lines: 1 });
  });
  return out;
}
