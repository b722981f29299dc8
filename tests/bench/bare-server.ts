// The yardstick for the HTTP bench: a bare Node `http` server with a `pg` pool, as the app role, doing each hot
// procedure in ONE round trip — one named prepared statement calling the procedure's function of
// tests/bench/bare.sql, which proves the session, enters the school (row-level security scoped by
// app_enter_session, as the app does) and runs the procedure's SQL, answering JSON. No framework, no ORM, no
// rate limiter. Run as a child process by tests/bench/http.ts: BARE_DB_URL, PORT, DB_POOL_SIZE.
import http from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.BARE_DB_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });

/** Each route: its function and the query parameters it takes after the session and the school. */
const routes: Record<string, { sql: string; params: string[] }> = {
  list: { sql: "SELECT bench.list($1, $2, $3) AS r", params: ["status"] },
  search: { sql: "SELECT bench.search($1, $2, $3) AS r", params: ["q"] },
  card: { sql: "SELECT bench.card($1, $2, $3::uuid) AS r", params: ["id"] },
  lessons: { sql: "SELECT bench.lessons($1, $2, $3::timestamptz, $4::timestamptz) AS r", params: ["from", "to"] },
};

async function handle(req: http.IncomingMessage): Promise<[number, unknown]> {
  const url = new URL(req.url ?? "/", "http://x");
  const name = url.pathname.slice(1);
  const route = routes[name];
  if (!route) return [404, { error: "not found" }];
  const sessionId = /(?:^|;\s*)am_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
  if (!sessionId) return [401, { error: "unauthorized" }];
  const values = [sessionId, url.searchParams.get("school"), ...route.params.map((p) => url.searchParams.get(p))];
  const { rows } = await pool.query({ name: `bench_${name}`, text: route.sql, values });
  const r = rows[0].r as { status: number } | null;
  return r ? [r.status, r] : [404, { error: "not found" }];
}

const server = http.createServer((req, res) => {
  handle(req)
    .then(([status, body]) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    })
    .catch((e: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: String(e) }));
    });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), "127.0.0.1", () => console.log("listening"));
process.on("SIGTERM", () => server.close(() => pool.end().then(() => process.exit(0))));
