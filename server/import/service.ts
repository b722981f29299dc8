// Trainee import: validating a parsed file's rows (the same rules as the manual form, plus the
// contract) against the school's register, and the job that inserts every good row in ONE
// transaction while it reports progress through a separate connection.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { appDb, operatorDb, switchScope, type Tx } from "../db/client.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { logger } from "../log.ts";
import { traineeFields } from "../trainees/schema.ts";
import { CATEGORIES } from "../../domain/trainees.ts";
import { validateIin } from "../../domain/kz/iin.ts";
import { parseWorkbook, type RawRow } from "./xlsx.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import { hoursToMinutes, parseDay, priorDateProblems, type PriorDates } from "../training/prior-rules.ts";
import { savePriorTraining, type PriorRecord } from "../training/adoption.ts";
import {
  REQUIRED_COLUMNS,
  type BadRow,
  type Column,
  type ImportReport,
  type PreviewRow,
  type Reason,
} from "../../domain/import-reasons.ts";

export type TraineeData = {
  iin: string;
  lastName: string;
  firstName: string;
  middleName: string | null;
  latinName: string | null;
  birthDate: Date;
  sex: "male" | "female";
  phone: string | null;
  email: string | null;
  address: string | null;
  category: string;
  gearbox: "manual" | "automatic";
  contractNumber: string | null;
  contractPriceTiyn: bigint;
};
/** A good row: the trainee, and what the office states they did before adoption (null when those cells are empty). */
export type GoodRow = { row: number; data: TraineeData; prior: PriorRecord | null };

export const PREVIEW_ROWS = 20;
const CHUNK = 250;

// People type categories in Cyrillic as often as in Latin letters: "В" is "B".
const CYRILLIC_TO_LATIN: Record<string, string> = { А: "A", В: "B", С: "C", Е: "E", Д: "D", Т: "T", М: "M" };
function normalizeCategory(v: string): string | null {
  const latin = [...v.replace(/\s+/g, "")].map((ch) => CYRILLIC_TO_LATIN[ch.toUpperCase()] ?? ch).join("");
  return CATEGORIES.find((c) => c.toLowerCase() === latin.toLowerCase()) ?? null;
}

const GEARBOX_WORDS: Record<string, "manual" | "automatic"> = {
  manual: "manual",
  механика: "manual",
  механикалық: "manual",
  механическая: "manual",
  мкпп: "manual",
  mt: "manual",
  automatic: "automatic",
  автомат: "automatic",
  автоматты: "automatic",
  автоматическая: "automatic",
  акпп: "automatic",
  at: "automatic",
};
function normalizeGearbox(v: string): "manual" | "automatic" | null {
  if (v === "") return "manual";
  return GEARBOX_WORDS[v.toLowerCase().replace(/\s+/g, " ").trim()] ?? null;
}

/** Tenge as written in a cell ("180000", "180 000", "180 000,50 ₸") → tiyn; null when it isn't an amount. */
export function parseTenge(v: string): bigint | null {
  if (v === "") return 0n;
  const cleaned = v.replace(/[\s\u00a0₸]|тг\.?|тенге|теңге/gi, "").replace(",", ".");
  const m = cleaned.match(/^(\d{1,12})(?:\.(\d{1,2}))?$/);
  if (!m) return null;
  return BigInt(m[1]!) * 100n + BigInt((m[2] ?? "0").padEnd(2, "0"));
}

const displayName = (c: Record<Column, string>) => [c.lastName, c.firstName].filter(Boolean).join(" ");

function zodReason(issue: z.core.$ZodIssue, cells: Record<Column, string>): Reason | null {
  const column = issue.path[0] as Column;
  if (REQUIRED_COLUMNS.includes(column) && cells[column] === "") return null; // reported as missing
  if (column === "iin") return { code: "iin", key: issue.message.replace(/^iin\./, "") };
  if (column === "category") return { code: "category", value: cells.category };
  const key = /^[a-zA-Z]+(\.[a-zA-Z_]+)*$/.test(issue.message) ? issue.message : "invalid";
  const params: Record<string, string | number> = {};
  if (issue.code === "too_big") params.max = Number(issue.maximum);
  if (issue.code === "too_small") params.min = Number(issue.minimum);
  return { code: "field", column, key, ...(Object.keys(params).length ? { params } : {}) };
}

