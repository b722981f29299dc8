// Attack: a member with read-only rights (an inspector) or a trainee signed into their cabinet calls
// every state-changing procedure of their own school directly, with valid inputs naming that school's
// real records, bypassing the UI that hides the buttons. Each is refused with 403 and nothing is written.
import { addMember, createSchool } from "../factories.ts";
import { accepts, call, fieldNames, procedurePaths, procedureType, sampleInput } from "./inputs.ts";
import { populate, rowCounts, snapshot, type World } from "./world.ts";

/** Mutations open to anyone signed in or holding a link, by design: the caller's own account, sign-up, one-time links. */
const NOT_SCHOOL_SCOPED = procedurePaths.filter(
  (p) => procedureType(p) === "mutation" && !fieldNames(p).includes("school") && !p.startsWith("admin."),
);
/** What a trainee may do in their own cabinet (ADR 009, 011, 012): book and cancel driving lessons, take the online exam. */
const TRAINEE_WRITES = [
  "booking.book",
  "booking.cancel",
  "calendarCabinet.create",
  "calendarCabinet.revoke",
  "quizCabinet.answer",
  "quizCabinet.finish",
  "quizCabinet.start",
];

const mutations = procedurePaths.filter((p) => procedureType(p) === "mutation" && !NOT_SCHOOL_SCOPED.includes(p));

let w: World;
let inspector: Awaited<ReturnType<typeof addMember>>;
let before: { school: Record<string, string>; counts: Record<string, number> };

/** An input naming the school's own records: valid, so only the role check stands in the way. */
function ownInput(path: string) {
  const input = {
    ...sampleInput(path, (field) => {
      const kinds: Record<string, keyof World["ids"]> = {
        traineeId: "trainee",
        traineeIds: "trainee",
        present: "trainee",
        groupId: "group",
        instructorId: "instructor",
        teacherId: "teacher",
        vehicleId: "vehicle",
        invoiceId: "invoice",
        resultId: "result",
        attemptId: "attempt",
        questionId: "question",
        noticeId: "notice",
        schoolId: "school",
        lessonId: path.startsWith("theory.") ? "theoryLesson" : "lesson",
        userId: "registrar",
      };
      const byPath: [RegExp, keyof World["ids"]][] = [
        [/^staff\.revokeInvite$/, "invite"],
        [/billing\.checkout$/, "invoice"],
        [/support\.(message|reply|close)$/, "ticket"],
        [/resources\.updateGroup$/, "group"],
        [/resources\.updateVehicle$/, "vehicle"],
        [/traineeImport\./, "import"],
        [/exams\.cancel$/, "certificate"],
        [/quiz\.questions\./, "question"],
        [/admin\.contract\./, "claim"],
        [/^trainees\./, "trainee"],
      ];
      const kind = field === "id" ? (byPath.find(([re]) => re.test(path))?.[1] ?? "school") : kinds[field];
      const v = kind ? w.ids[kind] : "00000000-0000-4000-8000-000000000000";
      return field.endsWith("Ids") || field === "present" ? [v].flat() : [v].flat()[0];
    }),
    school: w.school.slug,
  };
  expect({ path, valid: accepts(path, input) }).toEqual({ path, valid: true });
  return input;
}

beforeAll(async () => {
  w = await populate(await createSchool(), "ROLEWALK");
  inspector = await addMember(w.school.schoolId, "inspector");
  before = { school: await snapshot(w.school.schoolId), counts: await rowCounts() };
}, 120_000);

it("knows the mutations it is checking", () => {
  expect(mutations.length).toBeGreaterThanOrEqual(75);
  expect(NOT_SCHOOL_SCOPED).toEqual([
    "auth.changePassword",
    "auth.login",
    "auth.logout",
    "auth.logoutEverywhere",
    "auth.reportCompromised",
    "auth.reportCompromisedByLink",
    "auth.requestPasswordReset",
    "auth.resetPassword",
    "auth.setLocale",
    "auth.verifyEmail",
    "cabinetJoin.accept",
    "invitation.accept",
    "privacyPublic.unsubscribe",
    "signup.confirm",
    "signup.signUp",
  ]);
});

it.each(mutations)("an inspector is refused %s with 403", async (path) => {
  await expect(call(inspector.caller, path, ownInput(path))).rejects.toMatchObject({ code: "FORBIDDEN" });
});

it.each(mutations.filter((p) => !TRAINEE_WRITES.includes(p)))(
  "a trainee in their cabinet is refused %s with 403",
  async (path) => {
    await expect(call(w.cabinet.caller, path, ownInput(path))).rejects.toMatchObject({ code: "FORBIDDEN" });
  },
);

it("after all of it, not a row of the school changed, and no outbox or audit row was written anywhere", async () => {
  expect(await rowCounts()).toEqual(before.counts);
  const after = await snapshot(w.school.schoolId);
  for (const table of Object.keys(before.school))
    expect({ table, rows: after[table] }).toEqual({ table, rows: before.school[table] });
});
