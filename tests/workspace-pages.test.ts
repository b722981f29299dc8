// Workspace pages as the web serves them (Remix loaders behind Express), read over HTTP with a signed-in
// director's cookie: what the page costs the database, and the downloads a page links to.
import ExcelJS from "exceljs";
import { startSession } from "../server/auth/sessions.ts";
import { callerFor, createSchool, meta, traineeInput, uniqueIin } from "./factories.ts";
import { webAppAround } from "./web.ts";
import { traineeCaller } from "./quiz.ts";

const web = webAppAround();

/** How many times the web has run `school.shell` so far, from its own /metrics. */
async function workspaceReads(): Promise<number> {
  const body = await (await fetch(`${web.base}/metrics`)).text();
  const line = body
    .split("\n")
    .find(
      (l) =>
        l.startsWith("am_trpc_procedure_duration_seconds_count{") &&
        l.includes('procedure="school.shell"') &&
        l.includes('code="OK"'),
    );
  return line ? Number(line.split(" ").at(-1)) : 0;
}

describe("a page inside a school's workspace", () => {
  it("reads the workspace once, for the layout and the page together (a document request and the router's data request)", async () => {
    const s = await createSchool();
    const cookie = (await startSession(s.userId, meta)).cookie.split(";")[0]!;
    for (const url of [`/s/${s.slug}/exams`, `/s/${s.slug}/lessons`, `/s/${s.slug}/exams.data`]) {
      const before = await workspaceReads();
      const res = await fetch(`${web.base}${url}`, { headers: { cookie } });
      expect(res.status, url).toBe(200);
      await res.text();
      expect(await workspaceReads(), url).toBe(before + 1);
    }
  });

  it("offers the import template in the member's language, named in that language with a plain-ASCII fallback", async () => {
    const s = await createSchool();
    const cookie = (await startSession(s.userId, meta)).cookie.split(";")[0]!;
    for (const [lang, sheet] of [
      ["kk", "Оқушылар"],
      ["ru", "Курсанты"],
    ] as const) {
      await (await callerFor(s.userId)).auth.setLocale({ locale: lang }); // a fresh caller: it reads the saved language
      const res = await fetch(`${web.base}/s/${s.slug}/trainees/import-template`, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      const disposition = res.headers.get("content-disposition")!;
      expect(disposition).toContain(`filename="avtomektep-template-${lang}.xlsx"`);
      expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1]!)).toBe(`${sheet}.xlsx`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
      expect(wb.worksheets[0]!.name).toBe(sheet);
    }
  });

  it("says a duplicate IIN once, under the IIN field, with a link to the trainee who has it", async () => {
    const s = await createSchool();
    await (await callerFor(s.userId)).auth.setLocale({ locale: "ru" });
    const cookie = (await startSession(s.userId, meta)).cookie.split(";")[0]!;
    const iin = uniqueIin("2003-03-03");
    const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput({ iin }) });
    const res = await fetch(`${web.base}/s/${s.slug}/trainees/new`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ iin, lastName: "Сапаров", firstName: "Ерлан", category: "B", gearbox: "manual" }),
    });
    expect(res.status).toBe(409);
    // What the page shows (the action's data also travels in a script for hydration).
    const html = (await res.text()).replace(/<script[\s\S]*?<\/script>/g, "");
    expect(html.split("Курсант с этим ИИН уже есть в автошколе").length - 1).toBe(1);
    const field = html.slice(html.indexOf('id="f-iin"'));
    expect(field.slice(0, field.indexOf("</div>"))).toContain(
      `href="/s/${s.slug}/trainees/${id}">Открыть карточку курсанта</a>`,
    );
  });

  it("a new school hears of its empty question bank on the dashboard and the bank's page, adds the sample with one button, and the trainee's exam page says plainly until then", async () => {
    const s = await createSchool();
    await (await callerFor(s.userId)).auth.setLocale({ locale: "ru" });
    const cookie = (await startSession(s.userId, meta)).cookie.split(";")[0]!;
    const me = await traineeCaller(s, "ru");
    const traineeCookie = (await startSession(me.userId, meta)).cookie.split(";")[0]!;
    const page = async (url: string, c = cookie) => {
      const res = await fetch(`${web.base}${url}`, { headers: { cookie: c } });
      expect(res.status, url).toBe(200);
      return (await res.text()).replace(/<script[\s\S]*?<\/script>/g, "");
    };

    const dashboard = await page(`/s/${s.slug}/dashboard`);
    expect(dashboard).toContain("Банк вопросов пуст — курсанты не могут пройти онлайн-экзамен по теории.");
    expect(dashboard).toContain(`href="/s/${s.slug}/questions#sample">Открыть банк вопросов</a>`);
    expect(dashboard).toContain("В автошколе нет преподавателя");
    const exam = await page(`/t/${s.slug}/exam`, traineeCookie);
    expect(exam).toContain("Автошкола ещё не добавила вопросы для онлайн-экзамена, поэтому пройти его пока нельзя.");
    expect(exam).toMatch(/<button type="submit" class="primary quiz-big" disabled="">/);

    const bank = await page(`/s/${s.slug}/questions`);
    expect(bank).toContain("Банк вопросов пуст");
    expect(bank).toContain(">Добавить образцы вопросов</button>");
    const post = () =>
      fetch(`${web.base}/s/${s.slug}/questions`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "sample" }),
      });
    const added = await post();
    expect(added.status).toBe(302);
    const location = new URL(added.headers.get("location")!, web.base);
    const after = await page(location.pathname + location.search);
    expect(after).toMatch(/Добавлено \d+ вопрос(а|ов) из образцов/);
    expect(after).not.toContain("Банк вопросов пуст");
    expect(after).not.toContain(">Добавить образцы вопросов</button>");
    expect(after).toContain("из образцов");
    // Pressed again (a second tab, a double click): nothing is added twice.
    const again = await post();
    expect(again.headers.get("location")).toContain("sample=0");

    expect(await page(`/s/${s.slug}/dashboard`)).not.toContain("Банк вопросов пуст");
    const ready = await page(`/t/${s.slug}/exam`, traineeCookie);
    expect(ready).not.toContain("Автошкола ещё не добавила вопросы");
    expect(ready).toMatch(/<button type="submit" class="primary quiz-big">/);
  });
});