const DATE_COLUMN: Record<keyof PriorDates, Column> = {
  startedOn: "trainingStartedOn",
  theoryExamOn: "theoryExamPassedOn",
  practicalExamOn: "practicalExamPassedOn",
};

/** The row's training before adoption (ADR 029): the card's rules; exams by date only, their score unknown. */
function priorOf(c: Record<Column, string>, today: string): { prior: PriorRecord | null; reasons: Reason[] } {
  const reasons: Reason[] = [];
  const dates = {} as Record<keyof PriorDates, string | null>;
  for (const [field, column] of Object.entries(DATE_COLUMN) as [keyof PriorDates, Column][]) {
    const day = c[column] === "" ? null : parseDay(c[column]);
    if (c[column] !== "" && !day) reasons.push({ code: "field", column, key: "adoption.date" });
    dates[field] = day;
  }
  const hours = (column: Column) => {
    const minutes = hoursToMinutes(c[column]);
    if (minutes === null) reasons.push({ code: "field", column, key: "adoption.hours" });
    return minutes ?? 0;
  };
  const theoryMinutes = hours("theoryHoursDone");
  const drivingMinutes = hours("drivingHoursDone");
  for (const p of priorDateProblems(dates, today))
    reasons.push({ code: "field", column: DATE_COLUMN[p.field], key: p.key });
  if (reasons.length > 0) return { prior: null, reasons };
  const exam = (takenOn: string | null) => (takenOn ? { takenOn, score: null, maxScore: null } : null);
  const prior: PriorRecord = {
    startedOn: dates.startedOn,
    theoryMinutes,
    drivingMinutes,
    theoryExam: exam(dates.theoryExamOn),
    practicalExam: exam(dates.practicalExamOn),
  };
  const empty = !prior.startedOn && !theoryMinutes && !drivingMinutes && !prior.theoryExam && !prior.practicalExam;
  return { prior: empty ? null : prior, reasons };
}

/** One row on its own: the manual form's rules (traineeFields) plus gearbox, contract and price. */
export function validateRow(
  raw: RawRow,
  today = almatyDate(new Date()),
): { data: TraineeData | null; prior: PriorRecord | null; reasons: Reason[] } {
  const c = raw.cells;
  const reasons: Reason[] = [];
  for (const col of REQUIRED_COLUMNS) if (c[col] === "") reasons.push({ code: "missing", column: col });
  const iin = c.iin.replace(/\s+/g, "");
  const category = c.category === "" ? "" : (normalizeCategory(c.category) ?? c.category);
  const parsed = traineeFields.safeParse({
    iin,
    lastName: c.lastName,
    firstName: c.firstName,
    middleName: c.middleName,
    latinName: c.latinName,
    phone: c.phone,
    email: c.email,
    address: c.address,
    category,
  });
  if (!parsed.success) {
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      const col = String(issue.path[0]);
      if (seen.has(col)) continue;
      seen.add(col);
      const r = zodReason(issue, c);
      if (r) reasons.push(r);
    }
  }
  const gearbox = normalizeGearbox(c.gearbox);
  if (!gearbox) reasons.push({ code: "gearbox", value: c.gearbox });
  const contractNumber = c.contractNumber === "" ? null : c.contractNumber;
  if (contractNumber && contractNumber.length > 50)
    reasons.push({ code: "field", column: "contractNumber", key: "tooLong", params: { max: 50 } });
  const price = parseTenge(c.contractPrice);
  if (price === null) reasons.push({ code: "price", value: c.contractPrice });
  const { prior, reasons: priorReasons } = priorOf(c, today);
  reasons.push(...priorReasons);
  if (reasons.length > 0 || !parsed.success || !gearbox || price === null) return { data: null, prior: null, reasons };
  const idn = validateIin(parsed.data.iin);
  if (!idn.ok) return { data: null, prior: null, reasons: [{ code: "iin", key: idn.reason }] };
  const v = parsed.data;
  return {
    data: {
      iin: v.iin,
      lastName: v.lastName,
      firstName: v.firstName,
      middleName: v.middleName ?? null,
      latinName: v.latinName ?? null,
      birthDate: new Date(`${idn.birthDate}T00:00:00Z`),
      sex: idn.sex,
      phone: v.phone ?? null,
      email: v.email ?? null,
      address: v.address ?? null,
      category: v.category,
      gearbox,
      contractNumber,
      contractPriceTiyn: price,
    },
    prior,
    reasons: [],
  };
}

