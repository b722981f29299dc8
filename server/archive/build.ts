// Builds one school archive (the `archive` job). Its connections, each for one thing:
//  - the reader: one REPEATABLE READ, READ ONLY transaction of the app role with the school set for RLS (Prisma,
//    for the registers and invoices), whose snapshot a second plain connection imports for the cursors over rows
//    and files — every table, file and register comes from the same instant (the journal's head matches its
//    entries), and RLS holds the whole read to the one school whatever a query says;
//  - the writer: one transaction of the app role that appends the zip as 1 MB chunks while it is produced and
//    marks the archive ready in the same commit — a killed worker leaves no half archive behind, and the next
//    attempt starts again from nothing;
//  - the operator role's pool for the progress bar, outside those transactions, so the page sees it move.
// Memory stays bounded: rows come through cursors 500 at a time, files one row at a time, the zip leaves in
// 1 MB chunks as the writer takes them (stream backpressure), and nothing holds the whole archive.
import { createHash } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ZipArchive } from "archiver";
import pg from "pg";
import { appDb, operatorDb, Prisma, switchScope, type Tx } from "../db/client.ts";
import { config } from "../config.ts";
import { translator, formatDate, formatDateTime, type Locale } from "../../domain/i18n/index.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import { verifyJournal, type JournalCheck } from "../training/journal.ts";
import { registerXlsx } from "../exports/register.ts";
import { groupXlsx } from "../exports/group.ts";
import { lessonsXlsx } from "../exports/lessons.ts";
import { registerXlsx as certificateRegisterXlsx } from "../exams/certificates.ts";
import { invoiceDocument } from "../billing/invoice-doc.ts";
import type { SchoolCtx } from "../trpc.ts";
import { ident, schoolTables, type SchoolTable } from "./tables.ts";
import type { FileDownload } from "../../domain/files.ts";

/** The zip is stored in pieces of this size (the last one shorter). */
export const CHUNK_BYTES = 1 << 20;
/** How long a ready archive is kept before the daily job deletes it. */
export const KEEP_DAYS = 7;
export const ARCHIVE_FORMAT = "avtomektep-school-archive/1";

const FETCH_ROWS = 500;
/** Files are fetched in batches of at most this many bytes (by the table's largest file). */
const FILE_BATCH_BYTES = 16 << 20;
const BUILD_TIMEOUT_MS = 6 * 3600_000;
/** Already compressed: stored as they are instead of deflated again. */
const STORED = /\.(pdf|png|jpe?g|webp|xlsx|zip|docx|gz)$/i;
const EXT: Record<string, string> = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "text/plain": "txt",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
};

type Entry = { path: string; bytes: number; sha256: string };

// ---------------------------------------------------------------------------------------------
// Pure helpers (no database)

