// IIN (individual) and BIN (business) identification numbers of Kazakhstan: 12 digits, the last one a
// check digit computed in up to two passes (the Ministry of Justice's rules for IIN/BIN). Pure functions: no clock, no I/O.
import { isoDay } from "./time.ts";

export type IinFailure = "format" | "checksum" | "century" | "birth_date";
export type BinFailure = "format" | "checksum" | "entity_type" | "registration_month";

export type IinResult = { ok: true; birthDate: string; sex: "male" | "female" } | { ok: false; reason: IinFailure };
export type BinResult =
  | { ok: true; registered: string; entityType: "resident" | "non_resident" | "joint_venture" }
  | { ok: false; reason: BinFailure };

const FIRST_PASS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_PASS = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/** The check digit of the first 11 digits, or null when both passes give 10 (never issued). */
export function checkDigit(first11: string): number | null {
  const d = [...first11].map(Number);
  const sum = (w: number[]) => w.reduce((s, weight, i) => s + weight * d[i]!, 0) % 11;
  let c = sum(FIRST_PASS);
  if (c === 10) c = sum(SECOND_PASS);
  return c === 10 ? null : c;
}

function hasValidCheckDigit(value: string): boolean {
  const c = checkDigit(value.slice(0, 11));
  return c !== null && c === Number(value[11]);
}

const CENTURY: Record<string, { century: number; sex: "male" | "female" }> = {
  "1": { century: 1800, sex: "male" },
  "2": { century: 1800, sex: "female" },
  "3": { century: 1900, sex: "male" },
  "4": { century: 1900, sex: "female" },
  "5": { century: 2000, sex: "male" },
  "6": { century: 2000, sex: "female" },
};

export function validateIin(value: string): IinResult {
  if (!/^\d{12}$/.test(value)) return { ok: false, reason: "format" };
  const c = CENTURY[value[6]!];
  if (!c) return { ok: false, reason: "century" };
  const year = c.century + Number(value.slice(0, 2));
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  const date = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return { ok: false, reason: "birth_date" };
  }
  if (!hasValidCheckDigit(value)) return { ok: false, reason: "checksum" };
  return { ok: true, birthDate: isoDay(date), sex: c.sex };
}

const ENTITY_TYPE = { "4": "resident", "5": "non_resident", "6": "joint_venture" } as const;

export function validateBin(value: string): BinResult {
  if (!/^\d{12}$/.test(value)) return { ok: false, reason: "format" };
  const month = Number(value.slice(2, 4));
  if (month < 1 || month > 12) return { ok: false, reason: "registration_month" };
  const entityType = ENTITY_TYPE[value[4] as keyof typeof ENTITY_TYPE];
  if (!entityType) return { ok: false, reason: "entity_type" };
  if (!hasValidCheckDigit(value)) return { ok: false, reason: "checksum" };
  return { ok: true, registered: `20${value.slice(0, 2)}-${value.slice(2, 4)}`, entityType };
}

/**
 * Builds a valid IIN for a birth date, sex and registration serial (seed data and test factories).
 * Serials whose check digit is never issued are skipped to the next one.
 */
export function makeIin(birthDate: string, sex: "male" | "female", serial: number): string {
  const [y, m, d] = birthDate.split("-");
  const year = Number(y);
  const base = year >= 2000 ? 5 : year >= 1900 ? 3 : 1;
  const centuryDigit = base + (sex === "female" ? 1 : 0);
  for (let s = serial; s < serial + 10_000; s++) {
    const first11 = `${y!.slice(2)}${m}${d}${centuryDigit}${String(s % 10_000).padStart(4, "0")}`;
    const c = checkDigit(first11);
    if (c !== null) return first11 + c;
  }
  throw new Error("no valid IIN serial found");
}

/** Builds a valid resident legal entity BIN (seed data and test factories). */
export function makeBin(yymm: string, serial: number): string {
  for (let s = serial; s < serial + 100_000; s++) {
    const first11 = `${yymm}40${String(s % 100_000).padStart(5, "0")}`;
    const c = checkDigit(first11);
    if (c !== null) return first11 + c;
  }
  throw new Error("no valid BIN serial found");
}
