// Attack: a member of the school whose role has no business with trainees' personal data (an instructor,
// a theory teacher) or a read-only controller (an inspector) calls every read of the workspace — lists,
// cards, searches, XLSX registers, PDF documents — with valid inputs naming the school's real records,
// bypassing the screens. Each role gets exactly what the data-minimisation rule gives it (ADR 026):
//   director, registrar — everything;
//   inspector — identity, contract and medical certificate, never contacts;
//   teacher — the roster only;
//   instructor — the roster, and the phone of a trainee they drive with.
import { randomUUID } from "node:crypto";
import { operatorDb } from "../../server/db/client.ts";
import { addDays, almatyDate, almatyToInstant } from "../../domain/kz/time.ts";
import { pdfText, xlsxRows } from "../documents.ts";
import { addMember, createSchool, traineeInput, uniqueIin } from "../factories.ts";
import { accepts, call, fieldNames, procedurePaths, procedureType, sampleInput } from "./inputs.ts";
import { PNG_1x1 } from "./world.ts";
import type { FileDownload } from "../../domain/files.ts";

type Role = "director" | "registrar" | "inspector" | "teacher" | "instructor";
const ROLES: Role[] = ["director", "registrar", "inspector", "teacher", "instructor"];

/** Guarded fields and the text by which each shows up anywhere (JSON, a spreadsheet, a PDF), whitespace ignored. */
type Marked =
  | "iin"
  | "birthDate"
  | "latinName"
  | "phone"
  | "email"
  | "address"
  | "contractNumber"
  | "contractPriceTiyn"
  | "paidTiyn"
  | "balanceTiyn"
  | "medicalCertNumber"
  | "medicalCertIssuedOn"
  | "medicalCertValidUntil"
  | "photo";

const IDENTITY: Marked[] = ["iin", "birthDate", "latinName", "photo"];
const CONTACTS: Marked[] = ["phone", "email", "address"];
const CONTRACT: Marked[] = ["contractNumber", "contractPriceTiyn", "paidTiyn", "balanceTiyn"];
const MEDICAL: Marked[] = ["medicalCertNumber", "medicalCertIssuedOn", "medicalCertValidUntil"];

/** The rule as a table, written out here so the test doesn't take it from the code it checks. */
const ALLOWED: Record<Role, { every: Marked[]; own: Marked[] }> = {
  director: { every: [...IDENTITY, ...CONTACTS, ...CONTRACT, ...MEDICAL], own: [] },
  registrar: { every: [...IDENTITY, ...CONTACTS, ...CONTRACT, ...MEDICAL], own: [] },
  inspector: { every: [...IDENTITY, ...CONTRACT, ...MEDICAL], own: [] },
  teacher: { every: [], own: [] },
  instructor: { every: [], own: ["phone"] },
};
const allowed = (role: Role, field: Marked, own: boolean) =>
  ALLOWED[role].every.includes(field) || (own && ALLOWED[role].own.includes(field));

const strip = (s: string) => s.replace(/[\s\u00a0]+/g, "");

/** Two trainees with distinctive values: A drives with the instructor, B does not. */
function person(n: 1 | 2) {
  const birth = n === 1 ? "1999-03-14" : "1998-07-23";
  const [y, m, d] = birth.split("-");
  const iin = uniqueIin(birth, n === 1 ? "female" : "male");
  const phone = n === 1 ? "7015559876" : "7017770000";
  const price = n === 1 ? 987_654 : 765_432;
  const paid = n === 1 ? 123_321 : 111_222;
  const medIssued = n === 1 ? "2030-03-18" : "2030-05-11";
  const medUntil = n === 1 ? "2031-03-17" : "2031-05-10";
  const dm = (iso: string) => {
    const [a, b, c] = iso.split("-");
    return [iso, `${c}.${b}.${a}`];
  };
  const input = traineeInput({
    iin,
    lastName: n === 1 ? "Әбенова" : "Сапаров",
    firstName: n === 1 ? "Айгерім" : "Ерлан",
    latinName: n === 1 ? "SECRETOVA AIGERIM" : "HIDDENOV ERLAN",
    phone: `+7${phone}`,
    email: `trainee${n}.secret.contact@mail.kz`,
    address: n === 1 ? "Секретная улица 7" : "Тайный переулок 12",
    contractNumber: `DOG-SECRET-4${n}`,
    contractPrice: String(price),
    medicalCertNumber: `MED-SECRET-${n}9`,
    medicalCertIssuedOn: medIssued,
    medicalCertValidUntil: medUntil,
  });
  const markers: Record<Marked, string[]> = {
    iin: [iin],
    birthDate: [birth, `${d}.${m}.${y}`],
    latinName: [n === 1 ? "SECRETOVA" : "HIDDENOV"],
    phone: [phone],
    email: [`trainee${n}.secret.contact@mail.kz`],
    address: [n === 1 ? "Секретная улица 7" : "Тайный переулок 12"],
    contractNumber: [`DOG-SECRET-4${n}`],
    contractPriceTiyn: [String(price)],
    paidTiyn: [String(paid)],
    balanceTiyn: [String(price - paid)],
    medicalCertNumber: [`MED-SECRET-${n}9`],
    medicalCertIssuedOn: dm(medIssued),
    medicalCertValidUntil: dm(medUntil),
    photo: [PNG_1x1],
  };
  return { input, paid, markers };
}

