// One thing done to many trainees at once: each through the same rule as one at a time, in one transaction,
// with the refused ones named and the reason given in the reader's language.
import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { addMember, callerFor, createSchool, traineeInput } from "../../tests/factories.ts";

type School = Awaited<ReturnType<typeof createSchool>>;

async function ruDirector(s: School) {
  await operatorDb().user.update({ where: { id: s.userId }, data: { locale: "ru" } });
  return callerFor(s.userId);
}

async function add(s: School, lastName: string, extra: Record<string, unknown> = {}) {
  const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName, ...extra }) });
  return id;
}

const statusOf = async (id: string) => (await operatorDb().trainee.findUniqueOrThrow({ where: { id } })).status;

describe("bulk actions on the register", () => {
  it("enrols the ticked applicants in one go and names the one it could not, with the reason", async () => {
    const s = await createSchool();
    const director = await ruDirector(s);
    const ids = [await add(s, "Абенов"), await add(s, "Бекова"), await add(s, "Жумабаев")];
    await director.training.changeStatus({ school: s.slug, traineeId: ids[2]!, to: "enrolled" });
    await director.training.changeStatus({ school: s.slug, traineeId: ids[2]!, to: "training" });

    const r = await director.trainees.bulk({
      school: s.slug,
      selection: { ids },
      action: { kind: "status", to: "enrolled" },
    });

    expect(r).toMatchObject({ selected: 3, done: 2 });
    expect(r.refused).toEqual([
      {
        id: ids[2],
        name: "Жумабаев Ерлан",
        reason: "Нельзя перевести курсанта из статуса «Обучается» в «Зачислен»",
      },
    ]);
    expect(await Promise.all(ids.map(statusOf))).toEqual(["enrolled", "enrolled", "training"]);
    // each enrolment is in the training journal, as if done one at a time
    const journal = await operatorDb().journalEntry.count({
      where: { schoolId: s.schoolId, kind: "trainee.enrolled", subjectId: { in: [ids[0]!, ids[1]!] } },
    });
    expect(journal).toBe(2);
  });

  it("moves every trainee the filters match into a group; another category is refused by name", async () => {
    const s = await createSchool();
    const director = await ruDirector(s);
    await add(s, "Омаров", { category: "B" });
    await add(s, "Омарова", { category: "B" });
    await add(s, "Сидоренко", { category: "C" });
    await add(s, "Омарбеков", { category: "B" });
    const group = await director.resources.createGroup({
      school: s.slug,
      number: "B-7",
      category: "B",
      startsOn: "2026-12-01",
      endsOn: "2027-02-28",
    });

    const r = await director.trainees.bulk({
      school: s.slug,
      selection: { filter: { q: "омар" } },
      action: { kind: "group", groupId: group.id },
    });

    expect(r.selected).toBe(3); // the names that begin with «омар» — not Сидоренко
    expect(r.done).toBe(3);
    const inGroup = await operatorDb().trainee.findMany({ where: { groupId: group.id }, select: { lastName: true } });
    expect(inGroup.map((t) => t.lastName).sort()).toEqual(["Омарбеков", "Омаров", "Омарова"]);

    const all = await director.trainees.bulk({
      school: s.slug,
      selection: { filter: {} },
      action: { kind: "group", groupId: group.id },
    });
    expect(all.refused.map((x) => x.name)).toEqual(["Сидоренко Ерлан"]);
    expect(all.refused[0]!.reason).toMatch(/категорию C, а группа B-7 — на категорию B/);
  });

  it("invites to the cabinet those with an e-mail and says who has none", async () => {
    const s = await createSchool();
    const director = await ruDirector(s);
    const withMail = await add(s, "Ахметова", { email: "akhmetova@test.kz" });
    const without = await add(s, "Байжанов");
    const r = await director.trainees.bulk({
      school: s.slug,
      selection: { ids: [withMail, without] },
      action: { kind: "invite" },
    });
    expect(r.done).toBe(1);
    expect(r.refused).toEqual([
      { id: without, name: "Байжанов Ерлан", reason: "Укажите e-mail курсанта, чтобы отправить приглашение" },
    ]);
    expect(await operatorDb().traineeInvite.count({ where: { traineeId: withMail } })).toBe(1);
  });

  it("is the office's: an instructor is refused, and another school's trainees are never touched", async () => {
    const s = await createSchool();
    const other = await createSchool();
    const theirs = await add(other, "Чужой");
    const instructor = await addMember(s.schoolId, "instructor");
    const mine = await add(s, "Свой");
    await expect(
      instructor.caller.trainees.bulk({ school: s.slug, selection: { ids: [mine] }, action: { kind: "invite" } }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    const director = await ruDirector(s);
    const err = await director.trainees
      .bulk({ school: s.slug, selection: { ids: [theirs] }, action: { kind: "status", to: "enrolled" } })
      .catch((e) => e);
    expect(describeError(err, "ru")).toMatchObject({ status: 400, message: "Выберите хотя бы одного курсанта" });
    expect(await statusOf(theirs)).toBe("applicant");
  });
});
