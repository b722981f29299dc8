// A school's data, whole: the director (or the operator) asks, the job builds one zip into PostgreSQL, the web
// streams it back. The zip is opened here with yauzl and its contents checked against the database.
import { createHash } from "node:crypto";
import { operatorDb } from "../db/client.ts";
import { addMember, addOperator, createSchool, traineeInput } from "../../tests/factories.ts";
import { refusal } from "../../tests/refusal.ts";
import { fullSchool, jsonLines, PDF, PNG_1x1, rowsOf, tablesWithSchoolId, unzip } from "../../tests/archive.ts";
import { sessionCookie, startWebApp } from "../../tests/faults/helpers.ts";
import { buildArchive, CHUNK_BYTES, filePath, KEEP_DAYS } from "./build.ts";
import { ARCHIVE_OWN_TABLES } from "./tables.ts";
import { expireArchives } from "./service.ts";
import { verifyJournal } from "../training/journal.ts";

const db = () => operatorDb();

let web: Awaited<ReturnType<typeof startWebApp>>;
beforeAll(async () => {
  web = await startWebApp();
});
afterAll(async () => {
  await web.close();
});

async function download(path: string, userId: string, lang: "kk" | "ru" = "ru") {
  const res = await fetch(`${web.base}${path}`, {
    headers: { cookie: `${await sessionCookie(userId)}; am_lang=${lang}`, "x-forwarded-for": "10.77.0.9" },
    redirect: "manual",
  });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

describe("the school archive", () => {
  it("holds every table of the school row for row, every stored file, the registers in kk and ru and a README in both languages", {
    timeout: 60_000,
  }, async () => {
    const s = await fullSchool();
    const other = await createSchool();
    await other.director.trainees.create({ school: other.slug, ...traineeInput({ lastName: "Бөтенов" }) });
    const { id } = await s.director.privacy.archive.request({ school: s.slug });
    // Requested through the outbox in the same transaction, under a deterministic job id.
    expect(await db().outboxEvent.count({ where: { queue: "archive", jobId: `archive-${id}` } })).toBe(1);
    expect((await s.director.privacy.archive.list({ school: s.slug })).archives).toMatchObject([
      { id, status: "queued", requestedVia: "school" },
    ]);

    // What the archive must hold: the school's rows as they are when the build starts (nothing else writes meanwhile).
    const tables = (await tablesWithSchoolId()).filter((t) => !ARCHIVE_OWN_TABLES.includes(t));
    expect(tables.length).toBeGreaterThan(40);
    const before = new Map<string, number>();
    for (const t of tables) before.set(t, await rowsOf(t, s.schoolId));

    expect(await buildArchive(id)).toBe("built");
    const listed = (await s.director.privacy.archive.list({ school: s.slug })).archives[0]!;
    expect(listed).toMatchObject({ id, status: "ready", percent: 100 });
    expect(listed.expiresAt!.getTime() - Date.now()).toBeGreaterThan((KEEP_DAYS - 0.01) * 86_400_000);
    // A second run of the same job changes nothing.
    expect(await buildArchive(id)).toBe("already");

    const res = await download(`/s/${s.slug}/archive/${id}/download`, s.userId);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toContain(`avtomektep-${s.slug}-`);
    const row = await db().schoolArchive.findUniqueOrThrow({ where: { id } });
    expect(res.body.length).toBe(Number(row.sizeBytes));
    expect(createHash("sha256").update(res.body).digest("hex")).toBe(row.sha256);
    expect(row.chunkCount).toBe(Math.ceil(res.body.length / CHUNK_BYTES));
    const zip = await unzip(res.body);

    // Every table with a school_id (and school itself) is there, with exactly the school's rows.
    for (const t of tables) {
      const lines = jsonLines(zip.get(`data/${t}.jsonl`));
      expect({ table: t, rows: lines.length }).toEqual({ table: t, rows: before.get(t) });
      for (const l of lines)
        expect({ table: t, school: l[t === "school" ? "id" : "school_id"] }).toEqual({ table: t, school: s.schoolId });
    }
    // Nothing of the other school anywhere.
    const everything = [...zip.values()].map((b) => b.toString("utf8")).join("\n");
    expect(everything).not.toContain(other.schoolId);
    expect(everything).not.toContain("Бөтенов");
    expect(
      jsonLines(zip.get("data/trainee.jsonl"))
        .map((t) => t.iin)
        .sort(),
    ).toEqual(s.trainees.map((t) => t.iin).sort());

    // The journal comes whole and verifies as the inspector's check does.
    const journal = jsonLines(zip.get("data/journal_entry.jsonl"));
    expect(journal.length).toBeGreaterThanOrEqual(3);
    expect(journal.at(-1)!.hash).toBe(
      (await db().journalHead.findUniqueOrThrow({ where: { schoolId: s.schoolId } })).hash,
    );

    // Stored files, byte for byte, and the JSON row names its file.
    const photoRow = jsonLines(zip.get("data/trainee_photo.jsonl"))[0]!;
    expect(photoRow.content).toEqual({ file: `files/trainee_photo/${s.trainees[0]!.id}.png`, bytes: PNG_1x1.length });
    expect(zip.get(`files/trainee_photo/${s.trainees[0]!.id}.png`)!.equals(PNG_1x1)).toBe(true);
    const attachment = jsonLines(zip.get("data/support_attachment.jsonl"))[0]!;
    expect(zip.get((attachment.content as { file: string }).file)!.equals(PDF)).toBe(true);
    expect((attachment.content as { file: string }).file).toMatch(
      /^files\/support_attachment\/[0-9a-f-]{36}-акт\.pdf$/,
    );
    expect(zip.get(`files/question/${s.questionId}.png`)!.equals(PNG_1x1)).toBe(true);
    expect(zip.get(`files/school_document/${s.act.id}-${s.act.fileName}`)!.equals(Buffer.from(s.act.content))).toBe(
      true,
    );
    const invoicePdf = zip.get(`files/invoice/${s.invoice.number}.pdf`)!;
    expect(invoicePdf.subarray(0, 5).toString()).toBe("%PDF-");

    // The registers, both languages: trainees, the group, certificates.
    for (const lang of ["kk", "ru"]) {
      const registers = [...zip.keys()].filter((k) => k.startsWith(`registers/${lang}/`));
      expect(registers.length).toBe(3);
      for (const r of registers) expect(zip.get(r)!.subarray(0, 2).toString()).toBe("PK");
    }
    expect([...zip.keys()].some((k) => k.startsWith("registers/ru/") && k.includes("B-7"))).toBe(true);

    // README in Kazakh and Russian; the manifest's sums are those of the entries.
    const readme = zip.get("README.txt")!.toString("utf8");
    expect(readme).toContain((await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).name);
    expect(readme).toContain("Автомектеп деректерінің мұрағаты: ");
    expect(readme).toContain("Архив данных автошколы");
    expect(readme).toMatch(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2} \(UTC\+5\)/);
    const manifest = JSON.parse(zip.get("manifest.json")!.toString("utf8")) as {
      entries: { path: string; bytes: number; sha256: string }[];
      tables: Record<string, number>;
      journal: { intact: boolean };
    };
    expect(manifest.journal.intact).toBe(true);
    expect(manifest.entries.length).toBe(zip.size - 1);
    for (const e of manifest.entries) {
      expect({ path: e.path, sha256: createHash("sha256").update(zip.get(e.path)!).digest("hex") }).toEqual({
        path: e.path,
        sha256: e.sha256,
      });
    }

    // Requested, ready, downloaded: each in the audit log.
    const actions = (
      await db().auditLog.findMany({
        where: { schoolId: s.schoolId, action: { startsWith: "archive." } },
        orderBy: { id: "asc" },
      })
    ).map((a) => a.action);
    expect(actions).toEqual(["archive.requested", "archive.ready", "archive.downloaded"]);
    expect(
      await db().auditLog.findFirstOrThrow({ where: { schoolId: s.schoolId, action: "archive.downloaded" } }),
    ).toMatchObject({ actorUserId: s.userId, ip: "10.77.0.9" });
  });

  it("only the school's director and the operator can download it; others get a refusal in their language", {
    timeout: 60_000,
  }, async () => {
    const s = await createSchool();
    const other = await createSchool();
    const registrar = await addMember(s.schoolId, "registrar");
    const { id } = await s.director.privacy.archive.request({ school: s.slug });
    await buildArchive(id);

    const asRegistrar = await download(`/s/${s.slug}/archive/${id}/download`, registrar.userId);
    expect(asRegistrar.status).toBe(403);
    expect((await download(`/s/${s.slug}/archive/${id}/download`, other.userId)).status).toBe(403);
    // The other school's director with their own school in the address: not found (in Kazakh, their language).
    await db().user.update({ where: { id: other.userId }, data: { locale: "kk" } });
    const foreign = await download(`/s/${other.slug}/archive/${id}/download`, other.userId, "kk");
    expect(foreign.status).toBe(404);
    expect(foreign.body.toString()).toBe("Мұрағат табылмады");
    expect((await fetch(`${web.base}/s/${s.slug}/archive/${id}/download`, { redirect: "manual" })).status).toBe(303);
    expect((await refusal(registrar.caller.privacy.archive.request({ school: s.slug }))).status).toBe(403);

    const op = await addOperator("support");
    const viaOperator = await download(`/admin/schools/${s.schoolId}/archive/${id}/download`, op.userId);
    expect(viaOperator.status).toBe(200);
    expect((await unzip(viaOperator.body)).has("manifest.json")).toBe(true);
    const billing = await addOperator("billing");
    expect((await download(`/admin/schools/${s.schoolId}/archive/${id}/download`, billing.userId)).status).toBe(403);
    expect(await db().auditLog.count({ where: { schoolId: s.schoolId, action: "archive.downloaded" } })).toBe(1);
  });

  it("one at a time and three a day; the operator can ask for any school", async () => {
    const s = await createSchool();
    await s.director.privacy.archive.request({ school: s.slug });
    const again = await refusal(s.director.privacy.archive.request({ school: s.slug }));
    expect(again).toMatchObject({
      status: 409,
      message: "Архив уже готовится — дождитесь его, прежде чем заказывать новый",
    });
    expect((await refusal(s.director.privacy.archive.request({ school: s.slug }), "kk")).message).toBe(
      "Мұрағат дайындалып жатыр — жаңасына тапсырыс бермес бұрын оны күтіңіз",
    );
    for (const a of await db().schoolArchive.findMany({ where: { schoolId: s.schoolId } })) await buildArchive(a.id);
    await s.director.privacy.archive.request({ school: s.slug }).then((a) => buildArchive(a.id));
    await s.director.privacy.archive.request({ school: s.slug }).then((a) => buildArchive(a.id));
    expect((await refusal(s.director.privacy.archive.request({ school: s.slug }))).message).toBe(
      "За сутки можно заказать не больше 3 архивов. Скачайте уже готовый или повторите завтра",
    );

    const t = await createSchool();
    const op = await addOperator("super_admin");
    const { id } = await op.caller.admin.privacy.archives.request({ schoolId: t.schoolId });
    expect(await buildArchive(id)).toBe("built");
    expect((await op.caller.admin.privacy.archives.list({ schoolId: t.schoolId })).archives).toMatchObject([
      { id, status: "ready", requestedVia: "operator" },
    ]);
    // The director sees the operator's archive too, and may download it.
    expect((await t.director.privacy.archive.list({ school: t.slug })).archives).toMatchObject([
      { id, requestedVia: "operator" },
    ]);
  });

  it("is deleted after 7 days by the daily run: the download then says it expired, and the expiry is audited", {
    timeout: 30_000,
  }, async () => {
    const s = await createSchool();
    const { id } = await s.director.privacy.archive.request({ school: s.slug });
    await buildArchive(id);
    expect(await expireArchives(new Date(Date.now() + (KEEP_DAYS - 1) * 86_400_000))).toMatchObject({ expired: 0 });
    expect(await db().schoolArchiveChunk.count({ where: { archiveId: id } })).toBeGreaterThan(0);

    const later = new Date(Date.now() + (KEEP_DAYS + 1) * 86_400_000);
    // (Other tests' archives in this file's database expire too.)
    expect((await expireArchives(later)).expired).toBeGreaterThanOrEqual(1);
    expect(await expireArchives(later)).toMatchObject({ expired: 0 });
    expect(await db().schoolArchiveChunk.count({ where: { archiveId: id } })).toBe(0);
    expect(await db().schoolArchive.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "expired" });
    const res = await download(`/s/${s.slug}/archive/${id}/download`, s.userId);
    expect(res.status).toBe(404);
    expect(res.body.toString()).toBe("Срок хранения архива истёк, и он удалён. Закажите новый");
    expect(await db().auditLog.count({ where: { schoolId: s.schoolId, action: "archive.expired" } })).toBe(1);
    // The school may ask for a new one.
    expect(await s.director.privacy.archive.request({ school: s.slug })).toMatchObject({ id: expect.any(String) });
  });

  it("reads one consistent snapshot: the journal in the archive verifies even while the school keeps writing", {
    timeout: 60_000,
  }, async () => {
    const s = await fullSchool();
    const { id } = await s.director.privacy.archive.request({ school: s.slug });
    const building = buildArchive(id);
    // Writes during the build: journal entries appended while the archive is being read.
    for (const t of s.trainees)
      await s.director.training.changeStatus({ school: s.slug, traineeId: t.id, to: "training" });
    await building;
    const zip = await unzip((await download(`/s/${s.slug}/archive/${id}/download`, s.userId)).body);
    const entries = jsonLines(zip.get("data/journal_entry.jsonl"));
    const head = jsonLines(zip.get("data/journal_head.jsonl"))[0]!;
    expect(Number(head.seq)).toBe(entries.length);
    expect(head.hash).toBe(entries.at(-1)!.hash);
    expect((await db().$transaction((tx) => verifyJournal(tx, s.schoolId))).intact).toBe(true);
  });
});

describe("file names inside the archive", () => {
  it("come from the row's key and its own file name, made safe: no folders, no control or direction-override characters", () => {
    const t = { name: "support_attachment", key: ["id"], blobs: ["content"] };
    expect(filePath(t, { id: "a1", name: "../../etc/passwd", content_type: "text/plain" }, "content")).toBe(
      "files/support_attachment/a1-etc-passwd.txt",
    );
    expect(filePath(t, { id: "a1", name: "сурет\u202egnp.exe", content_type: "image/png" }, "content")).toBe(
      "files/support_attachment/a1-сурет-gnp.exe",
    );
    expect(
      filePath(
        { name: "trainee_photo", key: ["trainee_id"], blobs: ["content"] },
        { trainee_id: "t9", content_type: "image/jpeg" },
        "content",
      ),
    ).toBe("files/trainee_photo/t9.jpg");
    expect(filePath({ name: "x", key: ["school_id", "n"], blobs: ["a", "b"] }, { school_id: "s", n: 3 }, "b")).toBe(
      "files/x/3-b.bin",
    );
  });
});