async function existing(
  db: Pick<Tx, "trainee">,
  field: "iin" | "contractNumber",
  values: string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < values.length; i += 1000) {
    const chunk = values.slice(i, i + 1000);
    const rows = await db.trainee.findMany({
      where: { [field]: { in: chunk } },
      select: { iin: true, contractNumber: true },
    });
    for (const r of rows) {
      const v = field === "iin" ? r.iin : r.contractNumber;
      if (v) out.add(v);
    }
  }
  return out;
}

/** Every row of a file, against each other and the school's register as `db` sees it now. */
export async function analyse(db: Pick<Tx, "trainee">, rows: RawRow[]): Promise<{ good: GoodRow[]; bad: BadRow[] }> {
  const checked = rows.map((r) => ({ raw: r, ...validateRow(r), iin: r.cells.iin.replace(/\s+/g, "") }));

  // Duplicates inside the file: every occurrence is refused, naming another row with the same value.
  const byIin = new Map<string, number[]>();
  const byContract = new Map<string, number[]>();
  for (const r of checked) {
    if (/^\d{12}$/.test(r.iin)) byIin.set(r.iin, [...(byIin.get(r.iin) ?? []), r.raw.row]);
    const cn = r.raw.cells.contractNumber;
    if (cn) byContract.set(cn, [...(byContract.get(cn) ?? []), r.raw.row]);
  }
  const other = (rowsWithValue: number[] | undefined, self: number) => rowsWithValue?.find((n) => n !== self);

  const takenIins = await existing(db, "iin", [...byIin.keys()]);
  const takenContracts = await existing(db, "contractNumber", [...byContract.keys()]);

  const good: GoodRow[] = [];
  const bad: BadRow[] = [];
  for (const r of checked) {
    const reasons = [...r.reasons];
    const dupIin = other(byIin.get(r.iin), r.raw.row);
    if (dupIin !== undefined) reasons.push({ code: "duplicateIin", otherRow: dupIin });
    if (takenIins.has(r.iin)) reasons.push({ code: "iinTaken" });
    const cn = r.raw.cells.contractNumber;
    if (cn) {
      const dupContract = other(byContract.get(cn), r.raw.row);
      if (dupContract !== undefined) reasons.push({ code: "duplicateContract", otherRow: dupContract });
      if (takenContracts.has(cn)) reasons.push({ code: "contractTaken" });
    }
    if (reasons.length === 0 && r.data) good.push({ row: r.raw.row, data: r.data, prior: r.prior });
    else bad.push({ row: r.raw.row, iin: r.iin, name: displayName(r.raw.cells), reasons });
  }
  return { good, bad };
}

export function previewOf(good: GoodRow[]): PreviewRow[] {
  return good.slice(0, PREVIEW_ROWS).map((g) => ({
    row: g.row,
    iin: g.data.iin,
    name: [g.data.lastName, g.data.firstName, g.data.middleName].filter(Boolean).join(" "),
    category: g.data.category,
    gearbox: g.data.gearbox,
    ...(g.prior
      ? {
          prior: {
            theoryMinutes: g.prior.theoryMinutes,
            drivingMinutes: g.prior.drivingMinutes,
            exams: [g.prior.theoryExam, g.prior.practicalExam].filter(Boolean).length,
          },
        }
      : {}),
  }));
}

/** Parses and checks an upload; the caller stores the result. */
export async function prepareUpload(db: Pick<Tx, "trainee">, bytes: Uint8Array) {
  const parsed = await parseWorkbook(bytes);
  const { good, bad } = await analyse(db, parsed.rows);
  const report: ImportReport = {
    bad,
    preview: previewOf(good),
    ...(parsed.exampleSkipped ? { exampleSkipped: true } : {}),
  };
  return { totalRows: parsed.rows.length, goodRows: good.length, report };
}

