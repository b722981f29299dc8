// Attack: odd but small inputs that used to reach PostgreSQL or the browser unchecked — a NUL byte in a name
// or a search (PostgreSQL refuses it: 500), an URL-encoded post to an upload form (500), `%` and `_` acting
// as wildcards in every search, an RTL override (U+202E) in a download's file name, and removing another
// school's trainee photo answering "ok". Each is a 4xx with a kk/ru message, or the literal match.
import { readFileSync } from "node:fs";
import { startSession } from "../../server/auth/sessions.ts";
import { operatorDb } from "../../server/db/client.ts";
import { describeError } from "../../server/trpc.ts";
import { addMember, addOperator, createSchool, currentOfferId, meta, signupInput, traineeInput } from "../factories.ts";
import { schoolPaidThrough, today } from "../billing.ts";
import { settleSchool } from "../../server/billing/cycle.ts";
import { traineeFilters } from "../../server/trainees/access.ts";
import { OFFICE_VIEW } from "../../domain/visibility.ts";
import { PNG_1x1 } from "./world.ts";
import { startWebApp } from "../web.ts";
import type { TRPCError } from "@trpc/server";

let close: () => Promise<void>;
let base: string;
let a: Awaited<ReturnType<typeof createSchool>>;
let b: Awaited<ReturnType<typeof createSchool>>;
let cookieA: string;

beforeAll(async () => {
  ({ base, close } = await startWebApp());
  [a, b] = [await createSchool(), await createSchool()];
  cookieA = (await startSession(a.userId, meta)).cookie.split(";")[0]!;
});
afterAll(() => close());

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => null,
    (err: unknown) => err as TRPCError,
  );
  expect(e).not.toBeNull();
  return { ru: describeError(e!, "ru"), kk: describeError(e!, "kk") };
};
const trpcGet = (path: string, input: unknown, cookie = cookieA) =>
  fetch(`${base}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`, {
    headers: { cookie },
  });

describe("a NUL byte in text", () => {
  const NUL_RU = "Текст содержит недопустимый невидимый символ (NUL). Удалите его и отправьте снова";

  it("in a search is a 400 with a kk/ru message (over HTTP, in the caller, on the page), not a 500", async () => {
    const res = await trpcGet("trainees.list", { school: a.slug, q: "Сап\u0000аров" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.json.data.fieldErrors).toEqual({ q: NUL_RU });
    const r = await refusal(a.director.trainees.list({ school: a.slug, q: "\u0000" }));
    expect(r.ru).toMatchObject({ status: 400, fieldErrors: { q: NUL_RU } });
    expect(r.kk.fieldErrors?.q).toBe(
      "Мәтінде рұқсат етілмеген көрінбейтін таңба (NUL) бар. Оны өшіріп, қайта жіберіңіз",
    );
    const page = await fetch(`${base}/s/${a.slug}/trainees?q=%00`, { headers: { cookie: cookieA } });
    expect(page.status).toBe(400);
  });

  it("in a name, anywhere in the input, is refused before anything is written", async () => {
    const before = await operatorDb().trainee.count({ where: { schoolId: a.schoolId } });
    const r = await refusal(
      a.director.trainees.create({ school: a.slug, ...traineeInput({ lastName: "Сапаров\u0000" }) }),
    );
    expect(r.ru.fieldErrors).toEqual({ lastName: NUL_RU });
    const own = await a.director.trainees.create({ school: a.slug, ...traineeInput() });
    const nested = await refusal(
      a.director.trainees.update({
        school: a.slug,
        id: own.id,
        data: { ...traineeInput({ address: "Алматы\u0000" }) },
      }),
    );
    expect(nested.ru.fieldErrors).toEqual({ "data.address": NUL_RU });
    expect(await operatorDb().trainee.count({ where: { schoolId: a.schoolId } })).toBe(before + 1);
  });

  it("in a form sent without signing in (sign-up) is a 400 too, and no school is created", async () => {
    const before = await operatorDb().school.count();
    const body = JSON.stringify({
      json: { ...signupInput({ schoolName: "Автомектеп\u0000", offerVersionId: await currentOfferId() }) },
    });
    const res = await fetch(`${base}/api/trpc/signup.signUp`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: "am_lang=kk" },
      body,
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.json.data.fieldErrors).toEqual({
      schoolName: "Мәтінде рұқсат етілмеген көрінбейтін таңба (NUL) бар. Оны өшіріп, қайта жіберіңіз",
    });
    expect(await operatorDb().school.count()).toBe(before);
  });

  it("in an uploaded 1C statement (text the database would store) is a 400 naming the line", async () => {
    const op = await addOperator("billing");
    const statement = readFileSync(new URL("../fixtures/statements/kz-utf8.txt", import.meta.url), "utf8").replace(
      "Номер=5561",
      "Номер=55\u000061",
    );
    const r = await refusal(
      op.caller.admin.billing.uploadStatement({
        fileName: "kl_to_1c.txt",
        base64: Buffer.from(statement).toString("base64"),
      }),
    );
    const line = statement.slice(0, statement.indexOf("\u0000")).split("\n").length;
    expect(r.ru).toMatchObject({
      status: 400,
      fieldErrors: {
        file: `Выписка повреждена: в строке ${line} двоичные данные (символ NUL). Выгрузите выписку из банка заново`,
      },
    });
    expect(await operatorDb().bankStatement.count()).toBe(0);
  });
});

