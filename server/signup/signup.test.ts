import { operatorDb } from "../db/client.ts";
import { offerSha256 } from "../offer/service.ts";
import { startWorker } from "../../jobs/worker.ts";
import { addOperator, anonymousCaller, currentOfferId, signupInput, uniqueBin } from "../../tests/factories.ts";
import { waitForMail, linkIn } from "../../tests/mail.ts";

let offerVersionId: string;
beforeAll(async () => {
  offerVersionId = await currentOfferId();
});

describe("school sign-up is acceptance of the public offer", () => {
  it("registers the school, its director, the acceptance with the text's hash, IP and browser, and the consent", async () => {
    const { caller, setCookies } = await anonymousCaller({ locale: "kk" });
    const input = signupInput({ offerVersionId, schoolName: "ЖШС «Жол Қауіпсіздігі»", marketing: false });
    const { slug } = await caller.signup.signUp(input);
    expect(slug).toBe("zhshs-zhol-qauipsizdigi");
    expect(setCookies.some((c) => c.startsWith("am_session=") && /HttpOnly/i.test(c) && /SameSite=Lax/i.test(c))).toBe(true);

    const db = operatorDb();
    const school = await db.school.findUniqueOrThrow({ where: { slug }, include: { memberships: { include: { user: true } }, acceptances: true, consents: true } });
    expect(school).toMatchObject({ name: "ЖШС «Жол Қауіпсіздігі»", status: "trial", binIin: input.binIin, phone: "+77011234567" });
    // 14-day trial by default
    const days = (school.trialEndsAt!.getTime() - school.createdAt.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(14);
    expect(school.memberships).toHaveLength(1);
    expect(school.memberships[0]).toMatchObject({ role: "director", user: { email: input.email, locale: "kk", emailVerifiedAt: null } });

    const offer = await db.offerVersion.findUniqueOrThrow({ where: { id: offerVersionId } });
    expect(school.acceptances).toHaveLength(1);
    expect(school.acceptances[0]).toMatchObject({ offerVersionId, textSha256: offerSha256(offer.textKk, offer.textRu), ip: "10.1.2.3", userAgent: "vitest" });
    expect(school.consents.map((c) => c.kind)).toEqual(["personal_data"]);
    const actions = (await db.auditLog.findMany({ where: { schoolId: school.id }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["signup", "offer.accepted", "consent.granted"]);
  });

  it("refuses a BIN with a wrong check digit, saying so in the user's language, and saves nothing", async () => {
    const good = uniqueBin();
    const bad = good.slice(0, 11) + ((Number(good[11]) + 1) % 10);
    for (const [locale, text] of [["ru", "БИН неверный: не сходится контрольная цифра"], ["kk", "БСН қате: бақылау цифры сәйкес келмейді"]] as const) {
      const { caller } = await anonymousCaller({ locale });
      const err = await caller.signup.signUp(signupInput({ offerVersionId, binIin: bad })).catch((e) => e);
      expect(err.code).toBe("BAD_REQUEST");
      const { describeError } = await import("../trpc.ts");
      expect(describeError(err, locale).fieldErrors).toEqual({ binIin: text });
    }
    expect(await operatorDb().school.count({ where: { binIin: bad } })).toBe(0);
  });

  it("checks a sole proprietor's IIN as an IIN, birth date included", async () => {
    const { caller } = await anonymousCaller({ locale: "ru" });
    const err = await caller.signup.signUp(signupInput({ offerVersionId, kind: "sole_proprietor", binIin: "901330300000" })).catch((e) => e);
    const { describeError } = await import("../trpc.ts");
    expect(describeError(err, "ru").fieldErrors?.binIin).toBe("ИИН неверный: первые шесть цифр не являются датой рождения");
  });

  it("requires the offer tick and the personal-data tick", async () => {
    const { caller } = await anonymousCaller({ locale: "ru" });
    const err = await caller.signup.signUp(signupInput({ offerVersionId, acceptOffer: false, acceptPersonalData: undefined })).catch((e) => e);
    const { describeError } = await import("../trpc.ts");
    expect(describeError(err, "ru").fieldErrors).toMatchObject({
      acceptOffer: "Чтобы зарегистрироваться, примите условия публичной оферты",
      acceptPersonalData: "Чтобы зарегистрироваться, дайте согласие на обработку персональных данных",
    });
  });

  it("refuses the same BIN twice and the same e-mail twice, with clear messages", async () => {
    const { caller } = await anonymousCaller({ locale: "ru" });
    const first = signupInput({ offerVersionId });
    await caller.signup.signUp(first);
    const { describeError } = await import("../trpc.ts");

    const sameBin = await caller.signup.signUp(signupInput({ offerVersionId, binIin: first.binIin })).catch((e) => e);
    expect(sameBin.code).toBe("CONFLICT");
    expect(describeError(sameBin, "ru").fieldErrors).toEqual({ binIin: expect.stringContaining("с этим БИН/ИИН уже зарегистрирована") });

    const sameEmail = await caller.signup.signUp(signupInput({ offerVersionId, email: first.email.toUpperCase() })).catch((e) => e);
    expect(sameEmail.code).toBe("CONFLICT");
    expect(describeError(sameEmail, "ru").fieldErrors).toEqual({ email: expect.stringContaining("уже зарегистрирован") });
    // no orphan user or school from the refused attempts
    expect(await operatorDb().school.count({ where: { binIin: first.binIin } })).toBe(1);
  });

  it("refuses acceptance of an offer version that is not the current one", async () => {
    const { caller } = await anonymousCaller({ locale: "ru" });
    const err = await caller.signup.signUp(signupInput({ offerVersionId: "00000000-0000-4000-8000-000000000000" })).catch((e) => e);
    expect(err.code).toBe("CONFLICT");
  });

  it("two schools with the same name get different workspace addresses", async () => {
    const { caller } = await anonymousCaller();
    const one = await caller.signup.signUp(signupInput({ offerVersionId, schoolName: "Автошкола Драйв" }));
    const two = await caller.signup.signUp(signupInput({ offerVersionId, schoolName: "Автошкола Драйв" }));
    expect(one.slug).toBe("drayv");
    expect(two.slug).toBe("drayv-2");
  });

  it("sends the director an e-mail verification link that confirms the address once", async () => {
    const worker = await startWorker();
    try {
      const { caller } = await anonymousCaller({ locale: "kk" });
      const input = signupInput({ offerVersionId });
      await caller.signup.signUp(input);
      const mail = await waitForMail(input.email, /растаңыз/);
      expect(mail.text).toContain("Подтвердите адрес"); // the other language follows
      const token = linkIn(mail, "/verify");
      await caller.auth.verifyEmail({ token });
      expect((await operatorDb().user.findUniqueOrThrow({ where: { email: input.email } })).emailVerifiedAt).not.toBeNull();
      await expect(caller.auth.verifyEmail({ token })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    } finally {
      await worker.stop();
    }
  });

  it("gives new schools the trial length the operator set, without changing earlier schools", async () => {
    const { caller } = await anonymousCaller();
    const before = await caller.signup.signUp(signupInput({ offerVersionId }));
    const support = await addOperator("support");
    await expect(support.caller.admin.setTrialDays({ days: 30 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const admin = await addOperator("super_admin");
    await expect(admin.caller.admin.setTrialDays({ days: 91 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await admin.caller.admin.setTrialDays({ days: 30 });
    expect(await caller.signup.trialDays()).toBe(30);
    const after = await caller.signup.signUp(signupInput({ offerVersionId }));
    const days = async (slug: string) => {
      const s = await operatorDb().school.findUniqueOrThrow({ where: { slug } });
      return Math.round((s.trialEndsAt!.getTime() - s.createdAt.getTime()) / 86_400_000);
    };
    expect(await days(before.slug)).toBe(14);
    expect(await days(after.slug)).toBe(30);
    await admin.caller.admin.setTrialDays({ days: 14 });
  });
});
