import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { addMember, createSchool, traineeInput, uniqueIin } from "../../tests/factories.ts";
import { makeIin } from "../../domain/kz/iin.ts";

let s: Awaited<ReturnType<typeof createSchool>>;
beforeAll(async () => {
  s = await createSchool();
});

describe("trainees", () => {
  it("a registrar adds a trainee; birth date and sex come from the IIN", async () => {
    const registrar = await addMember(s.schoolId, "registrar");
    const iin = makeIin("2006-08-09", "female", 321);
    const { id } = await registrar.caller.trainees.create({
      school: s.slug,
      ...traineeInput({ iin, lastName: "Әбілова", firstName: "Аружан", phone: "8 777 123 45 67" }),
    });
    const t = await registrar.caller.trainees.get({ school: s.slug, id });
    expect(t).toMatchObject({
      iin,
      lastName: "Әбілова",
      birthDate: "2006-08-09",
      sex: "female",
      phone: "+77771234567",
      status: "applicant",
    });
  });

  it("refuses a bad IIN, a birth date that disagrees with it, and a duplicate, with messages by field", async () => {
    const err = await s.director.trainees
      .create({ school: s.slug, ...traineeInput({ iin: "123456789012" }) })
      .catch((e) => e);
    expect(describeError(err, "kk").fieldErrors).toEqual({ iin: expect.stringMatching(/^ЖСН қате/) });
    const iin = uniqueIin("2001-01-01");
    const err2 = await s.director.trainees
      .create({ school: s.slug, ...traineeInput({ iin, birthDate: "2001-01-02" }) })
      .catch((e) => e);
    expect(describeError(err2, "ru").fieldErrors).toEqual({
      birthDate: "Дата рождения не совпадает с ИИН (01.01.2001)",
    });
    await s.director.trainees.create({ school: s.slug, ...traineeInput({ iin }) });
    const dup = await s.director.trainees.create({ school: s.slug, ...traineeInput({ iin }) }).catch((e) => e);
    expect(describeError(dup, "ru")).toMatchObject({
      status: 409,
      fieldErrors: { iin: "Курсант с этим ИИН уже есть в автошколе" },
    });
    expect(await operatorDb().trainee.count({ where: { schoolId: s.schoolId, iin } })).toBe(1);
  });

  it("a duplicate IIN names the trainee who has it (to open their card), on adding and on editing, within the school only", async () => {
    const iin = uniqueIin("2002-02-02");
    const { id: first } = await s.director.trainees.create({ school: s.slug, ...traineeInput({ iin }) });
    const registrar = await addMember(s.schoolId, "registrar");
    const dup = await registrar.caller.trainees.create({ school: s.slug, ...traineeInput({ iin }) }).catch((e) => e);
    expect(describeError(dup, "kk")).toMatchObject({
      status: 409,
      fieldErrors: { iin: "Бұл ЖСН бар оқушы автомектепте бұрыннан бар" },
      existingId: first,
    });

    const { id: second } = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    const edit = await s.director.trainees
      .update({ school: s.slug, id: second, data: traineeInput({ iin }) })
      .catch((e) => e);
    expect(describeError(edit, "ru")).toMatchObject({ status: 409, existingId: first });
    // Saving a trainee with their own IIN is no duplicate.
    await s.director.trainees.update({ school: s.slug, id: first, data: traineeInput({ iin, firstName: "Ержан" }) });

    // Another school knows nothing of this trainee: the same IIN is simply a new trainee there.
    const other = await createSchool();
    await expect(
      other.director.trainees.create({ school: other.slug, ...traineeInput({ iin }) }),
    ).resolves.toHaveProperty("id");
  });

  it("the same IIN may be a trainee in two different schools", async () => {
    const other = await createSchool();
    const iin = uniqueIin("1999-09-09");
    await s.director.trainees.create({ school: s.slug, ...traineeInput({ iin }) });
    await expect(
      other.director.trainees.create({ school: other.slug, ...traineeInput({ iin }) }),
    ).resolves.toHaveProperty("id");
  });

  it("an inspector reads the register but cannot write to it", async () => {
    const inspector = await addMember(s.schoolId, "inspector");
    const before = await operatorDb().trainee.count({ where: { schoolId: s.schoolId } });
    await expect(inspector.caller.trainees.list({ school: s.slug })).resolves.toHaveProperty("items");
    const err = await inspector.caller.trainees.create({ school: s.slug, ...traineeInput() }).catch((e) => e);
    expect(describeError(err, "ru")).toMatchObject({ status: 403 });
    const some = await operatorDb().trainee.findFirstOrThrow({ where: { schoolId: s.schoolId } });
    await expect(
      inspector.caller.trainees.update({ school: s.slug, id: some.id, data: traineeInput({ iin: some.iin }) }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await operatorDb().trainee.count({ where: { schoolId: s.schoolId } })).toBe(before);
  });

  it("pages through the whole list by keyset, in name order, without repeats or gaps", async () => {
    const school = await createSchool();
    const names = [
      "Ахметов",
      "Бекова",
      "Иванов",
      "Қасымов",
      "Нұрланов",
      "Оспанов",
      "Петров",
      "Сейтов",
      "Әлиев",
      "Ким",
      "Ахметов",
    ];
    for (const lastName of names)
      await school.director.trainees.create({ school: school.slug, ...traineeInput({ lastName }) });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await school.director.trainees.list({ school: school.slug, limit: 3, cursor });
      expect(page.total).toBe(names.length);
      seen.push(...page.items.map((t) => t.lastName));
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(4);
    // the pages together are exactly the one-page list, in the same (database collation) order
    const all = await school.director.trainees.list({ school: school.slug, limit: 100 });
    expect(seen).toEqual(all.items.map((t) => t.lastName));
    expect([...seen].sort()).toEqual([...names].sort());
  });

  it("finds trainees by part of the name, case-insensitively, and by IIN prefix", async () => {
    const school = await createSchool();
    const iin = makeIin("1988-02-03", "male", 777);
    await school.director.trainees.create({ school: school.slug, ...traineeInput({ lastName: "Төлеген", iin }) });
    await school.director.trainees.create({ school: school.slug, ...traineeInput({ lastName: "Смирнов" }) });
    const byName = await school.director.trainees.list({ school: school.slug, q: "төле" });
    expect(byName.items.map((t) => t.lastName)).toEqual(["Төлеген"]);
    const byIin = await school.director.trainees.list({ school: school.slug, q: iin.slice(0, 8) });
    expect(byIin.items.map((t) => t.iin)).toEqual([iin]);
  });

  it("keeps the contract and the medical certificate, with money typed in tenge stored as tiyn", async () => {
    const school = await createSchool();
    const { id } = await school.director.trainees.create({
      school: school.slug,
      ...traineeInput({
        gearbox: "automatic",
        contractNumber: "Д-2026/17",
        contractPrice: "285 000",
        medicalCertNumber: "086-4471",
        medicalCertIssuedOn: "2026-10-01",
        medicalCertValidUntil: "2027-10-01",
      }),
    });
    expect(await school.director.trainees.get({ school: school.slug, id })).toMatchObject({
      gearbox: "automatic",
      contractNumber: "Д-2026/17",
      contractPriceTiyn: 28_500_000,
      medicalCertValidUntil: "2027-10-01",
    });
    const bad = await school.director.trainees
      .create({
        school: school.slug,
        ...traineeInput({
          contractNumber: "Д-2026/17",
          contractPrice: "12,3,4",
          medicalCertIssuedOn: "2026-10-01",
          medicalCertValidUntil: "2026-09-01",
        }),
      })
      .catch((e) => e);
    expect(describeError(bad, "ru").fieldErrors).toEqual({
      contractPrice: "Введите сумму в тенге, например 250 000",
      medicalCertValidUntil: "Срок действия не может быть раньше даты выдачи",
    });
    const dup = await school.director.trainees
      .create({ school: school.slug, ...traineeInput({ contractNumber: "Д-2026/17" }) })
      .catch((e) => e);
    expect(describeError(dup, "kk").fieldErrors).toEqual({
      contractNumber: "Бұл нөмірлі шарт автомектепте бұрыннан бар",
    });
  });

  it("filters by category", async () => {
    const school = await createSchool();
    await school.director.trainees.create({ school: school.slug, ...traineeInput({ category: "C" }) });
    await school.director.trainees.create({ school: school.slug, ...traineeInput({ category: "B" }) });
    const c = await school.director.trainees.list({ school: school.slug, category: "C" });
    expect(c.items.map((t) => t.category)).toEqual(["C"]);
    expect(c.total).toBe(1);
  });

  it("pages newest first by keyset, also through trainees added in one statement", async () => {
    const school = await createSchool();
    await school.director.trainees.create({ school: school.slug, ...traineeInput({ lastName: "Бірінші" }) });
    // an import adds many rows in one statement: they share one creation time
    const { operatorDb } = await import("../db/client.ts");
    const { randomUUID } = await import("node:crypto");
    await operatorDb().trainee.createMany({
      data: Array.from({ length: 7 }, (_, i) => ({
        id: randomUUID(),
        schoolId: school.schoolId,
        iin: uniqueIin(),
        lastName: `Импорт${i}`,
        firstName: "Тест",
        birthDate: new Date("2000-01-01T00:00:00Z"),
        sex: "male" as const,
        category: "B",
      })),
    });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await school.director.trainees.list({ school: school.slug, sort: "newest", limit: 3, cursor });
      seen.push(...page.items.map((t) => t.lastName));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(seen.at(-1)).toBe("Бірінші");
  });

  it("keeps an optional photo, recognised by its bytes, and refuses what isn't a picture", async () => {
    const school = await createSchool();
    const { id } = await school.director.trainees.create({ school: school.slug, ...traineeInput() });
    // the smallest valid PNG: signature + IHDR 1x1 + IDAT + IEND
    const png = Buffer.from(
      "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
      "hex",
    );
    await school.director.trainees.setPhoto({ school: school.slug, id, base64: png.toString("base64") });
    const got = await school.director.trainees.photo({ school: school.slug, id });
    expect(got).toMatchObject({ contentType: "image/png" });
    expect(Buffer.from(got!.base64, "base64").equals(png)).toBe(true);
    expect((await school.director.trainees.get({ school: school.slug, id })).photoUpdatedAt).not.toBeNull();
    const fake = await school.director.trainees
      .setPhoto({ school: school.slug, id, base64: Buffer.from("<svg onload=alert(1)>").toString("base64") })
      .catch((e) => e);
    expect(describeError(fake, "ru").fieldErrors).toEqual({
      photo: "Это не изображение: загрузите PNG, JPEG или WebP",
    });
    const inspector = await addMember(school.schoolId, "inspector");
    await expect(inspector.caller.trainees.removePhoto({ school: school.slug, id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await school.director.trainees.removePhoto({ school: school.slug, id });
    expect(await school.director.trainees.photo({ school: school.slug, id })).toBeNull();
  });
});