describe("an URL-encoded post to an upload form", () => {
  it("is refused with 415 and a message (support ticket, bank statement), a multipart post without a boundary too, and a broken one with 400", async () => {
    const op = await addOperator("billing");
    const opCookie = (await startSession(op.userId, meta)).cookie.split(";")[0]!;
    // (each user reads their own language: the director Russian, the operator Kazakh)
    const pages = [
      [
        `/s/${a.slug}/support`,
        cookieA,
        "Форма отправлена не так: выберите файл в форме на странице и нажмите кнопку отправки",
      ],
      [
        "/admin/statements",
        opCookie,
        "Пішін дұрыс жіберілмеді: беттегі пішінде файлды таңдап, жіберу батырмасын басыңыз",
      ],
    ] as const;
    for (const [path, cookie, message] of pages) {
      const res = await fetch(`${base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: "kind=remark&subject=x&text=y&file=z",
      });
      expect({ path, status: res.status }).toEqual({ path, status: 415 });
      expect(await res.text()).toContain(message);
      const noBoundary = await fetch(`${base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "multipart/form-data" },
        body: "--x\r\n",
      });
      expect({ path, status: noBoundary.status }).toEqual({ path, status: 415 });
      const broken = await fetch(`${base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "multipart/form-data; boundary=zzz" },
        body: "garbage that is no multipart",
      });
      expect({ path, status: broken.status }).toEqual({ path, status: 400 });
    }
    // any other form: a body that isn't a form is 415, a broken multipart one 400 — each with a message, never a 500
    for (const [path, type, body, status] of [
      ["/login", "text/plain", "email=a@b.kz", 415],
      [`/s/${a.slug}/settings`, "application/json", "{}", 415],
      ["/login", "multipart/form-data; boundary=zzz", "garbage", 400],
      [`/s/${a.slug}/settings`, "multipart/form-data", "x", 400],
    ] as const) {
      const res = await fetch(`${base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: `${cookieA}; am_lang=ru`, "content-type": type },
        body,
      });
      expect({ path, type, status: res.status }).toEqual({ path, type, status });
      expect(await res.text()).toContain(
        "Форму не удалось прочитать. Откройте страницу заново и отправьте форму ещё раз",
      );
    }
    // the trainee import's second form (start the import) stays a plain form
    const start = await fetch(`${base}/s/${a.slug}/trainees/import`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: cookieA, "content-type": "application/x-www-form-urlencoded" },
      body: "id=not-a-uuid",
    });
    expect(start.status).toBe(400);
  });
});

