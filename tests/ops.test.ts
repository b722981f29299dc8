// Operations (docs/decisions/022): what an operator's monitoring and support see. /metrics in Prometheus
// format, /readyz naming the dependency that failed, application_name on every connection, the request id
// in log lines, API errors and error pages, and the response headers (CSP with a nonce, HSTS over https only).
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { config, resetConfig, withDatabase } from "../server/config.ts";
import { appDb, disconnectDb, operatorDb, reportsDb } from "../server/db/client.ts";
import { disconnectRedis } from "../server/redis.ts";
import { freePort } from "../server/cli/services.ts";
import { migrate } from "../server/db/migrate.ts";
import { startSession } from "../server/auth/sessions.ts";
import { metricsAccess } from "../server/http/metrics.ts";
import { openQueues } from "../server/queues.ts";
import { runRelay } from "../jobs/relay.ts";
import { addOperator, createSchool, meta } from "./factories.ts";
import { startWebApp } from "./web.ts";
import { testState } from "./state.ts";

const root = path.resolve(import.meta.dirname, "..");
let base: string;
let close: () => Promise<void>;
let owner: pg.Client;

beforeAll(async () => {
  ({ base, close } = await startWebApp());
  owner = new pg.Client({ connectionString: testState.databaseUrl });
  await owner.connect();
});
afterAll(async () => {
  await close();
  await owner.end();
});