let school: Awaited<ReturnType<typeof createSchool>>;
const callers = {} as Record<Role, unknown>;
const ids = {} as {
  a: string;
  b: string;
  group: string;
  certificate: string;
  theoryLesson: string;
  lesson: string;
  import: string;
  instructor: string;
  teacher: string;
};
let A: ReturnType<typeof person>;
let B: ReturnType<typeof person>;
const today = almatyDate(new Date());

beforeAll(async () => {
  school = await createSchool();
  const s = school.slug;
  const d = school.director;
  callers.director = d;
  for (const role of ["registrar", "inspector", "teacher", "instructor"] as const) {
    const m = await addMember(school.schoolId, role);
    callers[role] = m.caller;
    if (role === "instructor") ids.instructor = m.userId;
    if (role === "teacher") ids.teacher = m.userId;
  }
  A = person(1);
  B = person(2);
  ids.a = (await d.trainees.create({ school: s, ...A.input })).id;
  ids.b = (await d.trainees.create({ school: s, ...B.input })).id;
  for (const [id, p] of [
    [ids.a, A],
    [ids.b, B],
  ] as const) {
    for (const to of ["enrolled", "training", "exams"] as const)
      await d.training.changeStatus({ school: s, traineeId: id, to });
    await d.training.addPayment({ school: s, traineeId: id, amountTiyn: p.paid * 100, paidOn: today });
    await d.trainees.setPhoto({ school: s, id, base64: PNG_1x1 });
  }
  ids.group = (
    await d.resources.createGroup({
      school: s,
      number: "B-01/2031",
      category: "B",
      startsOn: addDays(today, -30),
      endsOn: addDays(today, 60),
      teacherId: ids.teacher,
    })
  ).id;
  await d.resources.assignToGroup({ school: s, traineeIds: [ids.a, ids.b], groupId: ids.group });
  await d.resources.updateStaffProfile({
    school: s,
    userId: ids.instructor,
    licenceCategories: ["B"],
    instructorCertNumber: "ИН-1",
    instructorCertValidUntil: "2035-01-01",
  });
  const vehicle = await d.resources.createVehicle({
    school: s,
    plate: "555KZ02",
    makeModel: "Chevrolet Cobalt",
    category: "B",
    gearbox: "manual",
    insuranceValidUntil: "2035-01-01",
    inspectionValidUntil: "2035-01-01",
  });
  // A drives with the instructor: a lesson done yesterday; B never does.
  const startsAt = almatyToInstant(addDays(today, -1), "10:00");
  ids.lesson = randomUUID();
  await operatorDb().drivingLesson.create({
    data: {
      id: ids.lesson,
      schoolId: school.schoolId,
      traineeId: ids.a,
      instructorId: ids.instructor,
      vehicleId: vehicle.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 90 * 60_000),
      status: "done",
      markedBy: ids.instructor,
      markedAt: new Date(startsAt.getTime() + 95 * 60_000),
      bookedBy: school.userId,
    },
  });
  ids.theoryLesson = randomUUID();
  await operatorDb().theoryLesson.create({
    data: {
      id: ids.theoryLesson,
      schoolId: school.schoolId,
      groupId: ids.group,
      subjectCode: "PDD",
      teacherId: ids.teacher,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 90 * 60_000),
      room: "101",
      createdBy: school.userId,
    },
  });
  await d.exams.enterResult({ school: s, traineeId: ids.a, kind: "practical", score: 3 });
  ids.certificate = randomUUID();
  await operatorDb().certificate.create({
    data: {
      id: ids.certificate,
      schoolId: school.schoolId,
      number: 1,
      traineeId: ids.b,
      category: "B",
      issuedBy: school.userId,
    },
  });
  ids.import = randomUUID();
  await operatorDb().traineeImport.create({
    data: {
      id: ids.import,
      schoolId: school.schoolId,
      fileName: "import.xlsx",
      file: Buffer.from("PK"),
      createdBy: school.userId,
      totalRows: 1,
      goodRows: 1,
      report: {
        bad: [],
        preview: [{ row: 2, iin: A.markers.iin[0], name: "Әбенова Айгерім", category: "B", gearbox: "manual" }],
      },
    },
  });
}, 120_000);

