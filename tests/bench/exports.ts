// `npm run bench` (part 5): the XLSX exports of a big school through the real tRPC procedures (session,
// the school's RLS transaction, Prisma, ExcelJS): the trainee register of 10,000 trainees (aim: under
// 5 s) and the driving lessons journal of a year. The school is filled like a working one: groups,
// contracts, two payments per trainee, 2 lessons each with instructors and cars. Reports, doesn't
// assert; each file is read back once to check it holds every row. BENCH_EXPORT_TRAINEES scales it.
import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import pg from "pg";
import { benchDatabase } from "./database.ts";
import { percentile, recordFigures, type BenchFigure } from "./report.ts";
import { makeBin, makeIin } from "../../domain/kz/iin.ts";

const N = Number(process.env.BENCH_EXPORT_TRAINEES ?? 10_000);
const RUNS = Number(process.env.BENCH_EXPORT_RUNS ?? 5);
const GROUPS = 40;
const STAFF = 12;

const { url, services } = await benchDatabase("am_bench_exports");
const owner = new pg.Client({ connectionString: url });
await owner.connect();
const schoolId = randomUUID();
const directorId = randomUUID();
const t0 = Date.now();
await owner.query(
  `INSERT INTO school (id, slug, name, kind, bin_iin, director_name, phone, email, status) VALUES ($1, 'export-bench', 'Автомектеп «Жол»', 'legal_entity', $2, 'Директор', '+77010000000', 'export@bench.kz', 'active')`,
  [schoolId, makeBin("2002", 1)],
);
await owner.query(`INSERT INTO app_user (id, email, full_name) VALUES ($1, 'export@bench.kz', 'Сәуле Директорова')`, [
  directorId,
]);
await owner.query(`INSERT INTO membership (id, school_id, user_id, role) VALUES ($1, $2, $3, 'director')`, [
  randomUUID(),
  schoolId,
  directorId,
]);
// Instructors and their cars.
const instructors = Array.from({ length: STAFF }, () => randomUUID());
const vehicles = Array.from({ length: STAFF }, () => randomUUID());
for (let k = 0; k < STAFF; k++) {
  await owner.query(`INSERT INTO app_user (id, email, full_name) VALUES ($1, $2, $3)`, [
    instructors[k],
    `instr${k}@bench.kz`,
    `Нұрлан Нұсқаушы ${k}`,
  ]);
  await owner.query(`INSERT INTO membership (id, school_id, user_id, role) VALUES ($1, $2, $3, 'instructor')`, [
    randomUUID(),
    schoolId,
    instructors[k],
  ]);
  await owner.query(
    `INSERT INTO vehicle (id, school_id, plate, make_model, category, gearbox) VALUES ($1, $2, $3, 'Chevrolet Cobalt', 'B', $4::gearbox)`,
    [vehicles[k], schoolId, `${String(100 + k).padStart(3, "0")} ABC 02`, k % 3 ? "manual" : "automatic"],
  );
}
await owner.query(
  `INSERT INTO study_group (id, school_id, number, category, starts_on, ends_on)
   SELECT gen_random_uuid(), $1, 'B-' || g || '/2026', 'B', DATE '2026-01-10' + g * 7, DATE '2026-04-10' + g * 7 FROM generate_series(1, $2::int) g`,
  [schoolId, GROUPS],
);
const groups = (
  await owner.query(`SELECT id FROM study_group WHERE school_id = $1 ORDER BY number`, [schoolId])
).rows.map((r) => r.id as string);

