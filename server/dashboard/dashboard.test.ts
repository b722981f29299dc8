import { randomUUID } from "node:crypto";
import { inScope, operatorDb } from "../db/client.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import { addMember, createSchool, traineeInput } from "../../tests/factories.ts";
import { addInstructor, addVehicle } from "../../tests/lessons.ts";
import { dashboardOverview } from "./overview.ts";
import { computeWarnings, type WarningFact } from "../../domain/warnings.ts";

type School = Awaited<ReturnType<typeof createSchool>>;
const day = (d: string) => new Date(`${d}T00:00:00Z`);
const at = (d: string, time: string) => new Date(`${d}T${time}:00+05:00`);

describe("expiry warnings (pure)", () => {
  const fact = (validUntil: string, kind: WarningFact["kind"] = "medical"): WarningFact => ({
    schoolId: "s",
    kind,
    subjectId: validUntil,
    name: `N ${validUntil}`,
    validUntil,
  });

  it("warns 30 days ahead but not 31, on the last valid day, and once expired", () => {
    const today = "2026-12-01";
    const warnings = computeWarnings(
      [fact("2027-01-01"), fact("2026-12-31"), fact("2026-12-01"), fact("2026-11-30"), fact("2026-06-01", "insurance")],
      today,
    );
    expect(warnings.map((w) => [w.validUntil, w.state, w.days])).toEqual([
      ["2026-06-01", "expired", -183],
      ["2026-11-30", "expired", -1],
      ["2026-12-01", "soon", 0],
      ["2026-12-31", "soon", 30],
    ]);
  });

  it("counts days by the Almaty calendar: at 00:30 in Almaty (still the day before in UTC) yesterday's certificate has expired", () => {
    const instant = new Date("2026-11-30T19:30:00Z"); // 1 December, 00:30 in Almaty
    const [w] = computeWarnings([fact("2026-11-30")], almatyDate(instant));
    expect(w).toMatchObject({ state: "expired", days: -1 });
  });
});

/** A small school: an instructor, two cars, a group with a programme of 56 h driving, five trainees, lessons. */
async function seed(s: School) {
  const db = operatorDb();
  const trainee = async (lastName: string, data: Record<string, unknown>) => {
    const { id } = await s.director.trainees.create({
      school: s.slug,
      ...traineeInput({ lastName, firstName: "Тест" }),
    });
    await db.trainee.update({ where: { id }, data });
    return id;
  };
  const groupId = randomUUID();
  await db.studyGroup.create({
    data: {
      id: groupId,
      schoolId: s.schoolId,
      number: "B-11",
      category: "B",
      startsOn: day("2026-11-02"),
      endsOn: day("2027-01-29"),
    },
  });
  await db.programme.upsert({
    where: { schoolId_category_gearbox: { schoolId: s.schoolId, category: "B", gearbox: "manual" } },
    update: { drivingHours: 56 },
    create: {
      id: randomUUID(),
      schoolId: s.schoolId,
      category: "B",
      gearbox: "manual",
      theoryHours: 110,
      drivingHours: 56,
    },
  });
  const ahmet = await trainee("Ахметов", { status: "training", groupId, medicalCertValidUntil: day("2026-11-10") });
  const bolat = await trainee("Болатов", { status: "exams", groupId, medicalCertValidUntil: day("2027-05-01") });
  await trainee("Ержанов", { status: "expelled", groupId });
  await trainee("Жаксылыков", { status: "graduated", medicalCertValidUntil: day("2026-10-01") }); // finished: no warning
  await trainee("Иманов", { status: "applicant", category: "C" });

  const instructor = await addInstructor(s.schoolId, {
    fullName: "Мастер Қайратов",
    instructorCertValidUntil: day("2026-11-18"),
  });
  const car = await addVehicle(s.schoolId, {
    plate: "123ABC02",
    makeModel: "Chevrolet Cobalt",
    insuranceValidUntil: day("2026-12-18"),
    inspectionValidUntil: day("2026-12-19"),
  });
  await addVehicle(s.schoolId, {
    plate: "999OLD02",
    makeModel: "ВАЗ 2107",
    insuranceValidUntil: day("2025-01-01"),
    active: false,
  });

  const lesson = (
    traineeId: string,
    date: string,
    time: string,
    status: "booked" | "done" | "missed" | "cancelled",
    minutes = 90,
  ) =>
    db.drivingLesson.create({
      data: {
        id: randomUUID(),
        schoolId: s.schoolId,
        traineeId,
        instructorId: instructor.userId,
        vehicleId: car,
        startsAt: at(date, time),
        endsAt: new Date(at(date, time).getTime() + minutes * 60_000),
        status,
        ...(status === "cancelled" ? { cancelReason: "other" } : {}),
        bookedBy: s.userId,
      },
    });
  await lesson(ahmet, "2026-10-28", "10:00", "done", 120); // last month: counts for progress, not for November
  await lesson(ahmet, "2026-11-03", "10:00", "done");
  await lesson(ahmet, "2026-11-05", "10:00", "done");
  await lesson(bolat, "2026-11-10", "10:00", "done");
  await lesson(bolat, "2026-11-12", "10:00", "missed");
  await lesson(ahmet, "2026-11-13", "10:00", "cancelled");
  await lesson(ahmet, "2026-11-20", "10:00", "booked");
  await lesson(bolat, "2026-11-22", "12:00", "booked");
  await lesson(bolat, "2026-11-28", "12:00", "booked"); // in November, but more than 7 days ahead
  return { groupId, ahmet, bolat, instructor, car };
}

