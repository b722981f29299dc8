// The bench's tenants at scale, shared by the HTTP parts (tests/bench/http.ts, tests/bench/pages.ts): the
// database am_bench_http with 200 schools × 1000 trainees × 2 lessons (tests/bench/generate.ts), signed-in
// directors' session cookies, and the web process spawned as `npm start` runs it. BENCH_SCHOOLS,
// BENCH_TRAINEES_PER_SCHOOL, BENCH_SEED shape the data; BENCH_REUSE=1 keeps the previous run's database
// when its shape matches (the first load of 200,000 trainees takes minutes).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { freePort, type Services } from "../../server/cli/services.ts";
import { withDatabase } from "../../server/config.ts";
import { migrate } from "../../server/db/migrate.ts";
import { loadTenants, type BenchSchool, type Shape } from "./generate.ts";

const root = path.resolve(import.meta.dirname, "../..");
const env = process.env;
export const SHAPE: Shape = {
  schools: Number(env.BENCH_SCHOOLS ?? 200),
  traineesPerSchool: Number(env.BENCH_TRAINEES_PER_SCHOOL ?? 1000),
  lessonsPerTrainee: 2,
  instructorsPerSchool: 5,
  seed: Number(env.BENCH_SEED ?? 20261125),
};
export const PASSWORDS = { app: "avtomektep_app_dev", operator: "avtomektep_operator_dev" };
const DB = process.env.BENCH_DB ?? "am_bench_http";
const shapeTag = JSON.stringify(SHAPE);

/** The bench database's owner URL on `services`. */
export const tenantsUrl = (services: Services) => withDatabase(services.databaseUrl, DB);

/** The tenants: loaded afresh, or — with BENCH_REUSE and the same shape — read back from the last run. */
export async function prepare(services: Services): Promise<BenchSchool[]> {
  const url = tenantsUrl(services);
  const admin = new pg.Client({ connectionString: services.databaseUrl });
  await admin.connect();
  const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [DB])).rowCount === 1;
  if (exists && env.BENCH_REUSE) {
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    const tag = await db
      .query("SELECT obj_description('school'::regclass) AS tag")
      .catch(() => ({ rows: [{ tag: null }] }));
    await db.end();
    if (tag.rows[0].tag === shapeTag) {
      await admin.end();
      await migrate(url, PASSWORDS); // the code may have brought migrations since
      console.log("reusing the previous run's database (BENCH_REUSE)");
      return readTenants(url);
    }
  }
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.end();
  await migrate(url, PASSWORDS);
  const t0 = Date.now();
  const schools = await loadTenants(url, SHAPE);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(`COMMENT ON TABLE school IS '${shapeTag}'`);
  await db.end();
  const n = SHAPE.schools * SHAPE.traineesPerSchool;
  console.log(
    `loaded ${SHAPE.schools} schools, ${n} trainees, ${n * SHAPE.lessonsPerTrainee} lessons in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  return schools;
}

/** The same view of the tenants as loadTenants returns, read back from a kept database. */
async function readTenants(url: string): Promise<BenchSchool[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const { rows } = await db.query(`
    SELECT s.id, s.slug,
           (SELECT user_id FROM membership WHERE school_id = s.id AND role = 'director' LIMIT 1) AS director_id,
           (SELECT array_agg(user_id ORDER BY user_id) FROM membership WHERE school_id = s.id AND role = 'instructor') AS instructor_ids,
           (SELECT json_agg(json_build_object('id', id, 'iin', iin, 'lastName', last_name))
              FROM (SELECT id, iin, last_name FROM trainee WHERE school_id = s.id ORDER BY id LIMIT 20) t) AS trainees
      FROM school s ORDER BY s.slug`);
  await db.end();
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    directorId: r.director_id,
    instructorIds: r.instructor_ids,
    trainees: r.trainees,
  }));
}

/** A signed-in session of each school's director, as the cookie a browser sends. */
export async function directorCookies(url: string, schools: BenchSchool[]): Promise<string[]> {
  const owner = new pg.Client({ connectionString: url });
  await owner.connect();
  const cookies: string[] = [];
  for (const school of schools) {
    const id = randomBytes(20).toString("hex");
    await owner.query(
      "INSERT INTO session (id, user_id, expires_at, ip, user_agent) VALUES ($1, $2, now() + interval '30 days', '127.0.0.1', 'bench')",
      [id, school.directorId],
    );
    cookies.push(`am_session=${id}`);
  }
  await owner.end();
  return cookies;
}

/** `output`: the last things the process wrote (its warnings, a crash), for when a run goes wrong. */
export type Server = { base: string; child: ChildProcess; stop: () => Promise<void>; output: () => string };

/** Starts `file` (under tsx when it is TypeScript) on a free port and waits until `ready` answers. */
export async function spawnServer(
  file: string,
  extraEnv: Record<string, string>,
  ready: (base: string) => Promise<boolean>,
  nodeArgs: string[] = [],
): Promise<Server> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const loader = file.endsWith(".ts") ? ["--import", "tsx"] : [];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, file], {
    cwd: root,
    env: { ...env, ...extraEnv, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (d: unknown) => output.push(String(d)) > 200 && output.shift();
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const until = Date.now() + 60_000;
  while (!(await ready(base).catch(() => false))) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`${file} did not start:\n${output.join("")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    child,
    output: () => output.join(""),
    stop: () =>
      new Promise<void>((r) =>
        child.exitCode !== null ? r() : (child.once("exit", () => r()), child.kill("SIGTERM")),
      ),
  };
}

/** The web process's environment as production has it, on the bench database, with a pool of `pool`. */
export function webEnv(services: Services, pool: string): Record<string, string> {
  return {
    NODE_ENV: "production",
    // The developer's database roles have the dev passwords: start anyway (server/secrets.ts).
    AM_ALLOW_DEV_SECRETS: "1",
    DATABASE_URL: tenantsUrl(services),
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: `ambench-http-${randomBytes(3).toString("hex")}`,
    PUBLIC_URL: "http://127.0.0.1",
    LOG_LEVEL: "warn",
    DB_POOL_SIZE: pool,
    // The limiter stays on (its Redis round trip is part of every request) with limits the bench won't reach.
    API_RATE_PER_USER: "1000000000",
    API_RATE_PER_IP: "1000000000",
  };
}

/**
 * `clients` clients at a steady pace: each sends a request every `paceMs` whether or not the last one is back
 * (open loop), and latency counts from when the request was due, so a stall shows in full. Clients start spread
 * over one interval, as people do, not all on the same millisecond. `send(c, i)` makes client c's i-th request
 * and is given the latency when it is answered; the returned promise settles when every request has.
 */
export async function openLoop<T>(
  opts: { clients: number; paceMs: number; seconds: number },
  send: (c: number, i: number) => Promise<T>,
  answered: (c: number, i: number, latencyMs: number, result: T) => void,
): Promise<void> {
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  await Promise.all(
    Array.from({ length: opts.clients }, async (_, c) => {
      for (let i = 0; ; i++) {
        const due = start + (c / opts.clients) * opts.paceMs + i * opts.paceMs;
        if (due > start + opts.seconds * 1000) break;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        inFlight.push(send(c, i).then((result) => answered(c, i, performance.now() - due, result)));
      }
    }),
  );
  await Promise.all(inFlight);
}
