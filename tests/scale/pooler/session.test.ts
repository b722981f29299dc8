// tests/security/session.test.ts — fixation, stolen cookies, password guessing over HTTP — with PgBouncer (transaction mode) in front of PostgreSQL.
import { itWentThroughThePooler } from "./through-pgbouncer.ts";
import "../../security/session.test.ts";

itWentThroughThePooler();
