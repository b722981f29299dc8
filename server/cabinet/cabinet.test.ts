import { randomUUID } from "node:crypto";
import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { createCaller } from "../router.ts";
import { workerAround } from "../../tests/worker.ts";
import { addMember, anonymousCaller, contextFor, createSchool, traineeInput } from "../../tests/factories.ts";
import { addVehicle } from "../../tests/lessons.ts";
import { asTraineeRole, expectRefused } from "../../tests/trainee-role.ts";
import { linkIn, waitForMail } from "../../tests/mail.ts";

workerAround();

/** A school with two trainees in training, each with a lesson and a payment. */
async function schoolWithTwoTrainees() {
  const s = await createSchool();
  const instructor = await addMember(s.schoolId, "instructor");
  const car = await addVehicle(s.schoolId, { plate: "010AAA02" });
  const ids: string[] = [];
  for (const [i, lastName] of ["Мұратова", "Ким"].entries()) {
    const { id } = await s.director.trainees.create({
      school: s.slug,
      ...traineeInput({
        lastName,
        firstName: "Аяна",
        email: `trainee${i}.${Date.now()}@mail.kz`,
        contractPrice: "200 000",
      }),
    });
    await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "enrolled" });
    await s.director.training.addPayment({
      school: s.slug,
      traineeId: id,
      amountTiyn: (i + 1) * 50_000_00,
      paidOn: "2026-11-10",
    });
    const startsAt = new Date(Date.now() + (i + 1) * 86_400_000);
    await operatorDb().drivingLesson.create({
      data: {
        id: randomUUID(),
        schoolId: s.schoolId,
        traineeId: id,
        instructorId: instructor.userId,
        vehicleId: car,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 90 * 60_000),
        bookedBy: s.userId,
      },
    });
    ids.push(id);
  }
  return { s, ids };
}

async function joinCabinet(s: Awaited<ReturnType<typeof createSchool>>, traineeId: string) {
  await s.director.training.inviteTrainee({ school: s.slug, traineeId });
  const t = await operatorDb().trainee.findUniqueOrThrow({ where: { id: traineeId } });
  const token = linkIn(await waitForMail(t.email!, /кабинет/i), "/cabinet/join");
  const { caller, setCookies } = await anonymousCaller({ locale: "kk" });
  const { slug } = await caller.cabinetJoin.accept({ token, password: "my-own-password-1" });
  expect(slug).toBe(s.slug);
  const cookie = setCookies.find((c) => c.startsWith("am_session="))!.split(";")[0]!;
  return createCaller((await contextFor(cookie)).ctx);
}

