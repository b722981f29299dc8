import { randomUUID } from "node:crypto";
import pg from "pg";
import { operatorDb } from "../db/client.ts";
import { offerSha256 } from "../offer/service.ts";
import { startWorker } from "../../jobs/worker.ts";
import {
  addOperator,
  anonymousCaller,
  createSchool,
  currentOfferId,
  signupInput,
  uniqueBin,
} from "../../tests/factories.ts";
import { refusal } from "../../tests/refusal.ts";
import { waitForMail, linkIn } from "../../tests/mail.ts";
import { fetchSunkMail } from "../../dev/mail/client.ts";
import { testState } from "../../tests/state.ts";

let offerVersionId: string;
beforeAll(async () => {
  offerVersionId = await currentOfferId();
});

const db = () => operatorDb();
let ipSerial = 0;
const freshIp = () => `10.44.${Math.floor(++ipSerial / 250)}.${(ipSerial % 250) + 1}`;

/** The sign-up form posted from a browser at a fresh address. */
async function signUp(input: ReturnType<typeof signupInput>, opts: { ip?: string; locale?: "kk" | "ru" } = {}) {
  const { caller, setCookies } = await anonymousCaller({ ip: opts.ip ?? freshIp(), locale: opts.locale ?? "ru" });
  return { answer: await caller.signup.signUp(input), setCookies };
}

/** The link the worker will e-mail for the latest sign-up of `email` (read from its queued job). */
async function confirmationToken(email: string): Promise<string> {
  const request = await db().signupRequest.findFirstOrThrow({
    where: { email: email.toLowerCase() },
    orderBy: { requestedAt: "desc" },
  });
  const job = await db().outboxEvent.findUniqueOrThrow({ where: { jobId: `auth.signup.${request.id}` } });
  return (job.payload as { link: string }).link.split("/signup/confirm/")[1]!;
}

/** Opening the e-mailed link and pressing "confirm": the school is created and its director signed in. */
async function confirm(token: string, opts: { ip?: string; locale?: "kk" | "ru" } = {}) {
  const { caller, setCookies } = await anonymousCaller({ ip: opts.ip ?? freshIp(), locale: opts.locale ?? "ru" });
  return { ...(await caller.signup.confirm({ token })), setCookies };
}

async function signUpAndConfirm(input: ReturnType<typeof signupInput>, opts: { locale?: "kk" | "ru" } = {}) {
  await signUp(input, opts);
  return confirm(await confirmationToken(input.email), opts);
}

