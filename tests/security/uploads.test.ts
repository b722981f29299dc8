// Attack: a file smuggled in through an upload — a Windows program renamed to .png/.pdf/.xlsx/.txt so
// its name passes, or a file far over the size limit to exhaust the server — on every upload path
// (trainee photo, question picture, support attachments, trainee import, 1C bank statement), through
// the API and through the workspace's multipart forms. Each is refused with a kk/ru message, and nothing is stored.
import { describeError } from "../../server/trpc.ts";
import { startSession } from "../../server/auth/sessions.ts";
import { addOperator, createSchool, meta, traineeInput } from "../factories.ts";
import { PNG_1x1 } from "./world.ts";
import { rowCounts } from "./world.ts";
import { startWebApp } from "../web.ts";

/** The first bytes of a Windows executable (MZ header, "This program cannot be run in DOS mode"). */
const EXE = Buffer.concat([
  Buffer.from("4d5a90000300000004000000ffff0000b800000000000000400000000000000000000000", "hex"),
  Buffer.from("This program cannot be run in DOS mode.\r\r\n$"),
  Buffer.alloc(512, 0x90),
]);
const b64 = (b: Buffer) => b.toString("base64");
/** A real PNG header padded to `bytes`: passes the type check, fails the size check. */
const bigPng = (bytes: number) => Buffer.concat([Buffer.from(PNG_1x1, "base64"), Buffer.alloc(bytes, 0)]);

let s: Awaited<ReturnType<typeof createSchool>>;
let traineeId: string;
let op: Awaited<ReturnType<typeof addOperator>>;

beforeAll(async () => {
  s = await createSchool();
  traineeId = (await s.director.trainees.create({ school: s.slug, ...traineeInput() })).id;
  op = await addOperator("billing");
});

/** Runs the upload, expects 400 and the message (ru, and kk when given); then checks nothing was stored. */
async function refused(upload: () => Promise<unknown>, ru: RegExp, kk?: RegExp) {
  const before = await rowCounts();
  const err = (await upload().then(
    () => {
      throw new Error("the upload was accepted");
    },
    (e: unknown) => e,
  )) as Parameters<typeof describeError>[0];
  expect(err.code).toBe("BAD_REQUEST");
  const d = describeError(err, "ru");
  expect(d.status).toBe(400);
  expect(Object.values(d.fieldErrors ?? {}).join(" ") || d.message).toMatch(ru);
  if (kk)
    expect(
      Object.values(describeError(err, "kk").fieldErrors ?? {}).join(" ") || describeError(err, "kk").message,
    ).toMatch(kk);
  expect(await rowCounts()).toEqual(before);
}