/** Every file in an outcome replaced by its text, so a spreadsheet or a PDF is read like JSON. */
async function readable(x: unknown): Promise<unknown> {
  if (Array.isArray(x)) return Promise.all(x.map(readable));
  if (x && typeof x === "object" && !(x instanceof Date)) {
    const f = x as Partial<FileDownload>;
    if (typeof f.base64 === "string" && typeof f.contentType === "string") {
      const bytes = Buffer.from(f.base64, "base64");
      if (f.contentType.includes("pdf")) return { fileName: f.fileName, text: await pdfText(bytes) };
      if (f.contentType.includes("spreadsheet")) return { fileName: f.fileName, rows: await xlsxRows(bytes) };
      return { fileName: f.fileName, base64: f.base64 };
    }
    return Object.fromEntries(
      await Promise.all(Object.entries(x).map(async ([k, v]) => [k, await readable(v)] as const)),
    );
  }
  return x;
}

/** The outcome as one line of text; ids are masked so a random UUID can't look like an amount. */
const text = async (x: unknown) =>
  strip(
    (JSON.stringify(await readable(x), (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)) ?? "").replace(
      /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
      "<id>",
    ),
  );

/** The guarded values of A and B that a text shows though the role may not see them. */
function leaks(role: Role, t: string): string[] {
  const out: string[] = [];
  for (const [who, p, own] of [
    ["A", A, role === "instructor"],
    ["B", B, false],
  ] as const) {
    for (const [field, values] of Object.entries(p.markers) as [Marked, string[]][]) {
      if (allowed(role, field, own)) continue;
      if (values.some((v) => t.includes(strip(v)))) out.push(`${who}.${field}`);
    }
  }
  return out;
}

/** The workspace's reads: every query that takes a school (the trainee's cabinet and the console are other doors). */
const CABINET = [
  "booking.slots",
  "cabinet.overview",
  "calendarCabinet.mine",
  "quizCabinet.current",
  "quizCabinet.review",
  "quizCabinet.image",
];
const reads = procedurePaths.filter(
  (p) => procedureType(p) === "query" && fieldNames(p).includes("school") && !CABINET.includes(p),
);

function inputFor(path: string, trainee: "a" | "b") {
  const byId: [RegExp, keyof typeof ids][] = [
    [/^(trainees\.|exports\.(traineeCard|contract)$)/, trainee],
    [/^(resources\.(group|groupCandidates)|exports\.groupList)$/, "group"],
    [/^exams\.(certificate|certificatePdf)$/, "certificate"],
    [/^theory\.get$/, "theoryLesson"],
    [/^traineeImport\./, "import"],
  ];
  const input = sampleInput(path, (field) => {
    if (field === "id") {
      const kind = byId.find(([re]) => re.test(path))?.[1];
      return kind ? ids[kind] : randomUUID();
    }
    if (field === "traineeId" || field === "traineeIds") return field.endsWith("s") ? [ids[trainee]] : ids[trainee];
    if (field === "groupId") return ids.group;
    if (field === "lessonId") return path.startsWith("theory.") ? ids.theoryLesson : ids.lesson;
    if (field === "instructorId") return ids.instructor;
    if (field === "teacherId") return ids.teacher;
    return randomUUID();
  });
  // Whole lists — not a search for a made-up word nor the first status of the list — and a fortnight around today.
  const whole: Record<string, unknown> = { ...input, school: school.slug };
  for (const k of ["q", "cursor", "status", "category", "groupId", "before"]) {
    const without = { ...whole };
    delete without[k];
    if (k in whole && accepts(path, without)) delete whole[k];
  }
  if ("from" in whole) whole.from = addDays(today, -7);
  if ("to" in whole) whole.to = addDays(today, 7);
  expect({ path, valid: accepts(path, whole) }).toEqual({ path, valid: true });
  return whole;
}

