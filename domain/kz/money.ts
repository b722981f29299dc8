// Money is integer tiyn (1 tenge = 100 tiyn) everywhere; people type tenge.

/** "250 000", "250000,50", "1 200.5" → tiyn; null when it isn't an amount. */
export function parseTenge(input: string): number | null {
  const s = input.replace(/[\s\u00a0₸]/g, "").replace(",", ".");
  const m = s.match(/^(\d{1,12})(?:\.(\d{1,2}))?$/);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** A payment's amount, which may be a refund or a correction: a minus (hyphen or the typographic "−") first. */
export function parseSignedTenge(input: string): number | null {
  const m = /^\s*[-−–]\s*(.*)$/.exec(input);
  const tiyn = parseTenge(m ? m[1]! : input);
  return tiyn === null ? null : m ? -tiyn : tiyn;
}

/** tiyn → the plain tenge string a form field shows ("250000" or "250000.50"). */
export function tengeInput(tiyn: number): string {
  return tiyn % 100 === 0 ? String(tiyn / 100) : (tiyn / 100).toFixed(2);
}
