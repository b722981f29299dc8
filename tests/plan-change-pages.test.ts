// Changing a plan through the pages (ADR 043), as a browser without JavaScript does it: the director's billing page
// says what each plan would do and confirms what was done, in Russian and Kazakh; the operator's school card asks for
// a reason before it changes anything.
import { operatorDb } from "../server/db/client.ts";
import { addDays, daysBetween } from "../domain/kz/time.ts";
import { formatTiyn } from "../domain/i18n/index.ts";
import { addOperator } from "./factories.ts";
import { schoolMidPeriod, today } from "./billing.ts";
import { postForm, signedInCookie, visible, webAppAround } from "./web.ts";

const web = webAppAround();
const dmy = (iso: string) => iso.split("-").reverse().join(".");
const plan = (code: string) => operatorDb().tariffPlan.findUniqueOrThrow({ where: { code } });
const get = async (path: string, cookie: string) =>
  visible(await (await fetch(`${web.base}${path}`, { headers: { cookie } })).text());

describe("the director's plans", () => {
  it("in Russian: each plan says what it would do; an upgrade is confirmed with its charge and shows as an invoice to pay", async () => {
    const s = await schoolMidPeriod("start");
    const standard = await plan("standard");
    const cookie = await signedInCookie(s.userId, "ru");
    const left = daysBetween(today(), s.period.end) + 1;
    const all = daysBetween(s.period.start, s.period.end) + 1;
    const charge = formatTiyn(Math.round((2_000_000 * left) / all)).replace(/\u00a0/g, " ");

    const before = await get(`/s/${s.slug}/billing`, cookie);
    expect(before).toContain(`Сразу. Доплата ${charge} за ${dmy(today())}–${dmy(s.period.end)} — отдельным счётом.`);

    const res = await fetch(
      `${web.base}/s/${s.slug}/billing`,
      postForm(cookie, { intent: "plan", planId: standard.id }),
    );
    expect(res.status).toBe(200);
    const after = visible(await res.text());
    const invoice = await operatorDb().invoice.findFirstOrThrow({
      where: { schoolId: s.schoolId, planChangeId: { not: null } },
    });
    expect(after).toContain(
      `Тариф изменён на «Стандарт», новые лимиты уже действуют. Доплата ${charge} — в счёте ${invoice.number} выше.`,
    );
    expect(after).toContain(
      `Доплата за переход с тарифа «Старт» на «Стандарт», ${dmy(today())} – ${dmy(s.period.end)}`,
    );
  });

  it("in Kazakh: a downgrade waits for the first unpaid day, and the page offers to stay", async () => {
    const s = await schoolMidPeriod("standard");
    const start = await plan("start");
    const cookie = await signedInCookie(s.userId, "kk");
    const next = dmy(addDays(s.period.end, 1));
    expect(await get(`/s/${s.slug}/billing`, cookie)).toContain(
      `${next} бастап, оған дейін — бұрынғы тариф пен оның шектеулері.`,
    );

    const res = await fetch(`${web.base}/s/${s.slug}/billing`, postForm(cookie, { intent: "plan", planId: start.id }));
    const after = visible(await res.text());
    expect(after).toContain(`«Бастау» тарифі ${next} бастап қолданылады.`);
    expect(after).toContain(`${next} бастап «Бастау» тарифі. Оған дейін «Стандарт» қолданылады.`);
    expect(after).toContain("«Стандарт» тарифінде қалу");
  });
});

describe("the operator's school card", () => {
  it("asks for a reason, then changes the plan and says the directors are told", async () => {
    const s = await schoolMidPeriod("start");
    const network = await plan("network");
    const op = await addOperator("billing");
    const cookie = await signedInCookie(op.userId, "ru");
    const url = `${web.base}/admin/schools/${s.schoolId}`;
    const card = await get(`/admin/schools/${s.schoolId}`, cookie);
    expect(card).toContain("Изменить тариф");
    expect(card).toMatch(/Сеть Сразу\. Доплата [\d ]+,\d\d ₸ за/);

    const bare = await fetch(url, postForm(cookie, { intent: "plan", planId: network.id, reason: "" }));
    expect(bare.status).toBe(400);
    expect(await operatorDb().planChange.count({ where: { schoolId: s.schoolId } })).toBe(0);

    const done = await fetch(
      url,
      postForm(cookie, { intent: "plan", planId: network.id, reason: "Договор на бумаге № 12" }),
    );
    expect(done.status).toBe(200);
    expect(visible(await done.text())).toContain("Тариф изменён. Руководителям отправлено письмо с причиной");
    expect(await operatorDb().planChange.findFirstOrThrow({ where: { schoolId: s.schoolId } })).toMatchObject({
      toPlanId: network.id,
      byOperator: true,
      reason: "Договор на бумаге № 12",
    });
  });
});
