// The operator's views and the manual suspension as their people read them (Remix behind Express, over HTTP,
// with real sessions): a school suspended by hand hears why and how to reach support, nothing of paying; the
// audit log by names and filters; the queue names; the offer editor and its diff preview; a school's
// disagreements with their version's date; the public offer as formatted text.
import { randomUUID } from "node:crypto";
import { operatorDb } from "../server/db/client.ts";
import { renderMail } from "../server/mail/templates.ts";
import type { MailJob } from "../server/mail/templates.ts";
import { addDays, almatyDate } from "../domain/kz/time.ts";
import { formatDate } from "../domain/i18n/index.ts";
import { QUEUES } from "../domain/queues.ts";
import { addMember, addOperator, createSchool } from "./factories.ts";
import { postForm, signedInCookie, webAppAround } from "./web.ts";

const web = webAppAround();
const db = () => operatorDb();

/** What the page shows a person: its HTML without the scripts that carry data for hydration. */
async function page(url: string, cookie: string | null, status = 200): Promise<string> {
  const res = await fetch(`${web.base}${url}`, { headers: cookie ? { cookie } : {} });
  expect(res.status, url).toBe(status);
  return (await res.text()).replace(/<script[\s\S]*?<\/script>/g, "");
}

const between = (html: string, start: string, end: string) => {
  const from = html.indexOf(start);
  expect(from, start).toBeGreaterThan(-1);
  return html.slice(from, html.indexOf(end, from));
};

const PAYMENT = /оплат|оплач|төле|төлем/i;

describe("a school the operator suspended by hand", () => {
  it("says so with the operator's reason and the way to support, in kk and ru, and nothing of paying; a school suspended for non-payment keeps its words", async () => {
    const s = await createSchool();
    const slug = (await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).slug;
    const registrar = await addMember(s.schoolId, "registrar");
    const op = await addOperator();
    // A school that has paid: there is nothing to pay, the operator suspends it for a violation.
    const reason = "Передача учётной записи третьим лицам (п. 4.3.3 оферты)";
    await op.caller.admin.billing.setAccess({ schoolId: s.schoolId, action: "suspend", reason });
    const stored = await db().accessTransition.findFirstOrThrow({
      where: { schoolId: s.schoolId, toStatus: "suspended" },
    });
    expect(stored).toMatchObject({ cause: "operator", reason });

    for (const [lang, title] of [
      ["ru", "Доступ к автошколе приостановлен оператором"],
      ["kk", "Автомектепке қол жеткізуді оператор тоқтатты"],
    ] as const) {
      // The registrar: the whole page.
      // (403: the section itself is refused; the layout shows the suspended page in its place.)
      const staff = await page(`/s/${slug}/trainees`, await signedInCookie(registrar.userId, lang), 403);
      expect(staff).toContain(title);
      expect(between(staff, 'data-testid="suspension-reason"', "</blockquote>")).toContain(reason);
      expect(staff).toContain(`href="/s/${slug}/support"`);
      expect(staff).toContain("info@avtomektep.kz");
      expect(staff).not.toMatch(PAYMENT);
      // The director: the suspended page (the side menu keeps its link to the billing section).
      const director = await page(`/s/${slug}/dashboard`, await signedInCookie(s.userId, lang), 403);
      const main = between(director, 'data-testid="suspended-page"', "</main>");
      expect(main).toContain(reason);
      expect(main).not.toMatch(PAYMENT);
      expect(main).not.toContain(`/s/${slug}/billing`);
    }
    // On the pages a suspended school still opens, the reason is a banner; support works.
    const cookie = await signedInCookie(s.userId, "ru");
    const support = await page(`/s/${slug}/support`, cookie);
    expect(between(support, 'data-testid="suspension-banner"', "</div>")).toContain(reason);
    expect(support).not.toContain('data-testid="suspended-page"');
    const hint = between(await page(`/s/${slug}/billing`, cookie), 'data-testid="access-hint"', "</p>");
    expect(hint).toContain("Доступ приостановлен оператором Avtomektep");
    expect(hint).not.toMatch(PAYMENT);
    // The API refuses with the same words, not "unpaid".
    await expect(registrar.caller.trainees.list({ school: slug })).rejects.toMatchObject({
      message: "school.suspendedByOperator",
    });
    // The directors' e-mail names the reason, the support, and nothing of paying, in both languages.
    const mail = await db().outboxEvent.findFirstOrThrow({
      where: { jobId: { startsWith: "access-operator-" }, payload: { path: ["to"], equals: s.email } },
    });
    const { subject, text } = renderMail(mail.payload as MailJob);
    expect(subject).toContain("оператор");
    expect(text).toContain(reason);
    expect(text).toContain("info@avtomektep.kz");
    expect(`${subject}\n${text}`).not.toMatch(PAYMENT);

    // Suspended by the access ladder (non-payment): the page still says what is owed.
    const unpaid = await createSchool();
    const unpaidSlug = (await db().school.findUniqueOrThrow({ where: { id: unpaid.schoolId } })).slug;
    await db().school.update({ where: { id: unpaid.schoolId }, data: { status: "suspended" } });
    const ladder = await page(`/s/${unpaidSlug}/dashboard`, await signedInCookie(unpaid.userId, "ru"), 403);
    expect(between(ladder, 'data-testid="suspended-page"', "</main>")).toContain(
      "Счёт за пользование Avtomektep не оплачен",
    );
  });
});

