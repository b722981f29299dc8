// tests/rate-limit-http.test.ts — 429 past the per-IP limit — with PgBouncer (transaction mode) in front of PostgreSQL.
import { itWentThroughThePooler } from "./through-pgbouncer.ts";
import "../../rate-limit-http.test.ts";

itWentThroughThePooler();
