// `npm run bench`: the trainee list and search at 200,000 trainees in one school, through the real
// tRPC procedure (session, RLS transaction, Prisma) on real PostgreSQL. Reports, doesn't assert.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { benchDatabase } from "./database.ts";
import { makeBin, makeIin } from "../../domain/kz/iin.ts";
import { percentile, recordFigures, type BenchFigure } from "./report.ts";

const N = Number(process.env.BENCH_TRAINEES ?? 200_000);
const RUNS = 40;

const { url, services } = await benchDatabase("am_bench_trainees");

const owner = new pg.Client({ connectionString: url });
await owner.connect();
const schoolId = randomUUID();
const userId = randomUUID();
await owner.query(
  `INSERT INTO school (id, slug, name, kind, bin_iin, director_name, phone, email, status) VALUES ($1, 'bench', 'Bench', 'legal_entity', $2, 'Director', '+77010000000', 'bench@test.kz', 'active')`,
  [schoolId, makeBin("2001", 1)],
);
// two directors: one reads Kazakh, one Russian (the list's order follows the reader's language)
const userRu = randomUUID();
for (const [id, locale] of [
  [userId, "kk"],
  [userRu, "ru"],
] as const) {
  await owner.query(`INSERT INTO app_user (id, email, full_name, locale) VALUES ($1, $2, 'Bench Director', $3)`, [
    id,
    `bench-${locale}@test.kz`,
    locale,
  ]);
  await owner.query(`INSERT INTO membership (id, school_id, user_id, role) VALUES ($1, $2, $3, 'director')`, [
    randomUUID(),
    schoolId,
    id,
  ]);
}

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
  "Сидоров",
  "Тұрсынов",
  "Омаров",
];
const FIRST = ["Арман", "Данияр", "Айгерім", "Дана", "Мария", "Әсел", "Ерлан", "Тимур", "Жанар", "Ольга"];
const STATUSES = ["applicant", "enrolled", "training", "exams", "graduated"];
const t0 = Date.now();
const seen = new Set<string>();
for (let start = 0; start < N; start += 5000) {
  const values: unknown[] = [];
  const rows: string[] = [];
  for (let k = start; k < Math.min(N, start + 5000); k++) {
    let iin: string;
    let serial = k;
    do {
      const year = 1960 + (serial % 45);
      const date = `${year}-${String((serial % 12) + 1).padStart(2, "0")}-${String(((serial >> 4) % 28) + 1).padStart(2, "0")}`;
      iin = makeIin(date, serial % 2 ? "female" : "male", (serial * 7) % 9000);
      serial += 100_003;
    } while (seen.has(iin));
    seen.add(iin);
    const i = values.length;
    rows.push(
      `($${i + 1}, $${i + 2}, $${i + 3}, $${i + 4}, $${i + 5}, $${i + 6}::date, $${i + 7}::sex, $${i + 8}, 'B', $${i + 9}::trainee_status)`,
    );
    values.push(
      randomUUID(),
      schoolId,
      iin,
      `${LAST[k % LAST.length]}${k % 7 ? "" : "а"}`,
      FIRST[(k >> 3) % FIRST.length],
      `${iin.slice(0, 2)}`.startsWith("0")
        ? `20${iin.slice(0, 2)}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`
        : `19${iin.slice(0, 2)}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`,
      Number(iin[6]) % 2 ? "male" : "female",
      `+7707${String(k).padStart(7, "0")}`,
      STATUSES[k % STATUSES.length],
    );
  }
  await owner.query(
    `INSERT INTO trainee (id, school_id, iin, last_name, first_name, birth_date, sex, phone, category, status) VALUES ${rows.join(",")}`,
    values,
  );
}
// what autovacuum does after a load this size: statistics, and the visibility map the index-only scans of the
// search words rely on
await owner.query("VACUUM ANALYZE trainee");
await owner.query("VACUUM ANALYZE trainee_search_word");
await owner.end();
console.log(`loaded ${N} trainees in one school in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const { startSession } = await import("../../server/auth/sessions.ts");
const { createContext } = await import("../../server/trpc.ts");
const { createCaller } = await import("../../server/router.ts");
const { disconnectDb } = await import("../../server/db/client.ts");
const { disconnectRedis } = await import("../../server/redis.ts");
const { cookie } = await startSession(userId, { ip: "127.0.0.1", userAgent: "bench" });
const caller = createCaller(
  await createContext({
    cookieHeader: cookie.split(";")[0]!,
    acceptLanguage: null,
    ip: "127.0.0.1",
    userAgent: "bench",
    setCookie: () => {},
  }),
);

const ru = await startSession(userRu, { ip: "127.0.0.1", userAgent: "bench" });
const callerRu = createCaller(
  await createContext({
    cookieHeader: ru.cookie.split(";")[0]!,
    acceptLanguage: null,
    ip: "127.0.0.1",
    userAgent: "bench",
    setCookie: () => {},
  }),
);

const figures: BenchFigure[] = [];
/** One client, one request at a time: the cost of the query itself at this size. */
async function measure(name: string, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn(i);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    await fn(i);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  figures.push(
    { bench: `trainees-${N / 1000}k`, what: `${name}: p50`, value: percentile(times, 50), unit: "ms" },
    { bench: `trainees-${N / 1000}k`, what: `${name}: p95`, value: percentile(times, 95), unit: "ms" },
  );
}

let cursor: string | undefined;
await measure("list, first page (25, with total)", () => caller.trainees.list({ school: "bench" }));
await measure("list, following pages by keyset", async () => {
  const page = await caller.trainees.list({ school: "bench", cursor });
  cursor = page.nextCursor ?? undefined;
});
await measure("filter by status", () => caller.trainees.list({ school: "bench", status: "training" }));
await measure("search by part of a surname ('жумаб')", () => caller.trainees.list({ school: "bench", q: "жумаб" }));
await measure("search by part of a surname, filtered by status ('жумаб', training)", () =>
  caller.trainees.list({ school: "bench", q: "жумаб", status: "training" }),
);
await measure("search by part of a surname, newest first ('жумаб')", () =>
  caller.trainees.list({ school: "bench", q: "жумаб", sort: "newest" }),
);
await measure("search by a rare name part ('байжановa' miss)", () =>
  caller.trainees.list({ school: "bench", q: "байжановх" }),
);
await measure("search by IIN prefix (8 digits)", (i) =>
  caller.trainees.list({ school: "bench", q: [...seen][i * 997]!.slice(0, 8) }),
);
await measure("search by phone digits", (i) =>
  caller.trainees.list({ school: "bench", q: `707${String(i * 1234).padStart(7, "0")}` }),
);
await measure("search by the phone as the list shows it ('+7 707 000 12 34')", (i) =>
  caller.trainees.list({
    school: "bench",
    q: `+7 707 ${String(i * 1234)
      .padStart(7, "0")
      .replace(/^(\d{3})(\d{2})(\d{2})$/, "$1 $2 $3")}`,
  }),
);
await measure("search by full name, first name first ('Дана Нұрланов')", () =>
  caller.trainees.list({ school: "bench", q: "Дана Нұрланов" }),
);
await measure("search without Kazakh letters ('НУРЛАНОВ ДАНА')", () =>
  caller.trainees.list({ school: "bench", q: "НУРЛАНОВ ДАНА" }),
);
await measure("search in Latin letters ('Nurlanov Dana')", () =>
  caller.trainees.list({ school: "bench", q: "Nurlanov Dana" }),
);
await measure("list by name for a Kazakh reader, Russian reader (alternating)", (i) =>
  (i % 2 ? caller : callerRu).trainees.list({ school: "bench" }),
);
console.log(`${N} trainees in one school, one client, through the procedure (no HTTP):`);
await recordFigures(figures);
await disconnectDb();
await disconnectRedis();
await services.stop();