describe("% and _ in a search match themselves", () => {
  it("in the trainee list, the register export, the groups and a group's candidates", async () => {
    const s = await createSchool();
    for (const lastName of ["Ким_Ли", "КимXЛи", "Сто%", "Стопроцентов"])
      await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName }) });
    const names = async (q: string) =>
      (await s.director.trainees.list({ school: s.slug, q })).items.map((t) => t.lastName).sort();
    // a name word is matched from its beginning: "_" and "%" alone begin no word, and find nobody, not everybody
    expect(await names("_")).toEqual([]);
    expect(await names("%")).toEqual([]);
    expect(await names("Ким_")).toEqual(["Ким_Ли"]);
    expect(await names("Ким_Ли")).toEqual(["Ким_Ли"]);
    expect(await names("Сто%")).toEqual(["Сто%"]);
    expect(await names("\\")).toEqual([]);
    const viaRegister = await operatorDb().trainee.findMany({
      where: { AND: [{ schoolId: s.schoolId }, ...(await traineeFilters(operatorDb(), { q: "сто%" }, OFFICE_VIEW))] },
      select: { lastName: true },
    });
    expect(viaRegister.map((t) => t.lastName)).toEqual(["Сто%"]);
    const group = await s.director.resources.createGroup({
      school: s.slug,
      number: "B_1",
      category: "B",
      startsOn: "2026-12-01",
      endsOn: "2027-02-28",
    });
    await s.director.resources.createGroup({
      school: s.slug,
      number: "BX1",
      category: "B",
      startsOn: "2026-12-01",
      endsOn: "2027-02-28",
    });
    expect((await s.director.resources.groups({ school: s.slug, q: "B_" })).map((g) => g.number)).toEqual(["B_1"]);
    expect(
      (await s.director.resources.groupCandidates({ school: s.slug, id: group.id, q: "ким_" })).map((c) => c.lastName),
    ).toEqual(["Ким_Ли"]);
  });

  it("in the console's searches: schools (both lists), invoices, users", async () => {
    const op = await addOperator("super_admin");
    const literal = await schoolPaidThrough(-3, { schoolName: "Автомектеп_100%" });
    const lookalike = await schoolPaidThrough(-3, { schoolName: "АвтомектепX100 жүргізу" });
    for (const x of [literal, lookalike]) await settleSchool(x.schoolId, today()); // each gets its next invoice
    expect((await op.caller.admin.schools({ q: "_100%" })).map((x) => x.name)).toEqual(["Автомектеп_100%"]);
    expect((await op.caller.admin.billing.schools({ q: "_100%" })).map((x) => x.name)).toEqual(["Автомектеп_100%"]);
    const invoices = await op.caller.admin.billing.invoices({ q: "_100" });
    expect(invoices.items.length).toBeGreaterThan(0);
    expect(invoices.items.every((i) => i.schoolName === "Автомектеп_100%")).toBe(true);
    await addMember(literal.schoolId, "teacher", "ivan_petrov@test.kz");
    await addMember(literal.schoolId, "teacher", "ivanxpetrov@test.kz");
    expect((await op.caller.admin.privacy.users({ q: "ivan_petrov" })).map((u) => u.email)).toEqual([
      "ivan_petrov@test.kz",
    ]);
  });
});

describe("download file names", () => {
  it("lose bidi controls (RTL override) and keep Kazakh and Russian letters, in the UTF-8 name and its ASCII twin", async () => {
    const t = await a.director.trainees.create({
      school: a.slug,
      ...traineeInput({ lastName: "Әбенова\u202Efdp.exe", firstName: "Айгерім" }),
    });
    const res = await fetch(`${base}/s/${a.slug}/trainees/${t.id}/card.pdf`, { headers: { cookie: cookieA } });
    expect(res.status).toBe(200);
    const cd = res.headers.get("content-disposition")!;
    expect(cd).not.toMatch(/%E2%80%AE|\u202E/i);
    const star = decodeURIComponent(cd.match(/filename\*=UTF-8''([^;]+)/)![1]!);
    expect(star).toMatch(/Әбенова/);
    expect(star).not.toMatch(/[\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
    expect(cd.match(/filename="([^"]*)"/)![1]).toMatch(/^[\x20-\x7e]+$/);

    const ticket = await a.director.support.create({
      school: a.slug,
      kind: "remark",
      subject: "Файл",
      text: "Скриншот",
      files: [{ name: "скрин\u202Egnp.exe", base64: PNG_1x1 }],
    });
    const got = await a.director.support.get({ school: a.slug, id: ticket.id });
    const file = await fetch(`${base}/s/${a.slug}/support/file/${got.attachments[0]!.id}`, {
      headers: { cookie: cookieA },
    });
    expect(file.status).toBe(200);
    const fcd = file.headers.get("content-disposition")!;
    expect(fcd).not.toMatch(/%E2%80%AE|\u202E/i);
    expect(decodeURIComponent(fcd.match(/filename\*=UTF-8''([^;]+)/)![1]!)).toBe("скринgnp.exe");
  });
});

describe("removing a trainee's photo", () => {
  it("answers NOT_FOUND for another school's trainee (and a missing one), and removes the own one", async () => {
    const theirs = await b.director.trainees.create({ school: b.slug, ...traineeInput() });
    await b.director.trainees.setPhoto({ school: b.slug, id: theirs.id, base64: PNG_1x1 });
    const r = await refusal(a.director.trainees.removePhoto({ school: a.slug, id: theirs.id }));
    expect(r.ru).toMatchObject({ status: 404, message: "Не найдено" });
    await expect(
      a.director.trainees.removePhoto({ school: a.slug, id: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await operatorDb().traineePhoto.count({ where: { traineeId: theirs.id } })).toBe(1);
    const own = await a.director.trainees.create({ school: a.slug, ...traineeInput() });
    await a.director.trainees.setPhoto({ school: a.slug, id: own.id, base64: PNG_1x1 });
    await expect(a.director.trainees.removePhoto({ school: a.slug, id: own.id })).resolves.toEqual({ ok: true });
    expect(await operatorDb().traineePhoto.count({ where: { traineeId: own.id } })).toBe(0);
  });
});