describe("school sign-up is acceptance of the public offer", () => {
  it("creates nothing until the e-mailed link is confirmed; then the school, its director, the acceptance with the text's hash, IP and browser, and the consent", async () => {
    const input = signupInput({ offerVersionId, schoolName: "ЖШС «Жол Қауіпсіздігі»", marketing: false });
    const ip = freshIp();
    const { answer, setCookies } = await signUp(input, { ip, locale: "kk" });
    expect(answer).toEqual({ email: input.email });
    expect(setCookies.some((c) => c.startsWith("am_session="))).toBe(false);
    expect(await db().user.count({ where: { email: input.email } })).toBe(0);
    expect(await db().school.count({ where: { binIin: input.binIin } })).toBe(0);

    const confirmed = await confirm(await confirmationToken(input.email), { locale: "kk" });
    expect(confirmed.slug).toBe("zhshs-zhol-qauipsizdigi");
    expect(
      confirmed.setCookies.some((c) => c.startsWith("am_session=") && /HttpOnly/i.test(c) && /SameSite=Lax/i.test(c)),
    ).toBe(true);

    const school = await db().school.findUniqueOrThrow({
      where: { slug: confirmed.slug },
      include: { memberships: { include: { user: true } }, acceptances: true, consents: true },
    });
    expect(school).toMatchObject({
      name: "ЖШС «Жол Қауіпсіздігі»",
      status: "trial",
      binIin: input.binIin,
      phone: "+77011234567",
    });
    const days = (school.trialEndsAt!.getTime() - school.createdAt.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(14);
    expect(school.memberships).toHaveLength(1);
    // Opening the link proved the address.
    expect(school.memberships[0]).toMatchObject({
      role: "director",
      user: { email: input.email, locale: "kk", emailVerifiedAt: expect.any(Date) },
    });

    const offer = await db().offerVersion.findUniqueOrThrow({ where: { id: offerVersionId } });
    expect(school.acceptances).toHaveLength(1);
    // The acceptance is the form's submission: its address and browser.
    expect(school.acceptances[0]).toMatchObject({
      offerVersionId,
      textSha256: offerSha256(offer.textKk, offer.textRu),
      ip,
      userAgent: "vitest",
    });
    expect(school.consents.map((c) => c.kind)).toEqual(["personal_data"]);
    const actions = (await db().auditLog.findMany({ where: { schoolId: school.id }, orderBy: { id: "asc" } })).map(
      (a) => a.action,
    );
    expect(actions).toEqual(["signup", "offer.accepted", "consent.granted"]);
  });

  it("refuses a BIN with a wrong check digit, saying so in the user's language, and saves nothing", async () => {
    const good = uniqueBin();
    const bad = good.slice(0, 11) + ((Number(good[11]) + 1) % 10);
    for (const [locale, text] of [
      ["ru", "БИН неверный: не сходится контрольная цифра"],
      ["kk", "БСН қате: бақылау цифры сәйкес келмейді"],
    ] as const) {
      const r = await refusal(signUp(signupInput({ offerVersionId, binIin: bad }), { locale }), locale);
      expect(r.code).toBe("BAD_REQUEST");
      expect(r.fieldErrors).toEqual({ binIin: text });
    }
    expect(await db().signupRequest.count({ where: { details: { path: ["binIin"], equals: bad } } })).toBe(0);
  });

  it("checks a sole proprietor's IIN as an IIN, birth date included", async () => {
    const r = await refusal(signUp(signupInput({ offerVersionId, kind: "sole_proprietor", binIin: "901330300000" })));
    expect(r.fieldErrors?.binIin).toBe("ИИН неверный: первые шесть цифр не являются датой рождения");
  });

  it("requires the offer tick and the personal-data tick", async () => {
    const r = await refusal(signUp(signupInput({ offerVersionId, acceptOffer: false, acceptPersonalData: undefined })));
    expect(r.fieldErrors).toMatchObject({
      acceptOffer: "Чтобы зарегистрироваться, примите условия публичной оферты",
      acceptPersonalData: "Чтобы зарегистрироваться, дайте согласие на обработку персональных данных",
    });
  });

  it("refuses acceptance of an offer version that is not the current one", async () => {
    expect((await refusal(signUp(signupInput({ offerVersionId: "00000000-0000-4000-8000-000000000000" })))).code).toBe(
      "CONFLICT",
    );
  });

  it("two schools with the same name get different workspace addresses", async () => {
    const one = await signUpAndConfirm(signupInput({ offerVersionId, schoolName: "Автошкола Драйв" }));
    const two = await signUpAndConfirm(signupInput({ offerVersionId, schoolName: "Автошкола Драйв" }));
    expect(one.slug).toBe("drayv");
    expect(two.slug).toBe("drayv-2");
  });

  it("gives new schools the trial length the operator set, without changing earlier schools", async () => {
    const before = await signUpAndConfirm(signupInput({ offerVersionId }));
    const support = await addOperator("support");
    await expect(support.caller.admin.setTrialDays({ days: 30 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const admin = await addOperator("super_admin");
    await expect(admin.caller.admin.setTrialDays({ days: 91 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await admin.caller.admin.setTrialDays({ days: 30 });
    const { caller } = await anonymousCaller();
    expect(await caller.signup.trialDays()).toBe(30);
    const after = await signUpAndConfirm(signupInput({ offerVersionId }));
    const days = async (slug: string) => {
      const s = await db().school.findUniqueOrThrow({ where: { slug } });
      return Math.round((s.trialEndsAt!.getTime() - s.createdAt.getTime()) / 86_400_000);
    };
    expect(await days(before.slug)).toBe(14);
    expect(await days(after.slug)).toBe(30);
    await admin.caller.admin.setTrialDays({ days: 14 });
  });
});

describe("the sign-up form does not tell which e-mails are registered", () => {
  it("answers and works the same for a new and a registered address", async () => {
    const existing = await createSchool();
    const fresh = signupInput({ offerVersionId });
    const taken = signupInput({ offerVersionId, email: existing.email.toUpperCase() });
    const jobsBefore = await db().outboxEvent.count();
    const a = await signUp(fresh);
    const jobsAfterFresh = await db().outboxEvent.count();
    const b = await signUp(taken);
    expect(a.answer).toEqual({ email: fresh.email });
    expect(b.answer).toEqual({ email: existing.email });
    // One sign-up request and one queued job each, of the same kind; nobody is signed in.
    expect(jobsAfterFresh - jobsBefore).toBe(1);
    expect((await db().outboxEvent.count()) - jobsAfterFresh).toBe(1);
    const jobs = await db().outboxEvent.findMany({
      orderBy: { id: "desc" },
      take: 2,
      select: { queue: true, jobName: true, payload: true },
    });
    expect(jobs.map((j) => [j.queue, j.jobName, Object.keys(j.payload as object).sort()])).toEqual([
      ["auth", "signup", ["link", "requestId"]],
      ["auth", "signup", ["link", "requestId"]],
    ]);
    expect(await db().signupRequest.count({ where: { email: { in: [fresh.email, existing.email] } } })).toBe(2);
    expect([...a.setCookies, ...b.setCookies].filter((c) => c.startsWith("am_session="))).toEqual([]);
  });

  it("the worker e-mails a new address its link and the owner of a registered one a warning, in their languages", async () => {
    const worker = await startWorker();
    try {
      const existing = await createSchool();
      const fresh = signupInput({ offerVersionId });
      await signUp(fresh, { locale: "kk" });
      await signUp(signupInput({ offerVersionId, email: existing.email }), { locale: "kk" });

      const link = await waitForMail(fresh.email, /растаңыз/);
      expect(link.text).toContain("Чтобы завершить регистрацию"); // the other language follows
      const token = linkIn(link, "/signup/confirm");

      // The owner (Russian, as their account says) learns someone tried; the mail carries no way to create anything.
      const warning = await waitForMail(existing.email, /Попытка регистрации/);
      expect(warning.text).not.toMatch(/signup\/confirm/);
      expect(warning.text).toContain("/forgot");
      expect(await db().school.count({ where: { email: existing.email } })).toBe(1);

      const { slug } = await confirm(token);
      expect(await db().school.count({ where: { slug } })).toBe(1);
      // The link works once.
      const again = await refusal(confirm(token));
      expect(again).toMatchObject({
        code: "BAD_REQUEST",
        message:
          "Ссылка недействительна или устарела: регистрация по ней не завершена. Заполните форму регистрации ещё раз",
      });
      // No separate "verify your e-mail" message: the link was that.
      expect((await fetchSunkMail(testState.sink!.httpUrl, fresh.email)).map((m) => m.subject)).toHaveLength(1);
    } finally {
      await worker.stop();
    }
  });

  it("a link for a registered address, or for a BIN registered meanwhile, creates nothing and says why", async () => {
    const existing = await createSchool();
    await signUp(signupInput({ offerVersionId, email: existing.email }));
    const stolen = await refusal(confirm(await confirmationToken(existing.email)));
    expect(stolen).toMatchObject({
      code: "CONFLICT",
      fieldErrors: { email: expect.stringContaining("уже зарегистрирован") },
    });

    const first = signupInput({ offerVersionId });
    const second = signupInput({ offerVersionId, binIin: first.binIin });
    await signUp(first);
    await signUp(second);
    await confirm(await confirmationToken(first.email));
    const sameBin = await refusal(confirm(await confirmationToken(second.email)));
    expect(sameBin).toMatchObject({
      code: "CONFLICT",
      fieldErrors: { binIin: expect.stringContaining("с этим БИН/ИИН уже зарегистрирована") },
    });
    expect(await db().school.count({ where: { binIin: first.binIin } })).toBe(1);
    expect(await db().user.count({ where: { email: second.email } })).toBe(0);
  });

  it("a link older than 48 hours is refused", async () => {
    const input = signupInput({ offerVersionId });
    await signUp(input);
    const token = await confirmationToken(input.email);
    // Two days later (the owner's connection: neither app role may change a request's dates).
    const owner = new pg.Client({ connectionString: testState.databaseUrl });
    await owner.connect();
    await owner.query("UPDATE signup_request SET expires_at = now() - interval '1 minute' WHERE email = $1", [
      input.email,
    ]);
    await owner.end();
    expect((await refusal(confirm(token))).code).toBe("BAD_REQUEST");
    expect(await db().user.count({ where: { email: input.email } })).toBe(0);
  });

  it("one address gets at most 3 sign-up e-mails an hour, silently; one IP may send 10 sign-ups an hour, then 429", async () => {
    const email = `flood.${randomUUID().slice(0, 8)}@test.kz`;
    for (let i = 0; i < 4; i++)
      expect((await signUp(signupInput({ offerVersionId, email }))).answer).toEqual({ email });
    expect(await db().signupRequest.count({ where: { email } })).toBe(3);

    const ip = freshIp();
    for (let i = 0; i < 10; i++) await signUp(signupInput({ offerVersionId }), { ip });
    const r = await refusal(signUp(signupInput({ offerVersionId }), { ip }), "kk");
    expect(r).toMatchObject({
      code: "TOO_MANY_REQUESTS",
      status: 429,
      message: expect.stringMatching(/^Сіздің мекенжайыңыздан сұраулар тым көп\. \d+ минуттан кейін қайталаңыз$/),
    });
  });
});
