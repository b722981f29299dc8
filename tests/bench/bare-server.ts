// The yardstick for the HTTP bench: a bare Node `http` server with a `pg` pool, as the app role,
// doing what a hand-written handler with the same guarantees would do for each hot procedure — look
// the session up, open a transaction, set the tenant for row-level security, check the membership,
// run the procedure's SQL, commit, answer JSON. No framework, no ORM, no rate limiter.
// Run as a child process by tests/bench/http.ts: BARE_DB_URL, PORT, DB_POOL_SIZE.
import http from "node:http";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.BARE_DB_URL, max: Number(process.env.DB_POOL_SIZE ?? 10) });

type Handler = (c: pg.PoolClient, q: URLSearchParams, schoolId: string) => Promise<unknown>;

const LIST_COLUMNS = "id, iin, last_name, first_name, middle_name, phone, category, status, created_at";
const ORDER = "ORDER BY last_name, first_name, id LIMIT 26";

const handlers: Record<string, Handler> = {
  async list(c, q) {
    const status = q.get("status");
    const items = await c.query(`SELECT ${LIST_COLUMNS} FROM trainee WHERE status = $1::trainee_status ${ORDER}`, [
      status,
    ]);
    const total = await c.query("SELECT count(*)::int AS n FROM trainee WHERE status = $1::trainee_status", [status]);
    return { items: items.rows.slice(0, 25), total: total.rows[0].n };
  },
  async search(c, q) {
    const term = q.get("q")!;
    if (/^\+?\d+$/.test(term)) {
      const where = "(iin LIKE $1 || '%' OR phone LIKE '%' || $2 || '%')";
      const args = [term, term.replace(/^8/, "")];
      const items = await c.query(`SELECT ${LIST_COLUMNS} FROM trainee WHERE ${where} ${ORDER}`, args);
      const total = await c.query(`SELECT count(*)::int AS n FROM trainee WHERE ${where}`, args);
      return { items: items.rows.slice(0, 25), total: total.rows[0].n };
    }
    const where =
      "(last_name ILIKE '%' || $1 || '%' OR first_name ILIKE '%' || $1 || '%' OR latin_name ILIKE '%' || $1 || '%')";
    const items = await c.query(`SELECT ${LIST_COLUMNS} FROM trainee WHERE ${where} ${ORDER}`, [term]);
    const total = await c.query(`SELECT count(*)::int AS n FROM trainee WHERE ${where}`, [term]);
    return { items: items.rows.slice(0, 25), total: total.rows[0].n };
  },
  async card(c, q) {
    const t = await c.query("SELECT * FROM trainee WHERE id = $1", [q.get("id")]);
    const photo = await c.query("SELECT updated_at FROM trainee_photo WHERE trainee_id = $1", [q.get("id")]);
    return { ...t.rows[0], photoUpdatedAt: photo.rows[0]?.updated_at ?? null };
  },
  async lessons(c, q) {
    const rows = await c.query(
      `SELECT l.id, l.starts_at, l.ends_at, l.status::text AS status, l.note, l.instructor_id, l.marked_at,
              t.id AS trainee_id, t.last_name, t.first_name, t.phone, t.category, v.plate, v.make_model, u.full_name AS instructor_name
         FROM driving_lesson l
         JOIN trainee t ON t.id = l.trainee_id
         JOIN vehicle v ON v.id = l.vehicle_id
         LEFT JOIN app_user u ON u.id = l.instructor_id
        WHERE l.starts_at >= $1 AND l.starts_at < $2
          AND ($3::uuid IS NULL OR l.instructor_id = $3::uuid)
          AND ($4::uuid IS NULL OR l.trainee_id = $4::uuid)
        ORDER BY l.starts_at, l.id
        LIMIT 2000`,
      [q.get("from"), q.get("to"), null, null],
    );
    return rows.rows;
  },
};

async function handle(req: http.IncomingMessage): Promise<[number, unknown]> {
  const url = new URL(req.url ?? "/", "http://x");
  const handler = handlers[url.pathname.slice(1)];
  if (!handler) return [404, { error: "not found" }];
  const sessionId = /(?:^|;\s*)am_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
  if (!sessionId) return [401, { error: "unauthorized" }];
  const c = await pool.connect();
  try {
    // The same statements the web process sends (server/auth/sessions.ts, app_enter_school).
    const s = await c.query(
      `SELECT s.id, s.user_id, s.expires_at, s.ip, s.user_agent,
              u.email, u.full_name, u.locale::text AS locale, u.operator_role::text AS operator_role, u.email_verified_at, u.deactivated_at
         FROM session s JOIN app_user u ON u.id = s.user_id
        WHERE s.id = $1`,
      [sessionId],
    );
    const user = s.rows[0];
    if (!user || user.deactivated_at || user.expires_at < new Date()) return [401, { error: "unauthorized" }];
    await c.query("BEGIN");
    try {
      const school = await c.query("SELECT * FROM app_enter_school($1, $2::uuid)", [
        url.searchParams.get("school"),
        user.user_id,
      ]);
      if (!school.rows[0]) {
        await c.query("ROLLBACK");
        return [403, { error: "forbidden" }];
      }
      const result = await handler(c, url.searchParams, school.rows[0].id);
      await c.query("COMMIT");
      return [200, result];
    } catch (e) {
      await c.query("ROLLBACK");
      throw e;
    }
  } finally {
    c.release();
  }
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