const LAST = [
  "Ахметов",
  "Серікбаев",
  "Иванов",
  "Нұрланов",
  "Жумабеков",
  "Ким",
  "Оспанов",
  "Петров",
  "Қасымов",
  "Әлиев",
  "Смағұлов",
  "Байжанов",
];
const FIRST = ["Арман", "Данияр", "Айгерім", "Дана", "Мария", "Әсел", "Ерлан", "Тимур", "Жанар", "Ольга"];
const MIDDLE = ["Серікұлы", "Иванович", "Асқарқызы", null];
const STATUSES = ["applicant", "enrolled", "training", "exams", "graduated"];
const trainees: string[] = [];
const seen = new Set<string>();
for (let start = 0; start < N; start += 2000) {
  const values: unknown[] = [];
  const rows: string[] = [];
  for (let k = start; k < Math.min(N, start + 2000); k++) {
    let iin: string;
    let serial = k;
    let date: string;
    do {
      date = `${1965 + (serial % 40)}-${String((serial % 12) + 1).padStart(2, "0")}-${String(((serial >> 4) % 28) + 1).padStart(2, "0")}`;
      iin = makeIin(date, serial % 2 ? "female" : "male", (serial * 7) % 9000);
      serial += 100_003;
    } while (seen.has(iin));
    seen.add(iin);
    const id = randomUUID();
    trainees.push(id);
    const price = 18_500_000 + (k % 5) * 1_000_000; // 185 000 – 225 000 ₸, in tiyn
    const paid = k % 4 === 0 ? 0 : Math.round((price * (k % 4)) / 4);
    const v = [
      id,
      schoolId,
      iin,
      LAST[k % LAST.length],
      FIRST[(k >> 3) % FIRST.length],
      MIDDLE[k % MIDDLE.length],
      `TRAINEE ${k}`,
      date,
      Number(iin[6]) % 2 ? "male" : "female",
      `+7707${String(k).padStart(7, "0")}`,
      STATUSES[k % STATUSES.length],
      k % 3 ? "manual" : "automatic",
      `Д-${String(k + 1).padStart(6, "0")}`,
      price,
      paid,
      groups[k % GROUPS],
      `2027-${String((k % 12) + 1).padStart(2, "0")}-15`,
    ];
    const i = values.length;
    rows.push(`(${v.map((_, c) => `$${i + c + 1}`).join(", ")})`);
    values.push(...v);
  }
  await owner.query(
    `INSERT INTO trainee (id, school_id, iin, last_name, first_name, middle_name, latin_name, birth_date, sex, phone, category, status, gearbox,
       contract_number, contract_price_tiyn, paid_tiyn, group_id, medical_cert_valid_until)
     SELECT id::uuid, school_id::uuid, iin, last_name, first_name, middle_name, latin_name, birth_date::date, sex::sex, phone, 'B', status::trainee_status,
       gearbox::gearbox, contract_number, contract_price_tiyn::bigint, paid_tiyn::bigint, group_id::uuid, medical_cert_valid_until::date
     FROM (VALUES ${rows.join(", ")}) AS v (id, school_id, iin, last_name, first_name, middle_name, latin_name, birth_date, sex, phone, status, gearbox,
       contract_number, contract_price_tiyn, paid_tiyn, group_id, medical_cert_valid_until)`,
    values,
  );
}
// Payments: the paid amount in two instalments (trainee.paid_tiyn is their sum, as the app keeps it).
await owner.query(
  `INSERT INTO trainee_payment (id, school_id, trainee_id, amount_tiyn, paid_on, note, created_by)
   SELECT gen_random_uuid(), school_id, id, part, DATE '2026-02-01' + (n * 30), 'Kaspi', $2
   FROM trainee, LATERAL (VALUES (1, paid_tiyn / 2), (2, paid_tiyn - paid_tiyn / 2)) AS p (n, part)
   WHERE school_id = $1 AND paid_tiyn > 0`,
  [schoolId, directorId],
);
// Two 90-minute driving lessons per trainee, months apart: instructor k with car k, one slot after another.
await owner.query(
  `INSERT INTO driving_lesson (id, school_id, trainee_id, instructor_id, vehicle_id, starts_at, ends_at, status, booked_by, marked_by, marked_at)
   SELECT gen_random_uuid(), $1, t.id, (($3::uuid[])[1 + s % $5]), (($4::uuid[])[1 + s % $5]),
     TIMESTAMPTZ '2026-01-12 09:00+05' + (s / $5) * interval '2 hours', TIMESTAMPTZ '2026-01-12 10:30+05' + (s / $5) * interval '2 hours',
     CASE WHEN s % 7 = 0 THEN 'missed' ELSE 'done' END::lesson_status, $2, $2, TIMESTAMPTZ '2026-01-12 11:00+05' + (s / $5) * interval '2 hours'
   FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS r FROM trainee WHERE school_id = $1) t, LATERAL (VALUES (t.r::int), (t.r::int + $6::int)) AS l (s)`,
  [schoolId, directorId, instructors, vehicles, STAFF, N],
);
await owner.query("ANALYZE");
const count = async (sql: string) => Number((await owner.query(sql, [schoolId])).rows[0].n);
const payments = await count("SELECT count(*) AS n FROM trainee_payment WHERE school_id = $1");
const lessons = await count("SELECT count(*) AS n FROM driving_lesson WHERE school_id = $1");
const lessonRange = (
  await owner.query(
    `SELECT to_char(min(starts_at) AT TIME ZONE 'Asia/Almaty', 'YYYY-MM-DD') AS "from", to_char(max(starts_at) AT TIME ZONE 'Asia/Almaty', 'YYYY-MM-DD') AS "to" FROM driving_lesson WHERE school_id = $1`,
    [schoolId],
  )
).rows[0] as { from: string; to: string };
await owner.end();
console.log(
  `loaded ${N} trainees, ${payments} payments, ${lessons} lessons (${lessonRange.from} – ${lessonRange.to}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
);

const { startSession } = await import("../../server/auth/sessions.ts");
const { createContext } = await import("../../server/trpc.ts");
const { createCaller } = await import("../../server/router.ts");
const { disconnectDb } = await import("../../server/db/client.ts");
const { disconnectRedis } = await import("../../server/redis.ts");
const { cookie } = await startSession(directorId, { ip: "127.0.0.1", userAgent: "bench" });
const caller = createCaller(
  await createContext({
    cookieHeader: cookie.split(";")[0]!,
    acceptLanguage: null,
    ip: "127.0.0.1",
    userAgent: "bench",
    setCookie: () => {},
  }),
);

/** The file's data rows (below the header), read back with ExcelJS. */
async function dataRows(base64: string): Promise<number> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(base64, "base64") as unknown as ArrayBuffer);
  return wb.worksheets[0]!.actualRowCount - 1;
}

const figures: BenchFigure[] = [];
async function measure(name: string, rows: number, target: number | null, fn: () => Promise<{ base64: string }>) {
  const rssBefore = process.memoryUsage().rss;
  const first = await fn(); // warm-up; its file is the one checked, after the timing
  const times: number[] = [];
  let rss = process.memoryUsage().rss;
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
    rss = Math.max(rss, process.memoryUsage().rss);
  }
  const got = await dataRows(first.base64);
  if (got !== rows) throw new Error(`${name}: the file has ${got} rows, expected ${rows}`);
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  const full = N === 10_000;
  figures.push(
    {
      bench: "exports",
      what: `${name}: p50 of ${RUNS}`,
      value: p50 / 1000,
      unit: "s",
      ...(target !== null && full ? { target: `< ${target} s`, met: p50 < target * 1000 } : {}),
    },
    { bench: "exports", what: `${name}: slowest of ${RUNS}`, value: times[times.length - 1]! / 1000, unit: "s" },
    { bench: "exports", what: `${name}: file size`, value: (first.base64.length * 3) / 4 / 2 ** 20, unit: "MB" },
    { bench: "exports", what: `${name}: process memory (RSS) grew by`, value: (rss - rssBefore) / 2 ** 20, unit: "MB" },
  );
  // What the export costs a web process in memory: RSS before its first run and at its peak.
  console.log(
    `${name}: ${times.map((t) => (t / 1000).toFixed(2)).join(", ")} s; process RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rss / 2 ** 20).toFixed(0)} MB`,
  );
}

await measure(`trainee register, ${N} trainees (XLSX)`, N, 5, () =>
  caller.exports.register({ school: "export-bench", lang: "kk" }),
);
await measure(`driving lessons journal, ${lessons} lessons (XLSX)`, lessons, null, () =>
  caller.exports.lessons({ school: "export-bench", from: lessonRange.from, to: lessonRange.to, lang: "ru" }),
);
console.log(`${N} trainees in one school, one client, through the procedure (no HTTP):`);
await recordFigures(figures);
await disconnectDb();
await disconnectRedis();
await services.stop();
process.exit(0);
