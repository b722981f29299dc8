// Fault: the worker SIGKILLed while it builds a school's archive (1,500 trainees with photos), then a new worker.
// Proves: the half-built archive leaves nothing behind (its chunks die with the transaction), the job comes back
// after its lock expires, and the school ends with exactly one complete archive — every trainee and photo in it,
// chunks numbered without gaps, the zip's checksum what the row says — built and audited once.
import { createHash } from "node:crypto";
import { operatorDb } from "../../server/db/client.ts";
import { createSchool } from "../factories.ts";
import { jsonLines, unzip } from "../archive.ts";
import { sessionCookie, spawnWorker, startWebApp, stopProcess, until } from "./helpers.ts";

const db = () => operatorDb();
const TRAINEES = 1500;
const WORKER_ENV = { JOB_LOCK_MS: "1000" };

describe("a worker killed while it builds a school archive", () => {
  it("the next worker builds it again from nothing: one complete archive, nothing half-written, audited once", {
    timeout: 180_000,
  }, async () => {
    const s = await createSchool();
    await db().$executeRaw`
      INSERT INTO trainee (id, school_id, iin, last_name, first_name, birth_date, sex, category)
      SELECT gen_random_uuid(), ${s.schoolId}::uuid, '99' || lpad(g::text, 10, '0'), 'Курсант', 'Тест ' || g, date '1990-01-01' + g, 'male', 'B'
        FROM generate_series(1, ${TRAINEES}) g`;
    // 20 KB each: 30 MB of photos, so the build takes long enough to be caught in the middle.
    await db().$executeRaw`
      INSERT INTO trainee_photo (trainee_id, school_id, content, content_type, updated_by)
      SELECT id, school_id, decode(repeat(md5(id::text), 1250), 'hex'), 'image/jpeg', ${s.userId}::uuid FROM trainee WHERE school_id = ${s.schoolId}::uuid`;

    const web = await startWebApp();
    let worker = spawnWorker(WORKER_ENV);
    try {
      const { id } = await s.director.privacy.archive.request({ school: s.slug });
      const row = () => db().schoolArchive.findUniqueOrThrow({ where: { id } });
      await until(
        async () => {
          const r = await row();
          return r.status === "building" && r.progressDone > 0;
        },
        90_000,
        "the build to be under way",
      );
      worker.kill("SIGKILL");
      await new Promise((r) => worker.once("exit", r));
      const atKill = await row();
      expect(atKill.status).toBe("building");
      expect(atKill.progressDone).toBeLessThan(atKill.progressTotal);
      // The writer's transaction died with the process: not one chunk of the half archive is stored.
      await until(
        async () => (await db().schoolArchiveChunk.count({ where: { archiveId: id } })) === 0,
        10_000,
        "the killed transaction to be gone",
      );

      worker = spawnWorker(WORKER_ENV);
      await until(async () => (await row()).status === "ready", 150_000, "the archive to be built again");
      const done = await row();
      expect(done.attempts).toBe(2);
      const chunks = await db().schoolArchiveChunk.findMany({
        where: { archiveId: id },
        select: { seq: true },
        orderBy: { seq: "asc" },
      });
      expect(chunks.map((c) => c.seq)).toEqual(Array.from({ length: done.chunkCount! }, (_, i) => i));
      expect(await db().auditLog.count({ where: { schoolId: s.schoolId, action: "archive.ready" } })).toBe(1);
      expect(await db().schoolArchive.count({ where: { schoolId: s.schoolId } })).toBe(1);

      const res = await fetch(`${web.base}/s/${s.slug}/archive/${id}/download`, {
        headers: { cookie: await sessionCookie(s.userId) },
      });
      expect(res.status).toBe(200);
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.length).toBe(Number(done.sizeBytes));
      expect(createHash("sha256").update(body).digest("hex")).toBe(done.sha256);
      const zip = await unzip(body);
      expect(jsonLines(zip.get("data/trainee.jsonl"))).toHaveLength(TRAINEES);
      expect([...zip.keys()].filter((k) => k.startsWith("files/trainee_photo/"))).toHaveLength(TRAINEES);
    } finally {
      await stopProcess(worker, "SIGTERM");
      await web.close();
    }
  });
});