async function outcome(role: Role, path: string, input: unknown) {
  try {
    return { ok: true as const, value: await call(callers[role], path, input) };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return { ok: false as const, code: err.code, message: err.message };
  }
}

it("walks a good number of the workspace's reads", () => {
  expect(reads.length).toBeGreaterThanOrEqual(40);
  for (const p of [
    "trainees.list",
    "trainees.get",
    "trainees.photo",
    "training.card",
    "training.lessons",
    "resources.group",
    "resources.groupCandidates",
    "exams.eligibility",
    "exams.groupEligibility",
    "exams.certificates",
    "exams.certificatePdf",
    "exams.registerXlsx",
    "exports.register",
    "exports.groupList",
    "exports.traineeCard",
    "exports.contract",
    "dashboard.overview",
    "traineeImport.get",
    "theory.get",
  ])
    expect(reads).toContain(p);
});

describe.each(ROLES)("a %s", (role) => {
  it.each(reads)("%s shows nothing of a trainee the rule hides", async (path) => {
    for (const trainee of ["a", "b"] as const) {
      const out = await outcome(role, path, inputFor(path, trainee));
      if (!out.ok) expect({ path, code: out.code }).not.toEqual({ path, code: "INTERNAL_SERVER_ERROR" });
      expect({ path, trainee, leaked: leaks(role, await text(out)) }).toEqual({ path, trainee, leaked: [] });
    }
  });
});