export type ImportJob = { importId: string; appliedBy: string; ip: string | null; userAgent: string | null };

/**
 * The import job. Re-parses the stored file, re-checks every row against the register as it is now
 * (rows that became duplicates meanwhile are reported, not imported), and inserts all good rows in
 * ONE transaction of the app role scoped to the school. Progress (done_rows) goes through the
 * operator connection, committed at once, so the page sees it while the big transaction is open.
 * Any failure rolls everything back: status failed, nothing half-imported. Running it again after
 * it finished changes nothing.
 */
export async function runImport(
  job: ImportJob,
  opts: { chunkSize?: number; onProgress?: (done: number) => Promise<void> } = {},
): Promise<"done" | "already-done" | "not-applied" | "missing"> {
  const op = operatorDb();
  const id = job.importId;
  const head = await op.traineeImport.findUnique({ where: { id }, select: { schoolId: true, status: true } });
  if (!head) return "missing";
  if (head.status === "done") return "already-done";
  if (head.status === "uploaded") return "not-applied";
  // Conditional, so a late duplicate run can never turn a finished import back into a running one.
  await op.traineeImport.updateMany({
    where: { id, status: { in: ["queued", "running", "failed"] } },
    data: { status: "running", error: null },
  });
  const schoolId = head.schoolId;
  const meta: RequestMeta = { ip: job.ip, userAgent: job.userAgent };
  const chunkSize = opts.chunkSize ?? CHUNK;
  try {
    // inScope() does this too, with a 20-second limit meant for requests; a big file needs longer.
    return await appDb().$transaction(
      async (tx) => {
        await switchScope(tx, { schoolId, userId: job.appliedBy });
        // Two runs of the same import queue up here; the second then finds it done.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`trainee_import:${id}`}))`;
        const current = await tx.traineeImport.findUnique({
          where: { id },
          select: { status: true, file: true, report: true },
        });
        if (!current) return "missing" as const;
        if (current.status === "done") return "already-done" as const;
        const uploaded = current.report as unknown as ImportReport;
        const parsed = await parseWorkbook(current.file);
        const { good, bad } = await analyse(tx, parsed.rows);
        const badAtUpload = new Set(uploaded.bad.map((b) => b.row));
        const skipped = bad.filter((b) => !badAtUpload.has(b.row));
        let done = 0;
        for (let i = 0; i < good.length; i += chunkSize) {
          const chunk = good.slice(i, i + chunkSize);
          const ids = chunk.map(() => randomUUID());
          await tx.trainee.createMany({
            data: chunk.map((g, k) => ({ id: ids[k]!, schoolId, createdById: job.appliedBy, ...g.data })),
          });
          // Training before adoption, in the same transaction: the record, adopted exams and the journal entry.
          for (const [k, g] of chunk.entries())
            if (g.prior) await savePriorTraining(tx, schoolId, job.appliedBy, ids[k]!, g.prior, null);
          done += chunk.length;
          await op.traineeImport.update({ where: { id }, data: { doneRows: done } });
          await opts.onProgress?.(done);
        }
        const report: ImportReport = { ...uploaded, skipped, imported: done };
        await tx.traineeImport.update({
          where: { id },
          data: { status: "done", doneRows: done, finishedAt: new Date(), error: null, report: report as object },
        });
        await audit(tx, meta, {
          action: "trainees.imported",
          schoolId,
          actorUserId: job.appliedBy,
          details: { importId: id, imported: done, skipped: skipped.length },
        });
        return "done" as const;
      },
      { timeout: 15 * 60_000, maxWait: 30_000 },
    );
  } catch (err) {
    logger.warn({ err, importId: id }, "trainee import failed; rolled back");
    await op.traineeImport
      .updateMany({
        where: { id, status: { not: "done" } },
        data: { status: "failed", doneRows: 0, error: String((err as Error)?.message ?? err).slice(0, 2000) },
      })
      .catch(() => {});
    throw err;
  }
}
