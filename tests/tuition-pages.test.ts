// The tuition schedule on the trainee card as the web serves it: the registrar splits the price over HTTP, the
// card shows the instalments in kk and ru; a sum that doesn't add up is refused under the lines field.
import { startSession } from "../server/auth/sessions.ts";
import { operatorDb } from "../server/db/client.ts";
import { callerFor, createSchool, meta, traineeInput } from "./factories.ts";
import { webAppAround } from "./web.ts";
import { traineeCaller } from "./quiz.ts";

const web = webAppAround();

const visible = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, "");

describe("the trainee card's tuition schedule", () => {
  it("is split by the registrar's form and shown with its dates, amounts and states, in ru and kk", async () => {
    const s = await createSchool();
    const cookie = (await startSession(s.userId, meta)).cookie.split(";")[0]!;
    const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    await operatorDb().trainee.update({ where: { id }, data: { contractPriceTiyn: 250_000_00n } });
    const url = `${web.base}/s/${s.slug}/trainees/${id}`;
    await (await callerFor(s.userId)).auth.setLocale({ locale: "ru" });

    const wrong = await fetch(url, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "schedule", kind: "text", lines: "15.01.2027 100 000\n15.02.2027 100 000" }),
    });
    expect(wrong.status).toBe(200); // the card's forms answer with the refusal in the page, as the payment form does
    expect(visible(await wrong.text())).toContain(
      "Сумма платежей графика (200\u00a0000,00\u00a0₸) должна равняться стоимости обучения (250\u00a0000,00\u00a0₸)",
    );
    expect(await operatorDb().tuitionInstalment.count({ where: { traineeId: id } })).toBe(0);

    const ok = await fetch(url, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "schedule", kind: "even", count: "3", firstDue: "2027-01-31" }),
    });
    expect(ok.status).toBe(200);
    expect(visible(await ok.text())).toContain("График оплаты сохранён");

    const ru = visible(await (await fetch(url, { headers: { cookie } })).text());
    const table = ru.slice(ru.indexOf('data-testid="instalments"'), ru.indexOf("</table>", ru.indexOf("instalments")));
    expect(table).toContain("31.01.2027");
    expect(table).toContain("28.02.2027");
    expect(table).toContain("31.03.2027");
    expect(table.split("83\u00a0333,00\u00a0₸").length - 1).toBe(2);
    expect(table.split("83\u00a0334,00\u00a0₸").length - 1).toBe(1);
    expect(table.split("Предстоит").length - 1).toBe(3);

    await (await callerFor(s.userId)).auth.setLocale({ locale: "kk" });
    const kk = visible(await (await fetch(url, { headers: { cookie } })).text());
    expect(kk).toContain("Төлем кестесі");
    expect(kk.split("Алда").length - 1).toBeGreaterThanOrEqual(3);
  });

  it("the director sets the school's Kaspi payee on its settings page, in ru and kk; the secret is never shown", async () => {
    const s = await createSchool();
    const cookie = (await startSession(s.userId, meta)).cookie.split(";")[0]!;
    await (await callerFor(s.userId)).auth.setLocale({ locale: "ru" });
    const url = `${web.base}/s/${s.slug}/settings/kaspi`;
    const before = visible(await (await fetch(url, { headers: { cookie } })).text());
    expect(before).toContain(`/pay/kaspi/school-${s.slug}`);
    expect(before).toContain("не задан — Kaspi пока не может обращаться к школе");
    const secret = "director-chosen-secret-0123456789";
    const saved = await fetch(url, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ allowedIps: "127.0.0.1\n10.0.0.0/8", newSecret: secret }),
    });
    expect(saved.status).toBe(200);
    const html = visible(await saved.text());
    expect(html).toContain("Настройки Kaspi сохранены");
    expect(html).not.toContain(secret);
    expect(await operatorDb().schoolKaspiPayee.findUniqueOrThrow({ where: { schoolId: s.schoolId } })).toMatchObject({
      allowedIps: ["127.0.0.1", "10.0.0.0/8"],
    });
    await (await callerFor(s.userId)).auth.setLocale({ locale: "kk" });
    const kk = visible(await (await fetch(url, { headers: { cookie } })).text());
    expect(kk).toContain("Оқу ақысын Kaspi.kz арқылы төлеу");
    expect(kk).not.toContain(secret);
  });

  it("the trainee's cabinet shows the schedule, what is due and the account to enter in Kaspi, in kk and ru", async () => {
    const s = await createSchool();
    const me = await traineeCaller(s, "kk");
    await operatorDb().trainee.update({
      where: { id: me.traineeId },
      data: { contractPriceTiyn: 150_000_00n, contractNumber: "Д-77" },
    });
    await s.director.training.setSchedule({
      school: s.slug,
      traineeId: me.traineeId,
      plan: { kind: "even", count: 2, firstDue: "2099-01-15" },
    });
    const cookie = (await startSession(me.userId, meta)).cookie.split(";")[0]!;
    const url = `${web.base}/t/${s.slug}`;
    const noKaspi = visible(await (await fetch(url, { headers: { cookie } })).text());
    expect(noKaspi).toContain("Төлем кестесі");
    expect(noKaspi).toContain("15.01.2099");
    expect(noKaspi).toContain("15.02.2099");
    expect(noKaspi.split("75\u00a0000,00\u00a0₸").length - 1).toBeGreaterThanOrEqual(2);
    expect(noKaspi).not.toContain('data-testid="kaspi-how"');

    await s.director.tuition.saveKaspiSettings({
      school: s.slug,
      allowedIps: ["127.0.0.1"],
      newSecret: "cabinet-test-secret-0123456789",
    });
    const kk = visible(await (await fetch(url, { headers: { cookie } })).text());
    const how = kk.slice(kk.indexOf('data-testid="kaspi-how"'), kk.indexOf("</div>", kk.indexOf("kaspi-how")));
    expect(how).toContain("Kaspi.kz арқылы төлеу");
    expect(how).toContain("Д-77");
    expect(how).toContain("Kaspi қазір төлейтін соманы көрсетеді: 75\u00a0000,00\u00a0₸");
    await me.caller.auth.setLocale({ locale: "ru" });
    const ru = visible(await (await fetch(url, { headers: { cookie } })).text());
    expect(ru).toContain("График оплаты");
    expect(ru).toContain("Kaspi покажет сумму к оплате сейчас: 75\u00a0000,00\u00a0₸");
  });
});
