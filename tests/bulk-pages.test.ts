// The register's bulk bar as the web serves it, used as a browser without JavaScript would: tick trainees and
// enrol them, or export just the ticked ones.
import ExcelJS from "exceljs";
import { operatorDb } from "../server/db/client.ts";
import { createSchool, traineeInput } from "./factories.ts";
import { postForm, signedInCookie, webAppAround } from "./web.ts";

const web = webAppAround();

describe("the register's bulk bar", () => {
  it("enrols the ticked trainees and says so; the one it cannot is named with the reason", async () => {
    const s = await createSchool();
    const add = async (lastName: string) =>
      (await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName }) })).id;
    const [a, b, c] = [await add("Әлиев"), await add("Бекова"), await add("Нұрланов")];
    await s.director.training.changeStatus({ school: s.slug, traineeId: c, to: "enrolled" });
    const cookie = await signedInCookie(s.userId, "kk");

    const page = await (await fetch(`${web.base}/s/${s.slug}/trainees`, { headers: { cookie } })).text();
    expect(page).toContain('data-testid="bulk-bar"');
    expect(page).toContain('name="id"');

    const body = new URLSearchParams([
      ["scope", "ticked"],
      ["id", a],
      ["id", b],
      ["id", c],
      ["kind", "status"],
      ["to", "enrolled"],
      ["intent", "bulk"],
    ]);
    const res = await fetch(`${web.base}/s/${s.slug}/trainees?index`, postForm(cookie, body));
    expect(res.status).toBe(200);
    const html = (await res.text()).replaceAll("<!-- -->", "");
    expect(html).toContain("Орындалды: 3 ішінен 2.");
    expect(html).toMatch(/Нұрланов Ерлан<\/a> — [^<]*«Қабылданды»/);
    const statuses = await operatorDb().trainee.findMany({ where: { id: { in: [a, b] } }, select: { status: true } });
    expect(statuses.map((t) => t.status)).toEqual(["enrolled", "enrolled"]);
  });

  it("exports just the ticked trainees to Excel, and asks to tick someone when nobody is", async () => {
    const s = await createSchool();
    const add = async (lastName: string) =>
      (await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName }) })).id;
    const [a] = [await add("Сейітов"), await add("Тоқтаров")];
    const cookie = await signedInCookie(s.userId, "ru");
    const url = `${web.base}/s/${s.slug}/exports/register.xlsx`;

    const res = await fetch(url, postForm(cookie, new URLSearchParams([["id", a!]])));
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const cells = book.worksheets[0]!.getSheetValues().flat().map(String).join(" ");
    expect(cells).toContain("Сейітов");
    expect(cells).not.toContain("Тоқтаров");

    const none = await fetch(url, postForm(cookie, new URLSearchParams([["scope", "ticked"]])));
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Выберите хотя бы одного курсанта");
  });

  it("prints the whole register the filters match, not just the page on screen", async () => {
    const s = await createSchool();
    for (let i = 0; i < 30; i++) {
      await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName: `Сапаров${i}` }) });
    }
    const cookie = await signedInCookie(s.userId, "ru");
    const rows = (html: string) => html.match(/href="\/s\/[^"]+\/trainees\/[0-9a-f-]{36}"/g)?.length ?? 0;
    const screen = await (await fetch(`${web.base}/s/${s.slug}/trainees`, { headers: { cookie } })).text();
    const sheet = await (await fetch(`${web.base}/s/${s.slug}/trainees?print=1`, { headers: { cookie } })).text();
    expect(rows(screen)).toBe(25);
    expect(rows(sheet)).toBe(30);
    expect(sheet).toContain("напечатано");
  });
});