/** A file name made safe for a zip entry on every OS: no separators, control or direction-override characters. */
export function safeFileName(name: string): string {
  return (
    name
      .replace(/[\\/:*?"<>|\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, "-")
      .replace(/^[.\s-]+/, "")
      .trim()
      .slice(0, 120) || "file"
  );
}

/**
 * Where a stored file of a row goes in the archive: `files/<table>/<key>[-<column>]` plus the row's own file
 * name when it has one (file_name, name), else an extension from its content type column.
 */
export function filePath(
  table: Pick<SchoolTable, "name" | "key" | "blobs">,
  row: Record<string, unknown>,
  blob: string,
): string {
  const keyCols = table.key.filter((k) => k !== "school_id");
  const key = (keyCols.length ? keyCols : ["id"]).map((k) => String(row[k] ?? "")).join("_") || "row";
  const own = table.blobs.length === 1 ? (row.file_name ?? row.name) : null;
  const type = [row[`${blob}_type`], row.content_type, row.image_type].find((v): v is string => typeof v === "string");
  const column = table.blobs.length > 1 ? `-${blob}` : "";
  if (typeof own === "string" && own.trim()) {
    const name = safeFileName(own);
    const ext = /\.[a-z0-9]{1,5}$/i.test(name) ? "" : type && EXT[type] ? `.${EXT[type]}` : "";
    return `files/${table.name}/${key}${column}-${name}${ext}`;
  }
  return `files/${table.name}/${key}${column}.${(type && EXT[type]) ?? "bin"}`;
}

/** The archive's file name: `avtomektep-<slug>-<YYYY-MM-DD>.zip` (the Almaty date of the snapshot). */
export const archiveFileName = (slug: string, at: Date) => `avtomektep-${slug}-${almatyDate(at)}.zip`;

// ---------------------------------------------------------------------------------------------
// The zip's output: 1 MB chunks handed to `put` in order, with backpressure.

class ChunkSink extends Writable {
  private parts: Buffer[] = [];
  private size = 0;
  seq = 0;
  total = 0;
  readonly hash = createHash("sha256");

  constructor(private readonly put: (seq: number, content: Buffer) => Promise<void>) {
    super({ highWaterMark: CHUNK_BYTES });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.hash.update(chunk);
    this.total += chunk.length;
    this.parts.push(chunk);
    this.size += chunk.length;
    if (this.size < CHUNK_BYTES) {
      done();
      return;
    }
    this.flush(false).then(() => done(), done);
  }

  override _final(done: (err?: Error | null) => void): void {
    this.flush(true).then(() => done(), done);
  }

  private async flush(all: boolean): Promise<void> {
    let buf = Buffer.concat(this.parts);
    while (buf.length >= CHUNK_BYTES || (all && buf.length > 0)) {
      const piece = buf.subarray(0, CHUNK_BYTES);
      buf = buf.subarray(piece.length);
      await this.put(this.seq++, Buffer.from(piece));
    }
    this.parts = buf.length ? [buf] : [];
    this.size = buf.length;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading the school through cursors in the reader's snapshot

/** The one row a count or `now()` query returns. */
function one<T>(rows: T[]): T {
  if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}`);
  return rows[0]!;
}

const lit = (uuid: string) => {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(uuid))
    throw new Error(`not a uuid: ${uuid}`);
  return `'${uuid}'::uuid`;
};

/** A plain connection of the app role (the bytes go through node-postgres: no per-value conversions on the way). */
async function appConnection(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: config().appDatabaseUrl, application_name: "am-archive" });
  // A dropped connection fails the query in flight (and with it the build, which BullMQ retries); never the process.
  c.on("error", () => {});
  await c.connect();
  return c;
}

type Query = <T>(sql: string) => Promise<T[]>;

/** `FROM <table> x CROSS JOIN LATERAL (<columns in order, files as their size>) m WHERE <school> ORDER BY <key>` */
function rowsFrom(t: SchoolTable, schoolId: string, extra = ""): string {
  const cols = t.columns.map((c) =>
    t.blobs.includes(c.name) ? `octet_length(x.${ident(c.name)}) AS ${ident(c.name)}` : `x.${ident(c.name)}`,
  );
  const order = t.key.length ? t.key.map((k) => `x.${ident(k)}`).join(", ") : "x.ctid";
  return `FROM ${ident(t.name)} x CROSS JOIN LATERAL (SELECT ${cols.join(", ")}) m WHERE x.${t.schoolColumn} = ${lit(schoolId)}${extra} ORDER BY ${order}`;
}

async function* fetchAll<T>(q: Query, name: string, select: string, size = FETCH_ROWS): AsyncGenerator<T[]> {
  await q(`DECLARE ${name} NO SCROLL CURSOR FOR ${select}`);
  try {
    for (;;) {
      const rows = await q<T>(`FETCH ${size} FROM ${name}`);
      if (rows.length === 0) return;
      yield rows;
    }
  } finally {
    await q(`CLOSE ${name}`);
  }
}

/** The rows of one table as JSON Lines; a file column holds `{file, bytes}` (or null) instead of the bytes. */
async function* tableLines(
  q: Query,
  t: SchoolTable,
  schoolId: string,
  done: (n: number) => void,
): AsyncGenerator<Buffer> {
  for await (const rows of fetchAll<{ line: string }>(
    q,
    `c_${t.name}`,
    `SELECT row_to_json(m)::text AS line ${rowsFrom(t, schoolId)}`,
  )) {
    const lines =
      t.blobs.length === 0
        ? rows.map((r) => r.line)
        : rows.map((r) => {
            const row = JSON.parse(r.line) as Record<string, unknown>;
            for (const b of t.blobs) row[b] = row[b] === null ? null : { file: filePath(t, row, b), bytes: row[b] };
            return JSON.stringify(row);
          });
    yield Buffer.from(`${lines.join("\n")}\n`);
    done(rows.length);
  }
}

// ---------------------------------------------------------------------------------------------
// The build

export type BuildOutcome = "built" | "already" | "gone";

export async function buildArchive(archiveId: string): Promise<BuildOutcome> {
  const op = operatorDb();
  const started = await op.schoolArchive.updateMany({
    where: { id: archiveId, status: { in: ["queued", "building"] } },
    data: { status: "building", startedAt: new Date(), attempts: { increment: 1 }, progressDone: 0, error: null },
  });
  if (started.count === 0) return (await op.schoolArchive.count({ where: { id: archiveId } })) ? "already" : "gone";
  const archive = await op.schoolArchive.findUniqueOrThrow({ where: { id: archiveId } });
  const school = await op.school.findUniqueOrThrow({
    where: { id: archive.schoolId },
    select: { id: true, slug: true, name: true, binIin: true, status: true, trialEndsAt: true },
  });
  const requester = await op.user.findUnique({ where: { id: archive.requestedBy }, select: { fullName: true } });

  // The progress bar: written through the operator's pool, at most twice a second, never two writes at once.
  let progressDone = 0;
  let progressTotal = 0;
  let lastWrite = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const progress = (n: number, force = false) => {
    progressDone += n;
    const now = Date.now();
    if (!force && now - lastWrite < 500) return;
    lastWrite = now;
    const values = { progressDone: Math.min(progressDone, progressTotal), progressTotal };
    writing = writing
      .then(() => op.schoolArchive.updateMany({ where: { id: archiveId, status: "building" }, data: values }))
      .catch(() => {});
  };

  const writer = await appConnection();
  const files = await appConnection();
  try {
    await writer.query("BEGIN");
    await writer.query("SELECT set_config('app.school_id', $1, true)", [school.id]);
    // A second worker given the same job (a lock that expired under a busy event loop) stops instead of racing.
    const lock = await writer.query<{ ok: boolean }>(
      "SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok",
      [archiveId],
    );
    if (!lock.rows[0]?.ok) throw new Error(`archive ${archiveId} is being built by another worker`);
    const sink = new ChunkSink(async (seq, content) => {
      await writer.query(
        "INSERT INTO school_archive_chunk (archive_id, seq, school_id, content) VALUES ($1, $2, $3, $4)",
        [archiveId, seq, school.id, content],
      );
    });

    const snapshotAt = await appDb().$transaction(
      async (reader) => {
        // Must come before the first query of the transaction (the snapshot is taken there).
        await reader.$executeRawUnsafe("SET TRANSACTION READ ONLY");
        await switchScope(reader, { schoolId: school.id, userId: null });
        const { at, snapshot } = one(
          await reader.$queryRaw<{ at: Date; snapshot: string }[]>`
          SELECT date_trunc('milliseconds', now()) AS at, pg_export_snapshot() AS snapshot`,
        );
        // The cursors (rows and files) run on a plain connection that imports the same snapshot.
        await files.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        await files.query(`SET TRANSACTION SNAPSHOT '${snapshot.replace(/[^0-9A-F-]/gi, "")}'`);
        await files.query("SELECT set_config('app.school_id', $1, true)", [school.id]);
        const q: Query = async <T>(sql: string) => (await files.query(sql)).rows as T[];
        await writeZip(reader, q, {
          archiveId,
          school,
          requester: requester?.fullName ?? "—",
          requesterId: archive.requestedBy,
          via: archive.requestedVia,
          at,
          sink,
          progress,
          setTotal: (n) => (progressTotal = n),
        });
        await files.query("COMMIT");
        return at;
      },
      { isolationLevel: Prisma.TransactionIsolationLevel.RepeatableRead, timeout: BUILD_TIMEOUT_MS, maxWait: 60_000 },
    );

    progress(0, true);
    await writing;
    const readyAt = new Date();
    // Only an archive still being built becomes ready: one dropped meanwhile (the school's withdrawal took effect)
    // rolls back with its chunks.
    const marked = await writer.query(
      `UPDATE school_archive SET status = 'ready', ready_at = $2, expires_at = $3, file_name = $4, size_bytes = $5, sha256 = $6,
              chunk_count = $7, progress_done = $8, progress_total = $8 WHERE id = $1 AND status = 'building'`,
      [
        archiveId,
        readyAt,
        new Date(readyAt.getTime() + KEEP_DAYS * 86_400_000),
        archiveFileName(school.slug, snapshotAt),
        sink.total,
        sink.hash.digest("hex"),
        sink.seq,
        progressTotal,
      ],
    );
    if (marked.rowCount !== 1) {
      await writer.query("ROLLBACK");
      return "already";
    }
    await writer.query("INSERT INTO audit_log (school_id, action, details) VALUES ($1, 'archive.ready', $2)", [
      school.id,
      JSON.stringify({ archiveId, bytes: sink.total, chunks: sink.seq, snapshotAt: snapshotAt.toISOString() }),
    ]);
    await writer.query("COMMIT");
    return "built";
  } finally {
    // Anything unfinished rolls back with the connection: no half archive is ever stored.
    await Promise.all([writer.end().catch(() => {}), files.end().catch(() => {})]);
  }
}

type ZipFacts = {
  archiveId: string;
  school: {
    id: string;
    slug: string;
    name: string;
    binIin: string;
    status: SchoolCtx["status"];
    trialEndsAt: Date | null;
  };
  requester: string;
  requesterId: string;
  via: string;
  at: Date;
  sink: ChunkSink;
  progress: (n: number) => void;
  setTotal: (n: number) => void;
};

/** Writes the whole zip from the snapshot into the sink: rows and files through `q`, registers through `reader`. */
async function writeZip(reader: Tx, q: Query, f: ZipFacts): Promise<void> {
  const tables = await schoolTables(reader);
  const schoolId = f.school.id;
  const counts = new Map<string, number>();
  for (const t of tables) {
    counts.set(
      t.name,
      one(
        await q<{ n: number }>(
          `SELECT count(*)::int AS n FROM ${ident(t.name)} x WHERE x.${t.schoolColumn} = ${lit(schoolId)}`,
        ),
      ).n,
    );
  }
  const blobTables = tables.filter((t) => t.blobs.length > 0);
  let fileCount = 0;
  for (const t of blobTables) {
    fileCount += one(
      await q<{ n: number }>(
        `SELECT (${t.blobs.map((b) => `count(x.${ident(b)})`).join(" + ")})::int AS n FROM ${ident(t.name)} x WHERE x.${t.schoolColumn} = ${lit(schoolId)}`,
      ),
    ).n;
  }
  const groups = await reader.studyGroup.findMany({ select: { id: true }, orderBy: { number: "asc" } });
  const span = one(
    await reader.$queryRaw<
      { first: Date | null; last: Date | null }[]
    >`SELECT min(starts_at) AS first, max(starts_at) AS last FROM driving_lesson`,
  );
  const firstYear = span.first ? Number(almatyDate(span.first).slice(0, 4)) : 0;
  const years =
    span.first && span.last
      ? Array.from({ length: Number(almatyDate(span.last).slice(0, 4)) - firstYear + 1 }, (_, i) => firstYear + i)
      : [];
  const invoices = await reader.invoice.count();
  const users = `FROM app_user u CROSS JOIN LATERAL (SELECT u.id, u.email, u.full_name, u.phone, u.locale, u.created_at) m
    WHERE u.id IN (SELECT user_id FROM membership WHERE school_id = ${lit(schoolId)} UNION SELECT user_id FROM trainee_login WHERE school_id = ${lit(schoolId)})`;
  const userCount = one(await q<{ n: number }>(`SELECT count(*)::int AS n ${users}`)).n;
  const registersPerLocale = 2 + groups.length + years.length;
  f.setTotal(
    [...counts.values()].reduce((a, b) => a + b, 0) + userCount + fileCount + invoices + 2 * registersPerLocale,
  );

  const journal = await verifyJournal(reader, schoolId);

  const zip = new ZipArchive({ zlib: { level: 6 } });
  const written = pipeline(zip, f.sink);
  // The output failing (a chunk not written) ends the build at once instead of leaving an entry waiting.
  const outputFailed = written.then(() => new Promise<never>(() => {}));
  outputFailed.catch(() => {});
  const entries: Entry[] = [];
  const add = async (path: string, source: Buffer | AsyncIterable<Buffer>) => {
    const hash = createHash("sha256");
    let bytes = 0;
    const counted = async function* (pieces: AsyncIterable<Buffer>) {
      for await (const piece of pieces) {
        hash.update(piece);
        bytes += piece.length;
        yield piece;
      }
    };
    if (Buffer.isBuffer(source)) {
      hash.update(source);
      bytes = source.length;
    }
    // One entry at a time: the next source (and its cursor) starts only once this one is in the zip.
    const added = new Promise<void>((resolve, reject) => {
      const onEntry = () => (zip.off("error", onError), resolve());
      const onError = (e: Error) => (zip.off("entry", onEntry), reject(e));
      zip.once("entry", onEntry);
      zip.once("error", onError);
    });
    zip.append(Buffer.isBuffer(source) ? source : Readable.from(counted(source)), {
      name: path,
      date: f.at,
      store: STORED.test(path),
    });
    await Promise.race([added, outputFailed]);
    entries.push({ path, bytes, sha256: hash.digest("hex") });
  };

  await add("README.txt", Buffer.from(readme(f, journal)));

  for (const t of tables) await add(`data/${t.name}.jsonl`, tableLines(q, t, schoolId, f.progress));
  await add(
    "data/users.jsonl",
    (async function* () {
      for await (const rows of fetchAll<{ line: string }>(
        q,
        "c_users",
        `SELECT row_to_json(m)::text AS line ${users} ORDER BY u.id`,
      )) {
        yield Buffer.from(`${rows.map((r) => r.line).join("\n")}\n`);
        f.progress(rows.length);
      }
    })(),
  );

  for (const t of blobTables) {
    const raw = t.blobs.map((b, i) => `x.${ident(b)} AS __b${i}`).join(", ");
    const any = t.blobs.map((b) => `x.${ident(b)} IS NOT NULL`).join(" OR ");
    // As many rows at a time as fit in FILE_BATCH_BYTES by the table's largest file (a photo is ≤ 1 MB, an
    // attachment ≤ 5 MB): few round trips for many small files, never much in memory.
    const largest =
      one(
        await q<{ n: number | null }>(
          `SELECT max(greatest(${t.blobs.map((b) => `coalesce(octet_length(x.${ident(b)}), 0)`).join(", ")}))::int AS n FROM ${ident(t.name)} x WHERE x.${t.schoolColumn} = ${lit(schoolId)}`,
        ),
      ).n ?? 1;
    const batch = Math.max(1, Math.min(200, Math.floor(FILE_BATCH_BYTES / Math.max(largest * t.blobs.length, 1))));
    const select = `SELECT row_to_json(m)::text AS line, ${raw} ${rowsFrom(t, schoolId, ` AND (${any})`)}`;
    for await (const rows of fetchAll<Record<string, unknown> & { line: string }>(q, `f_${t.name}`, select, batch)) {
      for (const row of rows) {
        const meta = JSON.parse(row.line) as Record<string, unknown>;
        for (const [i, b] of t.blobs.entries()) {
          const content = row[`__b${i}`] as Buffer | null;
          if (!content) continue;
          await add(filePath(t, meta, b), content);
          f.progress(1);
        }
      }
    }
  }

  for (let after = ""; ; ) {
    const batch = await reader.invoice.findMany({
      where: { number: { gt: after } },
      include: { plan: true, planChange: { select: { fromPlan: true } } },
      orderBy: { number: "asc" },
      take: 50,
    });
    if (batch.length === 0) break;
    for (const inv of batch) {
      const doc = await invoiceDocument(inv);
      await add(`files/invoice/${safeFileName(doc.fileName)}`, Buffer.from(doc.base64, "base64"));
      f.progress(1);
    }
    after = batch.at(-1)!.number;
  }

  const ctx: SchoolCtx = { ...f.school, roles: ["director"] };
  for (const locale of ["kk", "ru"] as const) {
    const register = async (make: () => Promise<FileDownload>) => {
      const file = await make();
      await add(`registers/${locale}/${safeFileName(file.fileName)}`, Buffer.from(file.base64, "base64"));
      f.progress(1);
    };
    await register(() => registerXlsx(reader, locale, {}));
    for (const g of groups) await register(() => groupXlsx(reader, ctx, locale, g.id));
    for (const y of years)
      await register(() => lessonsXlsx(reader, ctx, f.requesterId, locale, { from: `${y}-01-01`, to: `${y}-12-31` }));
    await register(() => certificateRegisterXlsx(reader, locale, "all"));
  }

  const manifest = {
    format: ARCHIVE_FORMAT,
    archiveId: f.archiveId,
    school: { id: schoolId, slug: f.school.slug, name: f.school.name, binIin: f.school.binIin },
    snapshotAt: f.at.toISOString(),
    requestedBy: f.requester,
    requestedVia: f.via,
    tables: Object.fromEntries([...counts.entries(), ["users", userCount]]),
    journal,
    entries,
  };
  await add("manifest.json", Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  await zip.finalize();
  await written;
}

/** README.txt: the same text in Kazakh, then in Russian. */
function readme(f: ZipFacts, journal: JournalCheck): string {
  const part = (locale: Locale) => {
    const t = translator(locale);
    const check =
      journal.entries === 0 && journal.intact
        ? t("archive:readme.journalEmpty")
        : journal.intact
          ? t("archive:readme.journalIntact", { entries: journal.entries, hash: journal.lastHash })
          : t("archive:readme.journalBroken", { at: journal.brokenAt });
    const contents = t("archive:readme.contents", { returnObjects: true }) as unknown as string[];
    return [
      t("archive:readme.title", { school: f.school.name, bin: f.school.binIin }),
      t("archive:readme.made", {
        at: formatDateTime(f.at),
        by: f.requester,
        expires: formatDate(new Date(f.at.getTime() + KEEP_DAYS * 86_400_000)),
      }),
      "",
      t("archive:readme.contentsTitle"),
      ...contents.map((c) => `- ${c}`),
      "",
      t("archive:readme.journalTitle"),
      t("archive:readme.journal", { journal: check }),
      "",
      t("archive:readme.personalTitle"),
      t("archive:readme.personal"),
    ].join("\r\n");
  };
  return `${part("kk")}\r\n\r\n==========\r\n\r\n${part("ru")}\r\n`;
}