describe("the operator's audit log", () => {
  it("filtered by a school shows only its entries, by names with links, details as text, never ids or JSON", async () => {
    const a = await createSchool({ schoolName: "Жол Аудит Альфа" });
    const b = await createSchool({ schoolName: "Жол Аудит Бета" });
    const slugA = (await db().school.findUniqueOrThrow({ where: { id: a.schoolId } })).slug;
    const op = await addOperator();
    const cookie = await signedInCookie(op.userId, "ru");
    const director = await db().user.findUniqueOrThrow({ where: { id: a.userId } });

    for (const url of [
      `/admin/audit?schoolId=${a.schoolId}`,
      `/admin/audit?school=${encodeURIComponent("Аудит Альфа")}`,
    ]) {
      const html = await page(url, cookie);
      const table = between(html, 'data-testid="audit"', "</table>");
      expect(table, url).toContain(`href="/admin/schools/${a.schoolId}">Жол Аудит Альфа</a>`);
      expect(table, url).not.toContain("Жол Аудит Бета");
      expect(table, url).toContain(`>${director.fullName}</a>`);
      expect(table, url).toContain(director.email);
      expect(table, url).toContain("Регистрация автошколы");
      expect(table, url).toContain(`Адрес автошколы: ${slugA}`);
      expect(table, url).not.toContain(`${a.schoolId.slice(0, 8)}<`);
      expect(table, url).not.toMatch(/\{&quot;|\{"/);
    }
    // A text that fits both schools lists them to choose from.
    const both = await page(`/admin/audit?school=${encodeURIComponent("Жол Аудит")}`, cookie);
    const matches = between(both, 'data-testid="audit-school-matches"', "</p>");
    expect(matches).toContain("Жол Аудит Альфа");
    expect(matches).toContain("Жол Аудит Бета");
    // By the user (name or e-mail): the director of A only.
    const byUser = between(
      await page(`/admin/audit?user=${director.email}`, cookie),
      'data-testid="audit"',
      "</table>",
    );
    expect(byUser).toContain("Жол Аудит Альфа");
    expect(byUser).not.toContain("Жол Аудит Бета");
    // By days, DD.MM.YYYY in Astana time: today has them, tomorrow has none; a wrong date says so.
    const today = formatDate(almatyDate(new Date()));
    const tomorrow = formatDate(addDays(almatyDate(new Date()), 1));
    expect(await page(`/admin/audit?schoolId=${a.schoolId}&from=${today}&to=${today}`, cookie)).toContain(
      'data-testid="audit"',
    );
    const none = await page(`/admin/audit?schoolId=${a.schoolId}&from=${tomorrow}`, cookie);
    expect(none).not.toContain('data-testid="audit"');
    expect(none).toContain("Записей нет");
    expect(await page(`/admin/audit?from=31.02.2026`, cookie)).toContain("ДД.ММ.ГГГГ");
    expect(b.schoolId).not.toBe(a.schoolId);
  });

  it("pages newest first by keyset, each entry once, and the event filter keeps to its event", async () => {
    const s = await createSchool({ schoolName: "Жол Аудит Парақ" });
    const op = await addOperator();
    const cookie = await signedInCookie(op.userId, "kk");
    // 120 entries of one school, several in the same instant (one statement): the cursor must not lose any.
    await db().auditLog.createMany({
      data: Array.from({ length: 120 }, (_, i) => ({
        action: "school.updated",
        schoolId: s.schoolId,
        actorUserId: s.userId,
        details: { fields: [`f${i}`] },
      })),
    });
    const seen: string[] = [];
    let url: string | null = `/admin/audit?schoolId=${s.schoolId}&action=school.updated`;
    while (url) {
      const html = await page(url, cookie);
      seen.push(...[...html.matchAll(/Өзгертілген өрістер: (f\d+)/g)].map((m) => m[1]!));
      const next = html.match(/href="(\/admin\/audit\?[^"]*before=[^"]*)"/);
      url = next ? next[1]!.replace(/&amp;/g, "&") : null;
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
  });
});

describe("the operator's queue page", () => {
  it("names every queue in kk and ru", async () => {
    const op = await addOperator();
    for (const lang of ["kk", "ru"] as const) {
      const html = await page("/admin/queues", await signedInCookie(op.userId, lang));
      for (const q of QUEUES) {
        expect(html).toContain(`<span class="muted small mono">${q}</span>`);
        expect(html).not.toContain(`queues.names.${q}`);
      }
    }
  });
});

describe("the offer editor", () => {
  it("starts from the latest text in both languages and publishes only from a preview of the changed lines, with a tick", async () => {
    await createSchool();
    const op = await addOperator();
    const cookie = await signedInCookie(op.userId, "ru");
    const latest = await db().offerVersion.findFirstOrThrow({ orderBy: { version: "desc" } });
    const res = await fetch(`${web.base}/admin/offers`, { headers: { cookie } });
    const raw = await res.text();
    const decode = (s: string) =>
      s
        .replace(/&quot;/g, '"')
        .replace(/&#x27;|&#39;/g, "'")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&");
    const area = (name: string) => decode(between(raw, `name="${name}"`, "</textarea>").replace(/^[^>]*>/, ""));
    expect(area("textKk")).toBe(latest.textKk);
    expect(area("textRu")).toBe(latest.textRu);

    const draft = {
      textKk: latest.textKk,
      textRu: latest.textRu.replace("1.2. Акцепт", "1.2. Акцепт (согласие)"),
      summaryKk: "1.2-тармақ нақтыланды",
      summaryRu: "Уточнён пункт 1.2",
      effectiveFrom: addDays(almatyDate(new Date()), 8),
    };
    const preview = await fetch(`${web.base}/admin/offers`, postForm(cookie, { intent: "preview", ...draft }));
    const html = (await preview.text()).replace(/<script[\s\S]*?<\/script>/g, "");
    const ru = between(html, 'data-testid="diff-ru"', "</section>");
    expect(ru).toMatch(/<del>1\.2\. Акцепт - /);
    expect(ru).toMatch(/<ins>1\.2\. Акцепт \(согласие\) - /);
    expect(ru).toContain("добавлено строк: 1, удалено: 1");
    expect(between(html, 'data-testid="diff-kk"', "</section>")).toContain("без изменений");
    expect(await db().offerVersion.count({ where: { version: { gt: latest.version } } })).toBe(0);

    // Published without the tick: back to the preview, nothing published.
    const base = { ...draft, intent: "publish", baseVersion: String(latest.version) };
    const unticked = await fetch(`${web.base}/admin/offers`, postForm(cookie, base));
    expect(await unticked.text()).toContain("Отметьте, что изменения проверены");
    expect(await db().offerVersion.count({ where: { version: { gt: latest.version } } })).toBe(0);
    const ticked = await fetch(`${web.base}/admin/offers`, postForm(cookie, { ...base, checked: "yes" }));
    expect(await ticked.text()).toContain(`Редакция ${latest.version + 1} опубликована`);
    const published = await db().offerVersion.findFirstOrThrow({ orderBy: { version: "desc" } });
    // (as every form's text, trimmed: the seed file's last newline goes)
    expect(published).toMatchObject({
      version: latest.version + 1,
      textKk: draft.textKk.trim(),
      textRu: draft.textRu.trim(),
    });
  });
});

describe("a school's disagreements", () => {
  it("show the disagreed version's effective date", async () => {
    const s = await createSchool();
    const slug = (await db().school.findUniqueOrThrow({ where: { id: s.schoolId } })).slug;
    const op = await addOperator();
    const latest = await db().offerVersion.findFirstOrThrow({ orderBy: { version: "desc" } });
    const effective = addDays(almatyDate(new Date()), 15);
    const { id, version } = await op.caller.admin.notices.publishOffer({
      textKk: `${latest.textKk}\n12.1. Жаңа тармақ.`,
      textRu: `${latest.textRu}\n12.1. Новый пункт.`,
      summaryKk: "12.1-тармақ қосылды",
      summaryRu: "Добавлен пункт 12.1",
      effectiveFrom: effective,
    });
    const cookie = await signedInCookie(s.userId, "ru");
    const sent = await fetch(
      `${web.base}/s/${slug}/documents`,
      postForm(cookie, { offerVersionId: id, text: "Не согласны с пунктом 12.1", requestId: randomUUID() }),
    );
    expect(sent.status).toBe(200);
    const html = await page(`/s/${slug}/documents`, cookie);
    const mine = between(html, 'data-testid="my-disagreement"', "</li>");
    expect(mine).toContain(`Версия ${version}, с ${formatDate(effective)}`);
    expect(mine).toContain(`отправлено ${formatDate(new Date())}`);
  });
});

describe("the public offer", () => {
  it("reads as formatted text in kk and ru: headings, lists, paragraphs, no Markdown marks", async () => {
    for (const lang of ["kk", "ru"] as const) {
      const html = await page(`/?offer=${lang}`, null);
      const offer = between(html, 'data-testid="offer-text"', "</section>");
      expect(offer).toMatch(/<h2>/);
      expect(offer).toMatch(/<h3>/);
      expect(offer).toMatch(/<li>/);
      expect(offer).toMatch(/<p>1\.1\. /);
      expect(offer).not.toMatch(/##|>- |>\s*#/);
    }
  });
});
