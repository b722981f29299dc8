// `npm run bench` (part 3): an offer-change notice fanned out to 100,000 recipients (1,000 schools ×
// 100 users): time from publication to every notice_recipient row, cabinet document and outbox e-mail
// written. Reports, doesn't assert (aim: under 5 minutes). BENCH_NOTICE_SCHOOLS / BENCH_NOTICE_USERS.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { benchDatabase } from "./database.ts";
import { makeBin } from "../../server/kz/iin.ts";
import { addDays, almatyDate } from "../../server/kz/time.ts";

const SCHOOLS = Number(process.env.BENCH_NOTICE_SCHOOLS ?? 1_000);
const USERS = Number(process.env.BENCH_NOTICE_USERS ?? 100);
const { url, services } = await benchDatabase("am_bench_notices", { DB_POOL_SIZE: "10" });
const { operatorDb, disconnectDb } = await import("../../server/db/client.ts");
const { seedOffer } = await import("../../server/db/seed.ts");
const { publishOffer } = await import("../../server/notices/offers.ts");
const { fanOutNotice } = await import("../../server/notices/fanout.ts");
await seedOffer(operatorDb());

const owner = new pg.Client({ connectionString: url });
await owner.connect();
let binSerial = 0;
const nextBin = () => {
  const bin = makeBin("1002", binSerial);
  binSerial = Number(bin.slice(6, 11)) + 1;
  return bin;
};
const t0 = Date.now();
for (let k = 0; k < SCHOOLS; k++) {
  const id = randomUUID();
  await owner.query(
    `INSERT INTO school (id, slug, name, kind, bin_iin, director_name, phone, email, status) VALUES ($1, $2, $3, 'legal_entity', $4, 'Директор', '+77010000000', 'd@bench.kz', 'active')`,
    [id, `nbench-${k}`, `Автомектеп ${k}`, nextBin()],
  );
  await owner.query(
    `WITH u AS (INSERT INTO app_user (id, email, full_name, locale)
       SELECT gen_random_uuid(), 'u' || $2::int || '-' || g || '@bench.kz', 'Пайдаланушы ' || g, CASE WHEN g % 2 = 0 THEN 'kk' ELSE 'ru' END::locale
       FROM generate_series(1, $3::int) g RETURNING id)
     INSERT INTO membership (id, school_id, user_id, role) SELECT gen_random_uuid(), $1, id, 'registrar' FROM u`,
    [id, k, USERS],
  );
}
await owner.query("ANALYZE");
console.log(`loaded ${SCHOOLS} schools × ${USERS} users in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const current = await operatorDb().offerVersion.findFirstOrThrow({ orderBy: { version: "desc" } });
const s = performance.now();
const { noticeId } = await publishOffer(operatorDb(), (await owner.query("SELECT id FROM app_user LIMIT 1")).rows[0].id, { ip: null, userAgent: "bench" }, {
  textKk: `${current.textKk}\n12.1. Жаңа тармақ.`, textRu: `${current.textRu}\n12.1. Новый пункт.`,
  summaryKk: "12.1-тармақ қосылды", summaryRu: "Добавлен пункт 12.1", effectiveFrom: addDays(almatyDate(new Date()), 8),
});
const r = await fanOutNotice(noticeId);
const secs = (performance.now() - s) / 1000;
const count = async (sql: string) => Number((await owner.query(sql, [noticeId])).rows[0].n);
const recipients = await count("SELECT count(*) AS n FROM notice_recipient WHERE notice_id = $1");
const mails = await count("SELECT count(*) AS n FROM outbox_event WHERE job_id LIKE 'notice-' || $1 || '-%'");
const docs = await count("SELECT count(*) AS n FROM school_document WHERE kind = 'offer_notice' AND $1::uuid IS NOT NULL");
console.log(`notice fan-out: ${r.schools} schools, ${recipients} recipients, ${mails} e-mails, ${docs} documents in ${secs.toFixed(1)} s (aim < 300 s)`);
const again = performance.now();
const r2 = await fanOutNotice(noticeId);
console.log(`repeated run: ${r2.emails} new e-mails in ${((performance.now() - again) / 1000).toFixed(1)} s`);
await owner.end();
await disconnectDb();
await services.stop();
