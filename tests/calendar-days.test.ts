// A date that is not a day of the calendar ("2026-11-36", "2026-02-30") is refused as a field error in kk and
// ru — it used to pass the YYYY-MM-DD pattern and come back as a 500 from the lesson week — and a week page
// asked for one shows this week instead of an error.
import { isCalendarDay } from "../domain/kz/time.ts";
import { almatyDate, mondayOf } from "../domain/kz/time.ts";
import { createSchool } from "./factories.ts";
import { signedInCookie, visible, webAppAround } from "./web.ts";

const web = webAppAround();

const lessonsOf = (school: string, from: string, to: string, cookie: string) =>
  fetch(
    `${web.base}/api/trpc/training.lessons?input=${encodeURIComponent(JSON.stringify({ json: { school, from, to } }))}`,
    { headers: { cookie } },
  );

describe("days of the calendar", () => {
  it("knows which YYYY-MM-DD are days", () => {
    expect(["2026-02-28", "2028-02-29", "2026-12-31", "2026-11-30"].map(isCalendarDay)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(
      ["2026-02-29", "2026-02-30", "2026-11-31", "2026-11-36", "2026-13-01", "2026-1-01", "2026-11-3x"].map(
        isCalendarDay,
      ),
    ).toEqual([false, false, false, false, false, false, false]);
  });

  it("the lesson week of an impossible day is a 400 naming the field, in kk and ru; a page asked for one shows this week", async () => {
    const s = await createSchool();
    const ru = await signedInCookie(s.userId, "ru");
    const good = await lessonsOf(s.slug, "2026-11-30", "2026-12-06", ru);
    expect(good.status).toBe(200);

    for (const [from, to] of [
      ["2026-11-30", "2026-11-36"],
      ["2026-02-30", "2026-03-06"],
    ]) {
      const res = await lessonsOf(s.slug, from!, to!, ru);
      expect(res.status).toBe(400);
      const body = (await res.json()) as {
        error: { json: { message: string; data: { fieldErrors?: Record<string, string> } } };
      };
      expect(Object.values(body.error.json.data.fieldErrors ?? {})).toContain("Введите дату в формате ГГГГ-ММ-ДД");
    }
    const kk = await signedInCookie(s.userId, "kk");
    const inKk = (await (await lessonsOf(s.slug, "2026-11-30", "2026-11-36", kk)).json()) as {
      error: { json: { data: { fieldErrors?: Record<string, string> } } };
    };
    expect(Object.values(inKk.error.json.data.fieldErrors ?? {})).toContain("Күнді ЖЖЖЖ-АА-КК түрінде енгізіңіз");

    // The week page of 30 February: this week, not an error page.
    const page = await fetch(`${web.base}/s/${s.slug}/lessons?week=2026-02-30`, { headers: { cookie: ru } });
    expect(page.status).toBe(200);
    const thisMonday = mondayOf(almatyDate(new Date()));
    expect(visible(await page.text())).toContain(thisMonday.split("-").reverse().join("."));
  });
});