describe("the trainee's cabinet", () => {
  it("is opened by the school's e-mailed invitation and shows the trainee's own schedule, hours and balance", async () => {
    const { s, ids } = await schoolWithTwoTrainees();
    const me = await joinCabinet(s, ids[0]!);
    const view = await me.cabinet.overview({ school: s.slug });
    expect(view.me).toMatchObject({
      lastName: "Мұратова",
      status: "enrolled",
      contractPriceTiyn: 200_000_00,
      paidTiyn: 50_000_00,
      balanceTiyn: 150_000_00,
    });
    expect(view.upcoming).toHaveLength(1);
    expect(view.history.map((h) => h.kind)).toEqual(["trainee.enrolled"]);
    expect((await me.auth.me())!.cabinets).toEqual([{ slug: s.slug, name: expect.any(String) }]);
  });

  it("shows nothing of anyone else, and a trainee can't open the staff workspace", async () => {
    const { s, ids } = await schoolWithTwoTrainees();
    const me = await joinCabinet(s, ids[0]!);
    const view = await me.cabinet.overview({ school: s.slug });
    const other = await operatorDb().drivingLesson.findFirstOrThrow({ where: { traineeId: ids[1]! } });
    expect(view.upcoming.map((l) => l.id)).not.toContain(other.id);
    expect(view.me.payments).toHaveLength(1);
    await expect(me.trainees.list({ school: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(me.training.card({ school: s.slug, traineeId: ids[1]! })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("the trainee role itself can read only the trainee's rows and write nothing", async () => {
    const { s, ids } = await schoolWithTwoTrainees();
    await asTraineeRole({ schoolId: s.schoolId, traineeId: ids[0]! }, async (c) => {
      expect((await c.query("SELECT id FROM trainee")).rows).toEqual([{ id: ids[0] }]);
      expect((await c.query("SELECT count(*)::int AS n FROM driving_lesson")).rows[0].n).toBe(1);
      expect((await c.query("SELECT count(*)::int AS n FROM trainee_payment")).rows[0].n).toBe(1);
      // each refusal aborts the statement only: a savepoint before each keeps the transaction going
      await expectRefused(c, [
        "SELECT email FROM app_user LIMIT 1",
        "UPDATE trainee SET paid_tiyn = 0",
        "SELECT count(*) FROM membership",
        "DELETE FROM driving_lesson",
      ]);
      expect((await c.query("SELECT current_user AS u")).rows[0].u).toBe("avtomektep_trainee");
    });
  });

  it("a trainee of one school has no cabinet in another", async () => {
    const { s, ids } = await schoolWithTwoTrainees();
    const other = await createSchool();
    const me = await joinCabinet(s, ids[0]!);
    await expect(me.cabinet.overview({ school: other.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("an invitation needs the trainee's e-mail, goes once, and the link works once", async () => {
    const s = await createSchool();
    const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    const noEmail = await s.director.training.inviteTrainee({ school: s.slug, traineeId: id }).catch((e) => e);
    expect(describeError(noEmail, "ru").fieldErrors).toEqual({
      email: "Укажите e-mail курсанта, чтобы отправить приглашение",
    });
    const { ids, s: s2 } = await schoolWithTwoTrainees();
    await joinCabinet(s2, ids[0]!);
    const again = await s2.director.training.inviteTrainee({ school: s2.slug, traineeId: ids[0]! }).catch((e) => e);
    expect(describeError(again, "ru").message).toBe("У курсанта уже есть вход в личный кабинет");
    const inspector = await addMember(s2.schoolId, "inspector");
    await expect(
      inspector.caller.training.inviteTrainee({ school: s2.slug, traineeId: ids[1]! }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("joining the cabinet (the rule shared with staff invitations)", () => {
  it("needs a password from a new person or the invited account signed in, names the account after the trainee, works once", async () => {
    const s = await createSchool();
    const { id } = await s.director.trainees.create({
      school: s.slug,
      ...traineeInput({ email: `join.${Date.now()}@mail.kz` }),
    });
    await s.director.training.inviteTrainee({ school: s.slug, traineeId: id });
    const t = await operatorDb().trainee.findUniqueOrThrow({ where: { id } });
    const token = linkIn(await waitForMail(t.email!, /кабинет/i), "/cabinet/join");
    const { caller } = await anonymousCaller();
    await expect(caller.cabinetJoin.accept({ token })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "password",
      cause: { field: "password" },
    });
    const stranger = await addMember(s.schoolId, "registrar");
    await expect(stranger.caller.cabinetJoin.accept({ token })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "invite.wrongAccount",
      cause: { params: { email: t.email } },
    });
    await caller.cabinetJoin.accept({ token, password: "my-own-password-1" });
    const user = await operatorDb().user.findUniqueOrThrow({ where: { email: t.email! } });
    expect(user.fullName).toBe(`${t.lastName} ${t.firstName}`);
    // the link is spent
    await expect(caller.cabinetJoin.accept({ token, password: "my-own-password-1" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "auth.tokenInvalid",
    });
  });

  it("an address that already has an account must sign in first; an expired link doesn't open", async () => {
    const s = await createSchool();
    const member = await addMember(s.schoolId, "teacher");
    const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput({ email: member.email }) });
    await s.director.training.inviteTrainee({ school: s.slug, traineeId: id });
    const token = linkIn(await waitForMail(member.email, /кабинет/i), "/cabinet/join");
    const { caller } = await anonymousCaller();
    await expect(caller.cabinetJoin.get({ token })).resolves.toMatchObject({ hasAccount: true, signedInAs: null });
    await expect(caller.cabinetJoin.accept({ token, password: "my-own-password-1" })).rejects.toMatchObject({
      code: "UNAUTHORIZED",
      message: "invite.wrongAccount",
      cause: { params: { email: member.email } },
    });
    await operatorDb().traineeInvite.updateMany({ where: { traineeId: id }, data: { expiresAt: new Date() } });
    await expect(member.caller.cabinetJoin.get({ token })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "auth.tokenInvalid",
    });
    await expect(member.caller.cabinetJoin.accept({ token })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("the cabinet of a school that has not paid", () => {
  it("stays readable while the school is restricted, refuses booking, and closes when it is suspended", async () => {
    const { s, ids } = await schoolWithTwoTrainees();
    const me = await joinCabinet(s, ids[0]!);
    await operatorDb().school.update({ where: { id: s.schoolId }, data: { status: "restricted" } });
    expect((await me.cabinet.overview({ school: s.slug })).me.lastName).toBe("Мұратова");
    await expect(me.booking.book({ school: s.slug, date: "2030-01-07", time: "10:00" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "billing.restricted",
    });
    await operatorDb().school.update({ where: { id: s.schoolId }, data: { status: "suspended" } });
    await expect(me.cabinet.overview({ school: s.slug })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "school.suspended",
    });
  });
});