/** Sets environment variables for one block, re-reading the configuration before and after. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, val] of Object.entries(v))
      if (val === undefined) delete process.env[k];
      else process.env[k] = val;
    resetConfig();
  };
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(before);
  }
}

/** One sample of a metric from Prometheus text, by name and (a subset of) its labels. */
function sample(body: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of body.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

const scrape = async (headers: Record<string, string> = {}) => {
  const res = await fetch(`${base}/metrics`, { headers });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
};

describe("/metrics", () => {
  it("shows request durations by route template (never the raw URL), database pools, queue depth and outbox lag", async () => {
    const id = randomUUID();
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect((await fetch(`${base}/api/trpc/auth.me`)).status).toBe(200);
    expect((await fetch(`${base}/s/some-school/trainees/${id}/card.pdf`, { redirect: "manual" })).status).toBe(302);
    expect((await fetch(`${base}/no-such-page/${id}`)).status).toBe(404);
    await fetch(`${base}/s/another-school/trainees.data`, { redirect: "manual" }); // the router's data request for a page
    await appDb().$queryRaw`SELECT 1`;
    const queues = openQueues();
    const jobs = await Promise.all([1, 2].map((n) => queues.import.add("ops-test", {}, { jobId: `ops-${id}-${n}` })));
    await owner.query(
      "INSERT INTO outbox_event (queue, job_name, job_id, payload, created_at) VALUES ('mail', 'ops-test', $1, '{}', now() - interval '90 seconds')",
      [`ops-${id}`],
    );
    try {
      const body = await scrape();
      const requests = (route: string, status: string) =>
        sample(body, "am_http_request_duration_seconds_count", { method: "GET", route, status });
      expect(requests("routes/_index", "2xx")).toBeGreaterThanOrEqual(1);
      expect(requests("trpc:auth.me", "2xx")).toBeGreaterThanOrEqual(1);
      expect(requests("routes/s.$school.trainees.$id.card[.]pdf", "3xx")).toBeGreaterThanOrEqual(1);
      expect(requests("(unmatched)", "4xx")).toBeGreaterThanOrEqual(1);
      expect(
        sample(body, "am_http_request_duration_seconds_count", { route: "routes/s.$school.trainees._index" }),
      ).toBeGreaterThanOrEqual(1);
      expect(body).not.toContain("another-school");
      expect(body).not.toContain(id);
      expect(
        sample(body, "am_trpc_procedure_duration_seconds_count", { procedure: "auth.me", type: "query", code: "OK" }),
      ).toBeGreaterThanOrEqual(1);

      expect(sample(body, "am_db_pool_max", { pool: "app" })).toBe(config().DB_POOL_SIZE);
      expect(sample(body, "am_db_pool_connections", { pool: "app", state: "total" })).toBeGreaterThanOrEqual(1);
      expect(sample(body, "am_db_pool_waiting_clients", { pool: "app" })).toBe(0);

      expect(sample(body, "am_queue_metrics_ok")).toBe(1);
      expect(sample(body, "am_queue_jobs", { queue: "import", state: "waiting" })).toBe(2);
      expect(sample(body, "am_queue_jobs", { queue: "mail", state: "failed" })).toBe(0);

      expect(sample(body, "am_outbox_pending_events")).toBeGreaterThanOrEqual(1);
      expect(sample(body, "am_outbox_oldest_pending_age_seconds")).toBeGreaterThanOrEqual(90);
      expect(sample(body, "nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
    } finally {
      await Promise.all(jobs.map((j) => j.remove()));
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await owner.query("DELETE FROM outbox_event WHERE job_id = $1", [`ops-${id}`]);
    }
  });

  it("reads the queues from Redis at most once per METRICS_CACHE_MS, however often it is scraped", async () => {
    const queues = openQueues();
    const depth = async () => sample(await scrape(), "am_queue_jobs", { queue: "contract", state: "delayed" });
    try {
      await withEnv({ METRICS_CACHE_MS: "0" }, async () => expect(await depth()).toBe(0));
      await withEnv({ METRICS_CACHE_MS: "600000" }, async () => {
        expect(await depth()).toBe(0);
        await queues.contract.add("ops-test", {}, { jobId: `ops-${randomUUID()}`, delay: 3_600_000 });
        // Within the period the scrape answers from what it read, without asking Redis.
        expect(await depth()).toBe(0);
        expect(await depth()).toBe(0);
      });
      await withEnv({ METRICS_CACHE_MS: "0" }, async () => expect(await depth()).toBe(1));
    } finally {
      await queues.contract.obliterate({ force: true });
      await Promise.all(Object.values(queues).map((q) => q.close()));
    }
  });

  it("is not public: a bearer token when METRICS_TOKEN is set, else a direct connection from this machine, and never in production without a token", async () => {
    const viaProxy = await fetch(`${base}/metrics`, {
      headers: { "x-forwarded-for": "203.0.113.7", "accept-language": "ru" },
    });
    expect(viaProxy.status).toBe(403);
    expect(await viaProxy.text()).toBe("У вас нет прав на это действие");

    await withEnv({ METRICS_TOKEN: "ops-test-token-0123456789" }, async () => {
      const none = await fetch(`${base}/metrics`);
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toMatch(/^Bearer /);
      expect(
        (await fetch(`${base}/metrics`, { headers: { authorization: "Bearer ops-test-token-wrong" } })).status,
      ).toBe(401);
      const body = await scrape({
        authorization: "Bearer ops-test-token-0123456789",
        "x-forwarded-for": "203.0.113.7",
      });
      expect(body).toContain("# TYPE am_http_request_duration_seconds histogram");
    });

    const loopback = { headers: {}, socket: { remoteAddress: "127.0.0.1" } } as unknown as Parameters<
      typeof metricsAccess
    >[0];
    expect(metricsAccess(loopback, { token: undefined, production: false })).toBe(200);
    expect(metricsAccess(loopback, { token: undefined, production: true })).toBe(404);
  });
});

describe("/readyz and /healthz", () => {
  const readyz = async () => {
    const res = await fetch(`${base}/readyz`);
    return { status: res.status, body: (await res.json()) as { ok: boolean; checks: Record<string, string> } };
  };

  it("is ready when each database role's connection and Redis answer", async () => {
    expect(await readyz()).toEqual({
      status: 200,
      body: { ok: true, checks: { postgres_app: "ok", postgres_operator: "ok", redis: "ok" } },
    });
  });

  it("answers 503 naming Redis when Redis does not answer, while /healthz (liveness) stays 200", async () => {
    const closedPort = await freePort();
    await withEnv({ REDIS_URL: `redis://127.0.0.1:${closedPort}`, READYZ_TIMEOUT_MS: "500" }, async () => {
      await disconnectRedis();
      try {
        const { status, body } = await readyz();
        expect(status).toBe(503);
        expect(body.ok).toBe(false);
        expect(["failed", "timeout"]).toContain(body.checks.redis);
        expect(body.checks.postgres_app).toBe("ok");
        expect(body.checks.postgres_operator).toBe("ok");
        expect((await fetch(`${base}/healthz`)).status).toBe(200);
      } finally {
        await disconnectRedis();
      }
    });
    expect((await readyz()).status).toBe(200);
  });

  it("answers 503 naming the role whose database does not answer, and checks the reports replica when there is one", async () => {
    const broken = withDatabase(config().operatorDatabaseUrl, `am_missing_${randomUUID().slice(0, 8)}`);
    await disconnectDb();
    await withEnv({ OPERATOR_DATABASE_URL: broken }, async () => {
      const { status, body } = await readyz();
      expect(status).toBe(503);
      expect(body.checks).toEqual({ postgres_app: "ok", postgres_operator: "failed", redis: "ok" });
      await disconnectDb();
    });
    const replica = new URL(config().appDatabaseUrl);
    replica.searchParams.set("options", "-c default_transaction_read_only=on");
    await withEnv({ REPORTS_DATABASE_URL: replica.toString() }, async () => {
      expect((await readyz()).body.checks).toEqual({
        postgres_app: "ok",
        postgres_operator: "ok",
        postgres_reports: "ok",
        redis: "ok",
      });
      await disconnectDb();
    });
  });
});

/** application_name → usename of this database's sessions, as the (non-superuser) owner sees them. */
async function sessions(): Promise<Map<string, string>> {
  const { rows } = await owner.query<{ application_name: string; usename: string }>(
    "SELECT application_name, usename FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
  );
  return new Map(rows.map((r) => [r.application_name, r.usename]));
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function startProcess(
  file: string,
  env: Record<string, string | undefined>,
): { child: ChildProcess; output: string[]; stop: () => Promise<void> } {
  const output: string[] = [];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn", ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const child = spawn(process.execPath, ["--import", "tsx", file], {
    cwd: root,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => output.push(String(d)));
  child.stderr!.on("data", (d) => output.push(String(d)));
  const stop = () =>
    new Promise<void>((r) => (child.exitCode !== null ? r() : (child.once("exit", () => r()), child.kill("SIGTERM"))));
  return { child, output, stop };
}

describe("application_name on every connection", () => {
  it("names the web's pools, the reports pool and the relay's LISTEN connection in pg_stat_activity", async () => {
    const replica = new URL(config().appDatabaseUrl);
    replica.searchParams.set("options", "-c default_transaction_read_only=on");
    const queues = openQueues();
    const abort = new AbortController();
    await withEnv({ REPORTS_DATABASE_URL: replica.toString() }, async () => {
      await disconnectDb();
      await Promise.all([
        appDb().$queryRaw`SELECT 1`,
        operatorDb().$queryRaw`SELECT 1`,
        reportsDb().$queryRaw`SELECT 1`,
      ]);
      const relay = runRelay(queues, abort.signal);
      try {
        const seen = await until("the relay's connection", async () =>
          (await sessions()).has("am-relay") ? sessions() : undefined,
        );
        expect(seen.get("am-web-app")).toBe("avtomektep_app");
        expect(seen.get("am-web-operator")).toBe("avtomektep_operator");
        expect(seen.get("am-web-reports")).toBe("avtomektep_app");
        expect(seen.get("am-relay")).toBe("avtomektep_operator");
      } finally {
        abort.abort();
        await relay;
        await Promise.all(Object.values(queues).map((q) => q.close()));
        await disconnectDb();
      }
    });
  });

  it("names the migration's sessions am-migrate (seen waiting for a lock in pg_locks)", async () => {
    // One owner session holds the lock, the other watches (pg_stat_activity is a snapshot inside a transaction).
    const locker = new pg.Client({ connectionString: testState.databaseUrl });
    await locker.connect();
    await locker.query("BEGIN");
    await locker.query("LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE");
    const migration = migrate(testState.databaseUrl, {
      app: config().DB_APP_PASSWORD,
      operator: config().DB_OPERATOR_PASSWORD,
    });
    migration.catch(() => {});
    try {
      const waiting = await until("dbmate waiting for the lock", async () => {
        const { rows } = await owner.query<{ application_name: string }>(
          `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE NOT l.granted AND l.relation = 'schema_migrations'::regclass`,
        );
        return rows[0]?.application_name;
      });
      expect(waiting).toBe("am-migrate");
    } finally {
      await locker.query("ROLLBACK");
      await locker.end();
    }
    await migration;
  });

  it("names the worker's connections (started as `npm run worker` does, without AM_SERVICE), and its METRICS_PORT shows job durations", async () => {
    const port = await freePort();
    const worker = startProcess("jobs/worker.ts", { AM_SERVICE: undefined, METRICS_PORT: String(port) });
    try {
      const seen = await until("the worker's connections", async () => {
        const s = await sessions();
        return s.has("am-worker-operator") && s.has("am-relay") ? s : undefined;
      });
      expect(seen.get("am-worker-operator")).toBe("avtomektep_operator");

      const queues = openQueues();
      await queues.warnings.add("daily", {}, { jobId: `ops-${randomUUID()}` });
      await Promise.all(Object.values(queues).map((q) => q.close()));
      const metrics = await until("a finished job in the worker's metrics", async () => {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`);
        const body = await res.text();
        return sample(body, "am_job_duration_seconds_count", { queue: "warnings", outcome: "completed" })
          ? body
          : undefined;
      });
      expect(sample(metrics, "am_job_duration_seconds_count", { queue: "warnings", outcome: "completed" })).toBe(1);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    } finally {
      await worker.stop();
    }
  }, 60_000);
});

describe("the request id", () => {
  it("is taken from a sane X-Request-Id, made up otherwise, and returned on every response", async () => {
    const given = await fetch(`${base}/healthz`, { headers: { "x-request-id": "lb-7f3a9c21-0001" } });
    expect(given.headers.get("x-request-id")).toBe("lb-7f3a9c21-0001");
    for (const bad of [
      "with spaces in it",
      "x".repeat(200),
      "id%0d%0aSet-Cookie",
      "<script>alert(1)</script>",
      "short",
    ]) {
      const res = await fetch(`${base}/healthz`, { headers: { "x-request-id": bad } });
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
    const a = (await fetch(`${base}/healthz`)).headers.get("x-request-id");
    const b = (await fetch(`${base}/healthz`)).headers.get("x-request-id");
    expect(a).not.toBe(b);
  });

  it("is in the API's JSON errors, and in the message itself when the failure is ours", async () => {
    const res = await fetch(`${base}/api/trpc/signup.signUp`, {
      method: "POST",
      body: JSON.stringify({ json: { bin: 1 } }),
      headers: { "content-type": "application/json", cookie: "am_lang=ru" },
    });
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json.error.json.data.requestId).toBe(res.headers.get("x-request-id"));
    expect(json.error.json.message).not.toContain("Код ошибки");

    // A failure of ours: the operator's database is gone. The message itself carries the code.
    const operator = await addOperator("support");
    const cookie = (await startSession(operator.userId, meta)).cookie.split(";")[0]!;
    await disconnectDb();
    await withEnv(
      { OPERATOR_DATABASE_URL: withDatabase(config().operatorDatabaseUrl, `am_missing_${randomUUID().slice(0, 8)}`) },
      async () => {
        const failed = await fetch(`${base}/api/trpc/admin.settings`, { headers: { cookie } });
        expect(failed.status).toBe(500);
        const body = await failed.json();
        const id = failed.headers.get("x-request-id");
        expect(body.error.json.data.requestId).toBe(id);
        expect(body.error.json.message).toBe(
          `Бірдеңе дұрыс болмады. Біз бұл туралы білеміз; кейінірек қайталап көріңіз. Қолдау қызметіне арналған қате коды: ${id}`,
        );
        expect(JSON.stringify(body)).not.toContain(root);
        await disconnectDb();
      },
    );
  });

  it("is on a workspace error page (kk and ru) and a file download's refusal, which never show a stack", async () => {
    const s = await createSchool();
    const cookie = (await startSession(s.userId, meta)).cookie.split(";")[0]!;
    for (const [lang, notFound, code] of [
      ["ru", "Не найдено", "Код ошибки для поддержки: "],
      ["kk", "Табылмады", "Қолдау қызметіне арналған қате коды: "],
    ] as const) {
      await s.director.auth.setLocale({ locale: lang });
      const page = await fetch(`${base}/s/${s.slug}/trainees/not-a-uuid`, { headers: { cookie } });
      expect(page.status).toBe(404);
      const html = await page.text();
      const id = page.headers.get("x-request-id")!;
      expect(html).toContain(notFound);
      expect(html).toContain(code);
      expect(html).toContain(`<code>${id}</code>`);
      expect(html).not.toContain(root);

      const file = await fetch(`${base}/s/${s.slug}/trainees/not-a-uuid/card.pdf`, { headers: { cookie } });
      expect(file.status).toBe(404);
      expect(file.headers.get("content-type")).toBe("text/plain; charset=utf-8");
      expect(await file.text()).toBe(`${notFound}\n${code}${file.headers.get("x-request-id")}\n`);
    }
  });

  it("is in the answer to a body the server cannot read (Express's own error page would show a stack outside production)", async () => {
    const res = await fetch(`${base}/webhooks/stripe`, {
      method: "POST",
      body: "this is not gzip",
      headers: { "content-type": "application/json", "content-encoding": "gzip", "accept-language": "ru" },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(await res.text()).toBe(
      `Сервер не смог прочитать запрос. Обновите страницу и попробуйте ещё раз\nКод ошибки для поддержки: ${res.headers.get("x-request-id")}\n`,
    );
  });

  it("is in every log line written while the request is handled (the web process's own output)", async () => {
    const port = await freePort();
    const broken = withDatabase(config().operatorDatabaseUrl, `am_missing_${randomUUID().slice(0, 8)}`);
    const web = startProcess("server/web.ts", {
      PORT: String(port),
      OPERATOR_DATABASE_URL: broken,
      AM_SERVICE: undefined,
    });
    try {
      await until("the web process", () =>
        fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        ),
      );
      const res = await fetch(`http://127.0.0.1:${port}/readyz`, { headers: { "x-request-id": "support-case-4711" } });
      expect(res.status).toBe(503);
      const line = await until("the readiness warning in the log", async () =>
        web.output
          .join("")
          .split("\n")
          .map((l) => (l.startsWith("{") ? (JSON.parse(l) as Record<string, unknown>) : null))
          .find((l) => l?.msg === "readiness check failed"),
      );
      expect(line).toMatchObject({ reqId: "support-case-4711", service: "web", check: "postgres_operator" });
    } finally {
      await web.stop();
    }
  }, 60_000);
});

describe("security headers", () => {
  it("sends a Content-Security-Policy whose fresh nonce is on every inline script of the page", async () => {
    const pages = await Promise.all([fetch(`${base}/login`), fetch(`${base}/login`)]);
    const nonces = await Promise.all(
      pages.map(async (res) => {
        const csp = res.headers.get("content-security-policy")!;
        expect(csp).toContain("default-src 'self'");
        expect(csp).toContain("object-src 'none'");
        expect(csp).toContain("frame-ancestors 'none'");
        const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)![1]!;
        const scripts = [...(await res.text()).matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
        expect(scripts.length).toBeGreaterThan(1);
        for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
        return nonce;
      }),
    );
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it("sends HSTS only when the browser came over https: PUBLIC_URL https, or X-Forwarded-Proto https from a trusted proxy", async () => {
    const hsts = async (headers: Record<string, string> = {}) =>
      (await fetch(`${base}/login`, { headers })).headers.get("strict-transport-security");
    expect(await hsts()).toBeNull();
    expect(await hsts({ "x-forwarded-proto": "https" })).toBe("max-age=31536000");
    await withEnv({ PUBLIC_URL: "https://avtomektep.example.kz" }, async () => {
      expect(await hsts()).toBe("max-age=31536000");
      expect(await hsts({ "x-forwarded-proto": "http" })).toBeNull();
    });
  });
});