describe("through the API", () => {
  it("trainee photo: a program renamed .png, and a 1 MB+ picture", async () => {
    await refused(
      () => s.director.trainees.setPhoto({ school: s.slug, id: traineeId, base64: b64(EXE) }),
      /^Это не изображение/,
      /сурет емес|PNG/i,
    );
    await refused(
      () => s.director.trainees.setPhoto({ school: s.slug, id: traineeId, base64: b64(bigPng(1024 * 1024 + 1)) }),
      /^Фото не больше 1 МБ$/,
    );
  });

  it("question picture: a program, and a 1 MB+ picture", async () => {
    const q = {
      school: s.slug,
      category: "B",
      textKk: "Сұрақ",
      textRu: "Вопрос",
      options: [
        { kk: "Иә", ru: "Да" },
        { kk: "Жоқ", ru: "Нет" },
      ],
      correct: 0,
    };
    await refused(
      () => s.director.quiz.questions.create({ ...q, imageBase64: b64(EXE) }),
      /^Это не изображение: загрузите файл PNG, JPEG или WebP$/,
    );
    await refused(
      () => s.director.quiz.questions.create({ ...q, imageBase64: b64(bigPng(1024 * 1024 + 1)) }),
      /^Изображение больше 1 МБ$/,
    );
  });

  it("support attachment: a program renamed .pdf, and a file over 5 MB", async () => {
    const t = { school: s.slug, kind: "remark" as const, subject: "Тема", text: "Текст" };
    await refused(
      () => s.director.support.create({ ...t, files: [{ name: "счёт.pdf", base64: b64(EXE) }] }),
      /^Файл «счёт\.pdf» не принят/,
    );
    await refused(
      () => s.director.support.create({ ...t, files: [{ name: "big.png", base64: b64(bigPng(5 * 1024 * 1024 + 1)) }] }),
      /больше 5 МБ/,
    );
  });

  it("trainee import: a program renamed .xlsx, a file that isn't .xlsx, and one over 10 MB", async () => {
    await refused(
      () => s.director.traineeImport.upload({ school: s.slug, fileName: "курсанты.xlsx", fileBase64: b64(EXE) }),
      /^Не удалось прочитать файл/,
    );
    await refused(
      () => s.director.traineeImport.upload({ school: s.slug, fileName: "setup.exe", fileBase64: b64(EXE) }),
      /^Выберите файл Excel/,
      /^Excel файлын/,
    );
    await refused(
      () =>
        s.director.traineeImport.upload({
          school: s.slug,
          fileName: "big.xlsx",
          fileBase64: b64(Buffer.alloc(10 * 1024 * 1024 + 1, 0x50)),
        }),
      /^Файл слишком большой: не больше 10 МБ$/,
    );
  });

  it("1C bank statement (operator): a program renamed .txt, and a file over 10 MB", async () => {
    await refused(
      () => op.caller.admin.billing.uploadStatement({ fileName: "kl_to_1c.txt", base64: b64(EXE) }),
      /^Это не банковская выписка в формате 1С/,
    );
    await refused(
      () =>
        op.caller.admin.billing.uploadStatement({
          fileName: "kl_to_1c.txt",
          base64: b64(Buffer.alloc(10_600_000, 0x41)),
        }),
      /слишком большой/,
    );
  });
});

describe("through the workspace's upload forms (multipart)", () => {
  let close: () => Promise<void>;
  let base: string;
  let cookie: string;
  beforeAll(async () => {
    ({ base, close } = await startWebApp());
    cookie = (await startSession(s.userId, meta)).cookie.split(";")[0]!;
  });
  afterAll(() => close());

  function postForm(path: string, form: FormData, lang: "kk" | "ru") {
    return fetch(`${base}${path}`, {
      method: "POST",
      body: form,
      redirect: "manual",
      headers: { cookie: `${cookie}; am_lang=${lang}` },
    });
  }

  it("trainee import: a program renamed .xlsx → 400 with the message; 10 MB+ → 413; nothing stored", async () => {
    const before = await rowCounts();
    const exe = new FormData();
    exe.append("file", new Blob([EXE]), "курсанты.xlsx");
    const res = await postForm(`/s/${s.slug}/trainees/import`, exe, "ru");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Не удалось прочитать файл");
    const big = new FormData();
    big.append("file", new Blob([Buffer.alloc(10 * 1024 * 1024 + 1, 0x50)]), "big.xlsx");
    // (A signed-in user reads the language saved on their account: Russian here.)
    const tooBig = await postForm(`/s/${s.slug}/trainees/import`, big, "ru");
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).toContain("Файл слишком большой: не больше 10 МБ");
    expect(await rowCounts()).toEqual(before);
  });

  it("support ticket: a program renamed .pdf → 400; a 5 MB+ file → 413; no ticket", async () => {
    const before = await rowCounts();
    const form = (file: Blob, name: string) => {
      const f = new FormData();
      for (const [k, v] of Object.entries({ kind: "remark", subject: "Тема", text: "Текст" })) f.append(k, v);
      f.append("files", file, name);
      return f;
    };
    const exe = await postForm(`/s/${s.slug}/support`, form(new Blob([EXE]), "акт.pdf"), "ru");
    expect(exe.status).toBe(400);
    expect(await exe.text()).toContain("Файл «акт.pdf» не принят");
    const big = await postForm(`/s/${s.slug}/support`, form(new Blob([bigPng(5 * 1024 * 1024 + 1)]), "big.png"), "ru");
    expect(big.status).toBe(413);
    expect(await big.text()).toContain("Каждый файл — не больше 5 МБ");
    expect(await rowCounts()).toEqual(before);
  });
});
