import { operatorDb } from "../db/client.ts";
import { addMember, createSchool, traineeInput } from "../../tests/factories.ts";
import { refusal } from "../../tests/refusal.ts";
import { expiryOf } from "./schema.ts";
import { almatyDate } from "../../domain/kz/time.ts";

type School = Awaited<ReturnType<typeof createSchool>>;

/** The refusal as the person reads it (ru). */
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const groupInput = (over: Record<string, unknown> = {}) => ({
  number: "B-1",
  category: "B" as const,
  startsOn: "2026-12-01",
  endsOn: "2027-02-28",
  teacherId: null,
  timetable: "Пн/Ср/Пт 18:00–20:00, ауд. 2",
  ...over,
});
const vehicleInput = (over: Record<string, unknown> = {}) => ({
  plate: "123 abc 02",
  makeModel: "Lada Granta",
  category: "B" as const,
  gearbox: "manual" as const,
  dualControls: true,
  insuranceValidUntil: null,
  inspectionValidUntil: null,
  active: true,
  ...over,
});

let s: School;
/** A category's manual-gearbox programme as the school's director reads it in the list. */
const manualProgramme = async (school: School, category: "B" | "C") =>
  (await school.director.resources.programmes({ school: school.slug })).find(
    (p) => p.category === category && p.gearbox === "manual",
  );
beforeAll(async () => {
  s = await createSchool();
});