describe("the dashboard", () => {
  it("adds up a small school's trainees, group progress, what is coming, the month per instructor and the warnings", async () => {
    const s = await createSchool();
    const { groupId, ahmet, bolat, instructor, car } = await seed(s);
    const now = new Date("2026-11-18T06:00:00Z"); // 18 November, 11:00 in Almaty
    const d = await inScope({ schoolId: s.schoolId, userId: s.userId }, (tx) =>
      dashboardOverview(tx, s.schoolId, "ru", now),
    );

    expect(Object.fromEntries(d.byStatus.map((r) => [r.status, r.count]))).toEqual({
      applicant: 1,
      enrolled: 0,
      training: 1,
      exams: 1,
      graduated: 1,
      expelled: 1,
      transferred: 0,
    });
    expect(d.byCategory).toEqual([
      { category: "B", count: 2 },
      { category: "C", count: 1 },
    ]);
    expect(d.cards).toEqual({
      currentTrainees: 3,
      inTraining: 1,
      inExams: 1,
      lessonsDoneThisMonth: 3,
      upcomingLessons: 2,
      warningsExpired: 1,
      warningsSoon: 2,
    });

    // Ахметов 120 + 90 + 90 = 300 min, Болатов 90 min, the expelled one doesn't count: (300 + 90) / 2 = 195.
    expect(d.groups).toEqual([
      {
        id: groupId,
        number: "B-11",
        category: "B",
        startsOn: "2026-11-02",
        endsOn: "2027-01-29",
        trainees: 2,
        avgDoneMinutes: 195,
        avgRequiredMinutes: 56 * 60,
      },
    ]);

    expect(d.upcoming.exams.map((t) => [t.id, t.lastName, t.group])).toEqual([[bolat, "Болатов", "B-11"]]);
    expect(
      d.upcoming.lessons.map((l) => [l.trainee.lastName, l.startsAt.toISOString(), l.instructorName, l.plate]),
    ).toEqual([
      ["Ахметов", "2026-11-20T05:00:00.000Z", "Мастер Қайратов", "123ABC02"],
      ["Болатов", "2026-11-22T07:00:00.000Z", "Мастер Қайратов", "123ABC02"],
    ]);
    expect(d.instructors).toEqual([
      { instructorId: instructor.userId, name: "Мастер Қайратов", done: 3, missed: 1, booked: 3 },
    ]);

    expect(d.warnings.map((w) => [w.kind, w.subjectId, w.name, w.validUntil, w.state, w.days])).toEqual([
      ["medical", ahmet, "Ахметов Тест", "2026-11-10", "expired", -8],
      ["instructorCert", instructor.userId, "Мастер Қайратов", "2026-11-18", "soon", 0],
      ["insurance", car, "123ABC02", "2026-12-18", "soon", 30],
    ]);
  });

  it("is open to the inspector and the registrar, closed to instructors, and shows school B nothing of school A", async () => {
    const a = await createSchool();
    await seed(a);
    const b = await createSchool();
    const inspector = await addMember(a.schoolId, "inspector");
    const registrar = await addMember(a.schoolId, "registrar");
    const instructor = await addMember(a.schoolId, "instructor");

    for (const caller of [a.director, inspector.caller, registrar.caller]) {
      const d = await caller.dashboard.overview({ school: a.slug });
      expect(d.cards.currentTrainees).toBe(3);
      expect(d.byStatus.reduce((n, r) => n + r.count, 0)).toBe(5);
      // the graduated trainee's old certificate and the inactive car never warn, whatever the date
      expect(d.warnings.some((w) => w.name.startsWith("Жаксылыков") || w.name === "999OLD02")).toBe(false);
    }
    await expect(instructor.caller.dashboard.overview({ school: a.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const mine = await b.director.dashboard.overview({ school: b.slug });
    expect(mine.byStatus.every((r) => r.count === 0)).toBe(true);
    expect({
      groups: mine.groups,
      warnings: mine.warnings,
      instructors: mine.instructors,
      lessons: mine.upcoming.lessonCount,
    }).toEqual({ groups: [], warnings: [], instructors: [], lessons: 0 });
    await expect(b.director.dashboard.overview({ school: a.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("names what a new school still lacks — question bank, teacher, instructor, car — and each gap closes when it is filled", async () => {
    const s = await createSchool();
    const other = await createSchool();
    const overview = async () => (await s.director.dashboard.overview({ school: s.slug })).missing;
    expect(await overview()).toEqual(["questions", "teacher", "instructor", "vehicle"]);

    // Another school's staff, cars and questions fill none of this school's gaps.
    await addMember(other.schoolId, "teacher");
    await addInstructor(other.schoolId);
    await addVehicle(other.schoolId, { plate: "001AAA02" });
    await other.director.quiz.questions.addSample({ school: other.slug });
    expect(await overview()).toEqual(["questions", "teacher", "instructor", "vehicle"]);

    await s.director.quiz.questions.addSample({ school: s.slug });
    expect(await overview()).toEqual(["teacher", "instructor", "vehicle"]);
    await addMember(s.schoolId, "teacher");
    await addInstructor(s.schoolId);
    expect(await overview()).toEqual(["vehicle"]);
    await addVehicle(s.schoolId, { plate: "002AAA02" });
    expect(await overview()).toEqual([]);
    expect((await other.director.dashboard.overview({ school: other.slug })).missing).toEqual([]);
  });
});
