// The school's journal: what the regulator checks (enrolment, status changes, lesson marks, exam
// results, corrections). Each entry is stamped with the database's clock — never a date a person
// typed — numbered per school without gaps, and carries the SHA-256 of the previous entry, so an
// entry changed or removed behind the application's back breaks the chain from there on.
import { createHash } from "node:crypto";
import type { Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";

export const GENESIS = "0".repeat(64);

export type JournalKind =
  | "trainee.enrolled"
  | "trainee.status_changed"
  | "trainee.corrected"
  | "lesson.booked"
  | "lesson.cancelled"
  | "lesson.moved"
  | "lesson.marked"
  | "lesson.corrected"
  | "exam.result"
  | "exam.corrected"
  | "certificate.issued"
  | "certificate.cancelled"
  | "theory.attendance"
  | "theory.attendance_corrected"
  | "adoption.entered"
  | "adoption.corrected";

/** JSON with keys sorted at every level: the same data always hashes the same, whatever jsonb did to key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export type ChainedEntry = {
  schoolId: string;
  seq: bigint | number;
  at: Date;
  actorUserId: string | null;
  kind: string;
  subjectId: string | null;
  data: unknown;
  prevHash: string;
};

export function entryHash(e: ChainedEntry): string {
  return createHash("sha256")
    .update(
      canonicalJson({
        schoolId: e.schoolId,
        seq: String(e.seq),
        at: e.at.toISOString(),
        actorUserId: e.actorUserId,
        kind: e.kind,
        subjectId: e.subjectId,
        data: e.data,
        prevHash: e.prevHash,
      }),
    )
    .digest("hex");
}

/**
 * Appends one entry in the caller's transaction. Locking the school's head row serialises writers,
 * so concurrent requests still form one unbroken chain. Returns the entry's number and time.
 */
export async function appendJournal(
  tx: Tx,
  schoolId: string,
  entry: { kind: JournalKind; actorUserId: string | null; subjectId?: string | null; data: Prisma.InputJsonObject },
): Promise<{ seq: bigint; at: Date }> {
  await tx.$executeRaw`INSERT INTO journal_head (school_id, seq, hash) VALUES (${schoolId}::uuid, 0, ${GENESIS}) ON CONFLICT (school_id) DO NOTHING`;
  const [head] = await tx.$queryRaw<{ seq: bigint; hash: string; at: Date }[]>`
    SELECT seq, hash, date_trunc('milliseconds', now()) AS at FROM journal_head WHERE school_id = ${schoolId}::uuid FOR UPDATE`;
  if (!head) throw new Error("journal head missing");
  const seq = head.seq + 1n;
  // Stored and hashed in the same form: jsonb drops undefined, and the hash is over what is stored.
  const data = JSON.parse(JSON.stringify(entry.data)) as Prisma.InputJsonObject;
  const full: ChainedEntry = {
    schoolId,
    seq,
    at: head.at,
    actorUserId: entry.actorUserId,
    kind: entry.kind,
    subjectId: entry.subjectId ?? null,
    data,
    prevHash: head.hash,
  };
  const hash = entryHash(full);
  await tx.journalEntry.createMany({ data: [{ ...full, seq, data, hash }] });
  await tx.journalHead.update({ where: { schoolId }, data: { seq, hash } });
  return { seq, at: head.at };
}

/** The transaction's time from the database clock, to the millisecond (what the journal stamps). */
export async function dbNow(tx: Tx): Promise<Date> {
  const rows = await tx.$queryRaw<{ now: Date }[]>`SELECT date_trunc('milliseconds', now()) AS now`;
  return rows[0]!.now;
}

export type JournalCheck =
  | { intact: true; entries: number; lastHash: string }
  | {
      intact: false;
      entries: number;
      brokenAt: number;
      reason: "hash_mismatch" | "chain_break" | "gap" | "head_mismatch";
    };

/** Re-computes the whole chain of one school (the inspector's "is the journal intact?"). */
export async function verifyJournal(tx: Tx, schoolId: string): Promise<JournalCheck> {
  let prevHash = GENESIS;
  let expected = 1n;
  let count = 0;
  for (let after = 0n; ; ) {
    const batch = await tx.journalEntry.findMany({
      where: { schoolId, seq: { gt: after } },
      orderBy: { seq: "asc" },
      take: 2000,
    });
    if (batch.length === 0) break;
    for (const e of batch) {
      if (e.seq !== expected) return { intact: false, entries: count, brokenAt: Number(expected), reason: "gap" };
      if (e.prevHash !== prevHash)
        return { intact: false, entries: count, brokenAt: Number(e.seq), reason: "chain_break" };
      if (entryHash(e) !== e.hash)
        return { intact: false, entries: count, brokenAt: Number(e.seq), reason: "hash_mismatch" };
      prevHash = e.hash;
      expected++;
      count++;
    }
    after = batch[batch.length - 1]!.seq;
  }
  const head = await tx.journalHead.findUnique({ where: { schoolId } });
  if (head && (head.seq !== BigInt(count) || head.hash !== prevHash)) {
    return { intact: false, entries: count, brokenAt: count + 1, reason: "head_mismatch" };
  }
  return { intact: true, entries: count, lastHash: prevHash };
}

/** One page of the journal, newest first: 50 entries before `before`, with the trainee each is about. */
export async function journalPage(tx: Tx, input: { before?: number }) {
  const rows = await tx.journalEntry.findMany({
    where: input.before ? { seq: { lt: BigInt(input.before) } } : {},
    orderBy: { seq: "desc" },
    take: 51,
    select: { seq: true, at: true, kind: true, subjectId: true, data: true, actorUserId: true, hash: true },
  });
  const subjects = await tx.trainee.findMany({
    where: { id: { in: [...new Set(rows.flatMap((r) => (r.subjectId ? [r.subjectId] : [])))] } },
    select: { id: true, lastName: true, firstName: true },
  });
  const names = Object.fromEntries(subjects.map((s) => [s.id, `${s.lastName} ${s.firstName}`]));
  const page = rows
    .slice(0, 50)
    .map((r) => ({ ...r, seq: Number(r.seq), subjectName: r.subjectId ? (names[r.subjectId] ?? null) : null }));
  return { items: page, nextBefore: rows.length > 50 ? page[page.length - 1]!.seq : null };
}
