import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { createCaller } from "../router.ts";
import { workerAround } from "../../tests/worker.ts";
import { addMember, anonymousCaller, callerFor, contextFor, createSchool } from "../../tests/factories.ts";
import { linkIn, waitForMail } from "../../tests/mail.ts";

workerAround();

/** An instructor of one school (`home`) invited by the director of another (`other`), with the e-mailed link's token. */
async function instructorInvitedElsewhere() {
  const home = await createSchool();
  const other = await createSchool();
  const instructor = await addMember(home.schoolId, "instructor");
  await other.director.staff.invite({ school: other.slug, email: instructor.email, role: "instructor" });
  const token = linkIn(await waitForMail(instructor.email, /Приглашение/), "/invite");
  return { home, other, instructor, token };
}

describe("inviting staff", () => {
  it("a new person follows the e-mailed link, sets a password and lands in the school with the invited role", async () => {
    const s = await createSchool();
    await s.director.staff.invite({ school: s.slug, email: "New.Teacher@Test.kz", role: "teacher" });
    const mail = await waitForMail("new.teacher@test.kz", /Приглашение/);
    expect(mail.text).toContain("Преподаватель");
    const token = linkIn(mail, "/invite");

    const { caller, setCookies } = await anonymousCaller({ locale: "ru" });
    expect(await caller.invitation.get({ token })).toMatchObject({
      email: "new.teacher@test.kz",
      role: "teacher",
      hasAccount: false,
    });
    const { slug } = await caller.invitation.accept({
      token,
      fullName: "Жанна Ержанова",
      password: "teacher-password-1",
    });
    expect(slug).toBe(s.slug);
    const session = setCookies.find((c) => c.startsWith("am_session="))!.split(";")[0]!;
    const teacher = createCaller((await contextFor(session)).ctx);
    await expect(teacher.trainees.list({ school: s.slug })).resolves.toMatchObject({ items: [] });
    // the link is spent
    await expect(caller.invitation.get({ token })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const list = await s.director.staff.list({ school: s.slug });
    expect(list.members.map((m) => [m.email, m.roles])).toEqual(
      expect.arrayContaining([["new.teacher@test.kz", ["teacher"]]]),
    );
    expect(list.invites).toEqual([]);
  });

  it("a person who already has an account (another school's instructor) accepts while signed in and can switch schools", async () => {
    const { home, other, instructor, token } = await instructorInvitedElsewhere();
    await expect((await anonymousCaller()).caller.invitation.get({ token })).resolves.toMatchObject({
      hasAccount: true,
    });
    // signed in as somebody else: refused
    const stranger = await addMember(home.schoolId, "registrar");
    await expect(stranger.caller.invitation.accept({ token })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await instructor.caller.invitation.accept({ token });
    const me = await instructor.caller.auth.me();
    expect(me!.schools.map((x) => x.slug).sort()).toEqual([home.slug, other.slug].sort());
    await expect(instructor.caller.trainees.list({ school: other.slug })).resolves.toBeDefined();
  });

  it("only the director invites; a registrar is refused", async () => {
    const s = await createSchool();
    const registrar = await addMember(s.schoolId, "registrar");
    const err = await registrar.caller.staff
      .invite({ school: s.slug, email: "x@test.kz", role: "teacher" })
      .catch((e) => e);
    expect(describeError(err, "ru")).toMatchObject({ status: 403, message: "У вас нет прав на это действие" });
    expect(await operatorDb().invitation.count({ where: { schoolId: s.schoolId } })).toBe(0);
  });

  it("a revoked invitation no longer opens", async () => {
    const s = await createSchool();
    const { id } = await s.director.staff.invite({ school: s.slug, email: "late@test.kz", role: "registrar" });
    const token = linkIn(await waitForMail("late@test.kz"), "/invite");
    await s.director.staff.revokeInvite({ school: s.slug, id });
    await expect(
      (await anonymousCaller()).caller.invitation.accept({
        token,
        fullName: "Late Person",
        password: "late-password-1",
      }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("accepting an invitation (the rule shared with the trainee cabinet)", () => {
  it("an address with an account must sign in; a new person needs a password and a name; an expired link doesn't open", async () => {
    const { other: s, instructor, token: known } = await instructorInvitedElsewhere();
    const { caller } = await anonymousCaller();
    await expect(caller.invitation.accept({ token: known, password: "some-password-1" })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: "invite.wrongAccount",
      cause: { params: { email: instructor.email } },
    });

    await s.director.staff.invite({ school: s.slug, email: "nameless@test.kz", role: "teacher" });
    const token = linkIn(await waitForMail("nameless@test.kz", /Приглашение/), "/invite");
    await expect(caller.invitation.accept({ token, fullName: "Без Пароля" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "password",
      cause: { field: "password" },
    });
    await expect(caller.invitation.accept({ token, password: "nameless-password-1" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "required",
      cause: { field: "fullName" },
    });
    // nothing of the refused attempts stays behind
    expect(await operatorDb().user.count({ where: { email: "nameless@test.kz" } })).toBe(0);

    await operatorDb().invitation.updateMany({ where: { schoolId: s.schoolId }, data: { expiresAt: new Date() } });
    await expect(caller.invitation.get({ token })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "auth.tokenInvalid",
    });
    await expect(
      caller.invitation.accept({ token, fullName: "Опоздавший", password: "nameless-password-1" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND", message: "auth.tokenInvalid" });
  });
});

describe("removing a member", () => {
  it("ends their access at once, even with a live session", async () => {
    const s = await createSchool();
    const registrar = await addMember(s.schoolId, "registrar");
    await expect(registrar.caller.trainees.list({ school: s.slug })).resolves.toBeDefined();
    await s.director.staff.remove({ school: s.slug, userId: registrar.userId });
    await expect(registrar.caller.trainees.list({ school: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await operatorDb().auditLog.count({ where: { schoolId: s.schoolId, action: "member.removed" } })).toBe(1);
  });

  it("never leaves a school without a director", async () => {
    const s = await createSchool();
    const err = await s.director.staff.remove({ school: s.slug, userId: s.userId }).catch((e) => e);
    expect(describeError(err, "ru").message).toBe("Нельзя удалить последнего руководителя автошколы");
    const err2 = await s.director.staff
      .setRoles({ school: s.slug, userId: s.userId, roles: ["registrar"] })
      .catch((e) => e);
    expect(err2.code).toBe("CONFLICT");
  });

  it("a role change is applied and logged", async () => {
    const s = await createSchool();
    const member = await addMember(s.schoolId, "teacher");
    await s.director.staff.setRoles({ school: s.slug, userId: member.userId, roles: ["registrar"] });
    const fresh = await callerFor(member.userId);
    await expect(fresh.trainees.create({ school: s.slug, iin: "x" } as never)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const entry = await operatorDb().auditLog.findFirst({
      where: { schoolId: s.schoolId, action: "member.role_changed" },
    });
    expect(entry?.details).toMatchObject({ from: ["teacher"], to: ["registrar"] });
  });
});