describe("programmes", () => {
  it("lists every template as 'default', lets the director adjust the school's copy, and reset brings the template back", async () => {
    const before = await s.director.resources.programmes({ school: s.slug });
    const bManual = before.find((p) => p.category === "B" && p.gearbox === "manual")!;
    expect(bManual).toMatchObject({ source: "default" });
    expect(bManual.subjects.reduce((a, x) => a + x.hours, 0)).toBe(bManual.theoryHours);
    expect(before.every((p) => p.source === "default")).toBe(true);
    expect(before.length).toBeGreaterThanOrEqual(15);

    const subjects = bManual.subjects.map((x, i) => (i === 0 ? { ...x, hours: x.hours + 2 } : x));
    await s.director.resources.updateProgramme({
      school: s.slug,
      category: "B",
      gearbox: "manual",
      theoryHours: bManual.theoryHours + 2,
      drivingHours: 60,
      subjects,
    });
    expect(await manualProgramme(s, "B")).toMatchObject({
      source: "adjusted",
      theoryHours: bManual.theoryHours + 2,
      drivingHours: 60,
      template: { theoryHours: bManual.theoryHours, drivingHours: bManual.drivingHours },
    });
    // another school still sees the template
    const other = await createSchool();
    expect(await manualProgramme(other, "B")).toMatchObject({
      source: "default",
      drivingHours: bManual.drivingHours,
    });

    expect(await s.director.resources.resetProgramme({ school: s.slug, category: "B", gearbox: "manual" })).toEqual({
      reset: true,
    });
    expect(await manualProgramme(s, "B")).toMatchObject({
      source: "default",
      theoryHours: bManual.theoryHours,
      drivingHours: bManual.drivingHours,
    });
  });

  it("refuses subject hours that don't add up to the theory hours, naming both numbers", async () => {
    const r = await refusal(
      s.director.resources.updateProgramme({
        school: s.slug,
        category: "C",
        gearbox: "manual",
        theoryHours: 100,
        drivingHours: 72,
        subjects: [
          { code: "law", nameKk: "Заң", nameRu: "Закон", hours: 60 },
          { code: "exam", nameKk: "Емтихан", nameRu: "Экзамен", hours: 30 },
        ],
      }),
    );
    expect(r).toMatchObject({ code: "BAD_REQUEST", status: 400, field: "theoryHours" });
    expect(r.message).toBe("Сумма часов по предметам (90) должна равняться часам теории (100)");
    expect((await manualProgramme(s, "C"))?.source).toBe("default");
  });

  it("only the director adjusts a programme; a registrar may read it", async () => {
    const registrar = await addMember(s.schoolId, "registrar");
    expect((await registrar.caller.resources.programmes({ school: s.slug })).length).toBeGreaterThan(0);
    await expect(
      registrar.caller.resources.resetProgramme({ school: s.slug, category: "B", gearbox: "manual" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("groups", () => {
  it("a duplicate group number is a CONFLICT with a message on the number field", async () => {
    await s.director.resources.createGroup({ school: s.slug, ...groupInput({ number: "DUP-1" }) });
    const r = await refusal(s.director.resources.createGroup({ school: s.slug, ...groupInput({ number: "DUP-1" }) }));
    expect(r).toMatchObject({
      code: "CONFLICT",
      status: 409,
      field: "number",
      message: "Группа с таким номером уже есть в автошколе",
    });
    expect(r.fieldErrors).toEqual({ number: "Группа с таким номером уже есть в автошколе" });
  });

  it("refuses an end date before the start and a teacher who is not this school's teacher", async () => {
    const r = await refusal(
      s.director.resources.createGroup({
        school: s.slug,
        ...groupInput({ number: "BAD-1", startsOn: "2027-01-10", endsOn: "2027-01-01" }),
      }),
    );
    expect(r.fieldErrors?.endsOn).toBe("Дата окончания не может быть раньше даты начала");
    const instructor = await addMember(s.schoolId, "instructor");
    const r2 = await refusal(
      s.director.resources.createGroup({
        school: s.slug,
        ...groupInput({ number: "BAD-2", teacherId: instructor.userId }),
      }),
    );
    expect(r2).toMatchObject({ field: "teacherId", message: "Выберите преподавателя этой автошколы" });
    const teacher = await addMember(s.schoolId, "teacher");
    const { id } = await s.director.resources.createGroup({
      school: s.slug,
      ...groupInput({ number: "OK-1", teacherId: teacher.userId }),
    });
    expect(await s.director.resources.group({ school: s.slug, id })).toMatchObject({
      teacherId: teacher.userId,
      teacherName: expect.stringContaining("teacher"),
      startsOn: "2026-12-01",
      endsOn: "2027-02-28",
    });
  });

  it("refuses a trainee of another category, naming the trainee, and moves nobody", async () => {
    const { id: groupId } = await s.director.resources.createGroup({
      school: s.slug,
      ...groupInput({ number: "CAT-B" }),
    });
    const ok = await s.director.trainees.create({
      school: s.slug,
      ...traineeInput({ lastName: "Ахметов", firstName: "Бауыржан", category: "B" }),
    });
    const wrong = await s.director.trainees.create({
      school: s.slug,
      ...traineeInput({ lastName: "Жұмабаев", firstName: "Данияр", category: "C" }),
    });
    const r = await refusal(
      s.director.resources.assignToGroup({ school: s.slug, traineeIds: [ok.id, wrong.id], groupId }),
    );
    expect(r.code).toBe("BAD_REQUEST");
    expect(r.message).toBe("Жұмабаев Данияр учится на категорию C, а группа CAT-B — на категорию B");
    expect((await s.director.resources.group({ school: s.slug, id: groupId })).trainees).toEqual([]);
  });

  it("moves a trainee from one group to another (one group at a time), counts follow, and the move is audited", async () => {
    const g1 = await s.director.resources.createGroup({ school: s.slug, ...groupInput({ number: "MOVE-1" }) });
    const g2 = await s.director.resources.createGroup({ school: s.slug, ...groupInput({ number: "MOVE-2" }) });
    const t = await s.director.trainees.create({ school: s.slug, ...traineeInput({ category: "B" }) });
    expect(await s.director.resources.assignToGroup({ school: s.slug, traineeIds: [t.id], groupId: g1.id })).toEqual({
      moved: 1,
    });
    const registrar = await addMember(s.schoolId, "registrar");
    expect(
      await registrar.caller.resources.assignToGroup({ school: s.slug, traineeIds: [t.id], groupId: g2.id }),
    ).toEqual({ moved: 1 });

    const list = await s.director.resources.groups({ school: s.slug, q: "move" });
    expect(Object.fromEntries(list.map((g) => [g.number, g.traineeCount]))).toEqual({ "MOVE-1": 0, "MOVE-2": 1 });
    const g2Page = await s.director.resources.group({ school: s.slug, id: g2.id });
    expect(g2Page.trainees.map((x) => [x.id, x.status])).toEqual([[t.id, "applicant"]]);
    const trainee = await s.director.trainees.get({ school: s.slug, id: t.id });
    expect(trainee).toMatchObject({ groupId: g2.id, category: "B", status: "applicant" });

    const log = await operatorDb().auditLog.findMany({
      where: { schoolId: s.schoolId, action: "trainee.group_changed" },
      orderBy: { id: "asc" },
    });
    expect(log.map((l) => l.details)).toEqual(
      expect.arrayContaining([
        { traineeId: t.id, fromGroupId: null, toGroupId: g1.id },
        { traineeId: t.id, fromGroupId: g1.id, toGroupId: g2.id },
      ]),
    );
    // out of any group
    await s.director.resources.assignToGroup({ school: s.slug, traineeIds: [t.id], groupId: null });
    expect((await s.director.trainees.get({ school: s.slug, id: t.id })).groupId).toBeNull();
  });

  it("offers trainees of the group's category without a group as candidates", async () => {
    const g = await s.director.resources.createGroup({
      school: s.slug,
      ...groupInput({ number: "CAND-A", category: "A" }),
    });
    const a = await s.director.trainees.create({ school: s.slug, ...traineeInput({ category: "A" }) });
    const b = await s.director.trainees.create({ school: s.slug, ...traineeInput({ category: "B" }) });
    const ids = (await s.director.resources.groupCandidates({ school: s.slug, id: g.id })).map((x) => x.id);
    expect(ids).toContain(a.id);
    expect(ids).not.toContain(b.id);
  });
});

describe("vehicles", () => {
  it("normalises the plate (upper case, no spaces) and refuses the same plate twice", async () => {
    const { id } = await s.director.resources.createVehicle({
      school: s.slug,
      ...vehicleInput({ plate: " 777 kz a 02 " }),
    });
    const list = await s.director.resources.vehicles({ school: s.slug });
    expect(list.find((v) => v.id === id)?.plate).toBe("777KZA02");
    const r = await refusal(
      s.director.resources.createVehicle({
        school: s.slug,
        ...vehicleInput({ plate: "777KZA02", makeModel: "Kia Rio" }),
      }),
    );
    expect(r).toMatchObject({
      code: "CONFLICT",
      field: "plate",
      message: "Автомобиль с таким госномером уже есть в автошколе",
    });
    // editing another car onto the same plate is refused the same way
    const other = await s.director.resources.createVehicle({ school: s.slug, ...vehicleInput({ plate: "001aaa02" }) });
    const r2 = await refusal(
      s.director.resources.updateVehicle({ school: s.slug, id: other.id, data: vehicleInput({ plate: "777 KZA 02" }) }),
    );
    expect(r2).toMatchObject({ code: "CONFLICT", field: "plate" });
  });

  it("flags insurance and inspection that expire within 30 days or have expired (Almaty date)", async () => {
    const today = almatyDate(new Date());
    const { id } = await s.director.resources.createVehicle({
      school: s.slug,
      ...vehicleInput({
        plate: "555EXP02",
        insuranceValidUntil: addDays(today, 10),
        inspectionValidUntil: addDays(today, -1),
      }),
    });
    const v = (await s.director.resources.vehicles({ school: s.slug })).find((x) => x.id === id)!;
    expect(v).toMatchObject({ insurance: "soon", inspection: "expired", insuranceValidUntil: addDays(today, 10) });
    await s.director.resources.updateVehicle({
      school: s.slug,
      id,
      data: vehicleInput({ plate: "555EXP02", insuranceValidUntil: addDays(today, 31), inspectionValidUntil: today }),
    });
    expect(await s.director.resources.vehicle({ school: s.slug, id })).toMatchObject({
      insurance: "ok",
      inspection: "soon",
    });
  });

  it("computes expiry by the calendar day in Almaty (UTC+5), not UTC", () => {
    // 20:00 UTC on 31 Dec is already 1 Jan in Almaty
    expect(almatyDate(new Date("2026-12-31T20:00:00Z"))).toBe("2027-01-01");
    expect(expiryOf("2026-12-31", "2027-01-01")).toBe("expired");
    expect(expiryOf("2027-01-31", "2027-01-01")).toBe("soon");
    expect(expiryOf("2027-02-01", "2027-01-01")).toBe("ok");
    expect(expiryOf(null, "2027-01-01")).toBeNull();
  });
});

describe("staff profiles", () => {
  it("saves an instructor's categories and certificate; instructors() lists them with the expiry flag", async () => {
    const instructor = await addMember(s.schoolId, "instructor");
    const today = almatyDate(new Date());
    await s.director.resources.updateStaffProfile({
      school: s.slug,
      userId: instructor.userId,
      licenceCategories: ["C", "B", "B"],
      instructorCertNumber: "МП-0042",
      instructorCertValidUntil: addDays(today, 5),
    });
    expect(await s.director.resources.staffProfile({ school: s.slug, userId: instructor.userId })).toMatchObject({
      licenceCategories: ["B", "C"],
      instructorCertNumber: "МП-0042",
      cert: "soon",
      roles: ["instructor"],
    });
    const list = await s.director.resources.instructors({ school: s.slug });
    expect(list.find((i) => i.userId === instructor.userId)).toMatchObject({
      licenceCategories: ["B", "C"],
      cert: "soon",
    });
  });

  it("refuses a profile for someone who does not work in the school", async () => {
    const other = await createSchool();
    const stranger = await addMember(other.schoolId, "instructor");
    await expect(
      s.director.resources.updateStaffProfile({ school: s.slug, userId: stranger.userId, licenceCategories: ["B"] }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(s.director.resources.staffProfile({ school: s.slug, userId: stranger.userId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("read-only roles", () => {
  it("an inspector reads everything but is refused (403) every write of this router", async () => {
    const inspector = await addMember(s.schoolId, "inspector");
    const teacher = await addMember(s.schoolId, "teacher");
    const g = await s.director.resources.createGroup({ school: s.slug, ...groupInput({ number: "INSP-1" }) });
    const v = await s.director.resources.createVehicle({ school: s.slug, ...vehicleInput({ plate: "INSP02" }) });
    const t = await s.director.trainees.create({ school: s.slug, ...traineeInput() });
    const c = inspector.caller.resources;
    const school = s.slug;
    await expect(c.programmes({ school })).resolves.toBeTruthy();
    await expect(c.groups({ school })).resolves.toBeTruthy();
    await expect(c.group({ school, id: g.id })).resolves.toMatchObject({ number: "INSP-1" });
    await expect(c.vehicles({ school })).resolves.toBeTruthy();
    await expect(c.instructors({ school })).resolves.toBeTruthy();
    await expect(c.staffProfile({ school, userId: teacher.userId })).resolves.toMatchObject({ licenceCategories: [] });

    const mutations: [string, () => Promise<unknown>][] = [
      [
        "updateProgramme",
        () =>
          c.updateProgramme({
            school,
            category: "B",
            gearbox: "manual",
            theoryHours: 1,
            drivingHours: 1,
            subjects: [{ code: "x", nameKk: "x", nameRu: "x", hours: 1 }],
          }),
      ],
      ["resetProgramme", () => c.resetProgramme({ school, category: "B", gearbox: "manual" })],
      ["createGroup", () => c.createGroup({ school, ...groupInput({ number: "INSP-2" }) })],
      ["updateGroup", () => c.updateGroup({ school, id: g.id, data: groupInput({ number: "INSP-3" }) })],
      ["assignToGroup", () => c.assignToGroup({ school, traineeIds: [t.id], groupId: g.id })],
      ["createVehicle", () => c.createVehicle({ school, ...vehicleInput({ plate: "INSP03" }) })],
      ["updateVehicle", () => c.updateVehicle({ school, id: v.id, data: vehicleInput({ plate: "INSP04" }) })],
      ["updateStaffProfile", () => c.updateStaffProfile({ school, userId: teacher.userId, licenceCategories: ["B"] })],
    ];
    // every mutation of the router is in the list above
    const { resourcesRouter } = await import("./router.ts");
    const defs = (resourcesRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })
      ._def.procedures;
    const allMutations = Object.entries(defs)
      .filter(([, p]) => p._def.type === "mutation")
      .map(([k]) => k)
      .sort();
    expect(mutations.map(([k]) => k).sort()).toEqual(allMutations);
    for (const [name, call] of mutations) {
      const r = await refusal(call());
      expect({ name, code: r.code, status: r.status }).toEqual({ name, code: "FORBIDDEN", status: 403 });
    }
    expect((await s.director.resources.group({ school, id: g.id })).number).toBe("INSP-1");
    expect((await s.director.trainees.get({ school, id: t.id })).groupId).toBeNull();
  });
});

describe("schools are kept apart", () => {
  it("school A cannot read or change school B's group or vehicle by id", async () => {
    const b = await createSchool();
    const bGroup = await b.director.resources.createGroup({ school: b.slug, ...groupInput({ number: "B-SECRET" }) });
    const bCar = await b.director.resources.createVehicle({ school: b.slug, ...vehicleInput({ plate: "999BBB02" }) });
    const bTrainee = await b.director.trainees.create({ school: b.slug, ...traineeInput() });
    const a = s.director.resources;
    await expect(a.group({ school: s.slug, id: bGroup.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      a.updateGroup({ school: s.slug, id: bGroup.id, data: groupInput({ number: "HACKED" }) }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(a.groupCandidates({ school: s.slug, id: bGroup.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(a.assignToGroup({ school: s.slug, traineeIds: [bTrainee.id], groupId: null })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(a.vehicle({ school: s.slug, id: bCar.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      a.updateVehicle({ school: s.slug, id: bCar.id, data: vehicleInput({ plate: "HACK02" }) }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await b.director.resources.group({ school: b.slug, id: bGroup.id })).number).toBe("B-SECRET");
    expect((await b.director.resources.vehicle({ school: b.slug, id: bCar.id })).plate).toBe("999BBB02");
    expect((await a.groups({ school: s.slug })).map((g) => g.id)).not.toContain(bGroup.id);
  });
});