describe("what each role does see", () => {
  const GET_FIELDS = [
    "iin",
    "birthDate",
    "sex",
    "latinName",
    "phone",
    "email",
    "address",
    "contractNumber",
    "contractPriceTiyn",
    "paidTiyn",
    "medicalCertNumber",
    "medicalCertIssuedOn",
    "medicalCertValidUntil",
    "photoUpdatedAt",
  ];
  // Identity, contract and medical data of every trainee, own or not; never the contacts.
  const INSPECTOR_FIELDS = [
    "iin",
    "birthDate",
    "sex",
    "latinName",
    "contractNumber",
    "contractPriceTiyn",
    "paidTiyn",
    "medicalCertNumber",
    "medicalCertIssuedOn",
    "medicalCertValidUntil",
    "photoUpdatedAt",
  ];
  const EXPECTED: Record<Role, { a: string[]; b: string[] }> = {
    director: { a: GET_FIELDS, b: GET_FIELDS },
    registrar: { a: GET_FIELDS, b: GET_FIELDS },
    inspector: { a: INSPECTOR_FIELDS, b: INSPECTOR_FIELDS },
    teacher: { a: [], b: [] },
    instructor: { a: ["phone"], b: [] },
  };

  it.each(ROLES)("trainees.get gives a %s exactly its fields, with the roster always there", async (role) => {
    for (const who of ["a", "b"] as const) {
      const t = (await call(callers[role], "trainees.get", { school: school.slug, id: ids[who] })) as Record<
        string,
        unknown
      >;
      expect({ role, who, fields: GET_FIELDS.filter((f) => f in t) }).toEqual({
        role,
        who,
        fields: EXPECTED[role][who],
      });
      expect(t).toMatchObject({ id: ids[who], category: "B", status: "exams" });
      expect(typeof t.lastName).toBe("string");
    }
  });

  it.each(ROLES)("the trainee register (XLSX) has only the %s's columns", async (role) => {
    const file = (await call(callers[role], "exports.register", { school: school.slug, lang: "ru" })) as FileDownload;
    const [rows] = Object.values(await xlsxRows(Buffer.from(file.base64, "base64")));
    const all = [
      "№",
      "ФИО",
      "ФИО латиницей",
      "ИИН",
      "Дата рождения",
      "Категория",
      "Коробка передач",
      "Статус",
      "Группа",
      "Телефон",
      "Номер договора",
      "Стоимость, ₸",
      "Оплачено, ₸",
      "Остаток, ₸",
      "Медсправка действительна до",
    ];
    const without = (...cols: string[]) => all.filter((c) => !cols.includes(c));
    const expected: Record<Role, string[]> = {
      director: all,
      registrar: all,
      inspector: without("Телефон"),
      teacher: without(
        "ФИО латиницей",
        "ИИН",
        "Дата рождения",
        "Телефон",
        "Номер договора",
        "Стоимость, ₸",
        "Оплачено, ₸",
        "Остаток, ₸",
        "Медсправка действительна до",
      ),
      instructor: without(
        "ФИО латиницей",
        "ИИН",
        "Дата рождения",
        "Телефон",
        "Номер договора",
        "Стоимость, ₸",
        "Оплачено, ₸",
        "Остаток, ₸",
        "Медсправка действительна до",
      ),
    };
    expect(rows![0]).toEqual(expected[role]);
    expect(
      rows!
        .slice(1)
        .map((r) => r[1])
        .sort(),
    ).toEqual(["Әбенова Айгерім", "Сапаров Ерлан"].sort());
    for (const r of rows!) expect(r).toHaveLength(expected[role].length);
  });

  it("the instructor reaches the trainee they drive with by phone on their schedule, and no one else", async () => {
    const lessons = (await call(callers.instructor, "training.lessons", {
      school: school.slug,
      from: addDays(today, -7),
      to: addDays(today, 7),
    })) as { trainee: Record<string, unknown> }[];
    expect(lessons.map((l) => l.trainee)).toEqual([
      expect.objectContaining({ id: ids.a, phone: `+7${A.markers.phone[0]}` }),
    ]);
    const teacherView = (await call(callers.teacher, "training.lessons", {
      school: school.slug,
      from: addDays(today, -7),
      to: addDays(today, 7),
    })) as { trainee: Record<string, unknown> }[];
    expect(teacherView.map((l) => "phone" in l.trainee)).toEqual([false]);
  });

  it("a search by digits finds by IIN only for a role that sees IINs — else it finds nobody, hiding the IIN digit by digit", async () => {
    const prefix = A.markers.iin[0]!.slice(0, 8);
    const list = async (role: Role, q: string) =>
      (await call(callers[role], "trainees.list", { school: school.slug, q })) as {
        items: { id: string }[];
        total: number;
      };
    expect((await list("registrar", prefix)).items.map((i) => i.id)).toEqual([ids.a]);
    expect((await list("inspector", prefix)).items.map((i) => i.id)).toEqual([ids.a]);
    expect(await list("instructor", prefix)).toMatchObject({ items: [], total: 0 });
    expect(await list("teacher", prefix)).toMatchObject({ items: [], total: 0 });
    // nor by the phone a role doesn't see of every trainee
    expect(await list("inspector", "7017770000")).toMatchObject({ items: [], total: 0 });
    expect(await list("instructor", "7015559876")).toMatchObject({ items: [], total: 0 });
    expect((await list("registrar", "7017770000")).items.map((i) => i.id)).toEqual([ids.b]);
    // by name, everyone finds the trainee
    for (const role of ROLES) expect((await list(role, "Әбенова")).items.map((i) => i.id)).toEqual([ids.a]);
    const candidates = (await call(callers.teacher, "resources.groupCandidates", {
      school: school.slug,
      id: ids.group,
      q: prefix,
    })) as unknown[];
    expect(candidates).toEqual([]);
    const certs = (await call(callers.instructor, "exams.certificates", {
      school: school.slug,
      q: B.markers.iin[0]!.slice(0, 6),
    })) as unknown[];
    expect(certs).toEqual([]);
  });

  it("documents that carry personal data by nature are the office's: the contract to director and registrar, the card and the certificate also to the inspector", async () => {
    const code = async (role: Role, path: string, id: string) => {
      const out = await outcome(role, path, { school: school.slug, id });
      return out.ok ? "ok" : out.code;
    };
    expect(await Promise.all(ROLES.map((r) => code(r, "exports.contract", ids.a)))).toEqual([
      "ok",
      "ok",
      "FORBIDDEN",
      "FORBIDDEN",
      "FORBIDDEN",
    ]);
    expect(await Promise.all(ROLES.map((r) => code(r, "exports.traineeCard", ids.a)))).toEqual([
      "ok",
      "ok",
      "ok",
      "FORBIDDEN",
      "FORBIDDEN",
    ]);
    expect(await Promise.all(ROLES.map((r) => code(r, "exams.certificatePdf", ids.certificate)))).toEqual([
      "ok",
      "ok",
      "ok",
      "FORBIDDEN",
      "FORBIDDEN",
    ]);
    // the inspector's card shows the IIN and the contract, not the phone
    const card = await text(
      await call(callers.inspector, "exports.traineeCard", { school: school.slug, id: ids.a, lang: "ru" }),
    );
    expect(card).toContain(A.markers.iin[0]);
    expect(card).toContain(A.markers.contractNumber[0]);
    expect(card).not.toContain(A.markers.phone[0]);
  });
});
