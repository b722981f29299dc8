// tests/security/uploads.test.ts — hostile uploads through the API and the multipart forms — with PgBouncer (transaction mode) in front of PostgreSQL.
import { itWentThroughThePooler } from "./through-pgbouncer.ts";
import "../../security/uploads.test.ts";

itWentThroughThePooler();
