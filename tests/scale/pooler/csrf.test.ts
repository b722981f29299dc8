// tests/security/csrf.test.ts — forged posts over HTTP — with PgBouncer (transaction mode) in front of PostgreSQL.
import { itWentThroughThePooler } from "./through-pgbouncer.ts";
import "../../security/csrf.test.ts";

itWentThroughThePooler();
