// tests/http.test.ts — the tRPC endpoint and pages over HTTP — with PgBouncer (transaction mode) in front of PostgreSQL.
import { itWentThroughThePooler } from "./through-pgbouncer.ts";
import "../../http.test.ts";

itWentThroughThePooler();
