// Attack: a signed-in director of school A, working in A's own workspace, feeds school B's real ids
// into every id-like field of every procedure (and a trainee of A does the same in A's cabinet),
// hoping row-level security or a handler forgets a school filter somewhere. Nothing of B may come
// back, and no row of B may change.
import { operatorDb } from "../../server/db/client.ts";
import { createSchool } from "../factories.ts";
import { accepts, call, fieldNames, isIdField, issues, procedurePaths, procedureType, sampleInput } from "./inputs.ts";
import { allIds, populate, snapshot, traineeWithLogin, type IdKind, type School, type World } from "./world.ts";

const TAG = "ZETAWALK";

/**
 * Procedures with no id-like field, so there is nothing of B's to feed them. Each group says why it
 * is still safe; the queries among the workspace ones are called below anyway, to show they return
 * nothing of B. A new procedure must be added here or get an id field: the first test checks.
 */
const NO_ID_PROCEDURES = [
  // The operator console: a school member is refused every one of them (tests/security/access.test.ts).
  "admin.accounting.acts",
  "admin.accounting.esfRegister",
  "admin.billing.queues",
  "admin.billing.runToday",
  "admin.billing.saveSettings",
  "admin.billing.schools",
  "admin.billing.settings",
  "admin.billing.statements",
  "admin.billing.tariffs",
  "admin.billing.uploadStatement",
  "admin.kaspi.requests",
  "admin.kaspi.saveSettings",
  "admin.kaspi.settings",
  "admin.contract.calendar",
  "admin.contract.claims",
  "admin.contract.forceMajeure",
  "admin.contract.saveCalendar",
  "admin.contract.schools",
  "admin.notices.maintenance",
  "admin.notices.offers",
  "admin.notices.previewOffer",
  "admin.notices.publishOffer",
  "admin.notices.scheduleMaintenance",
  "admin.privacy.securityReports",
  "admin.privacy.sendMarketing",
  "admin.privacy.users",
  "admin.privacy.withdrawals",
  "admin.schools",
  "admin.setTrialDays",
  "admin.settings",
  "admin.support.queue",
  // The caller's own account, or addressed by a secret token rather than an id (tokens: tests/security/session.test.ts, auth tests).
  "auth.changePassword",
  "auth.compromisedLink",
  "auth.login",
  "auth.logout",
  "auth.logoutEverywhere",
  "auth.me",
  "auth.reportCompromised",
  "auth.reportCompromisedByLink",
  "auth.requestPasswordReset",
  "auth.resetPassword",
  "auth.setLocale",
  "auth.verifyEmail",
  "cabinetJoin.accept",
  "cabinetJoin.get",
  "calendarPublic.ics",
  "invitation.accept",
  "invitation.get",
  "privacyPublic.unsubscribe",
  "privacyPublic.unsubscribeInfo",
  "signup.confirm",
  // Public, the same for everyone.
  "noticesPublic.announcements",
  "signup.currentOffer",
  "signup.trialDays",
  // The caller's own workspace or cabinet, chosen by the `school` slug only: nothing of B can be named.
  "billing.issueInvoice",
  "billing.kaspi",
  "billing.overview",
  "billing.reconciliation",
  "booking.assignments",
  "booking.book",
  "booking.rules",
  "booking.saveRules",
  "booking.slots",
  "cabinet.overview",
  "calendar.create",
  "calendar.instructorFeeds",
  "calendar.mine",
  "calendar.revoke",
  "calendarCabinet.create",
  "calendarCabinet.mine",
  "calendarCabinet.revoke",
  "contract.claims",
  "contract.fileClaim",
  "contract.forceMajeure",
  "contract.registerForceMajeure",
  "dashboard.overview",
  "exams.certificates",
  "exams.issueOptions",
  "exams.options",
  "exams.registerXlsx",
  "exports.contractTemplates",
  "exports.lessons",
  "exports.resetContractTemplate",
  "exports.saveContractTemplate",
  "notices.documents",
  "notices.workspace",
  "privacy.archive.list",
  "privacy.archive.request",
  "privacy.cancelWithdrawal",
  "privacy.overview",
  "privacy.requestWithdrawal",
  "privacy.setConsent",
  "quiz.questions.addSample",
  "quiz.questions.create",
  "quiz.questions.list",
  "quiz.rules",
  "quiz.saveRules",
  "quizCabinet.current",
  "quizCabinet.start",
  "resources.createVehicle",
  "resources.groups",
  "resources.instructors",
  "resources.programmes",
  "resources.resetProgramme",
  "resources.updateProgramme",
  "resources.vehicles",
  "school.settings",
  "school.shell",
  "school.updateSettings",
  "school.workspace",
  "tuition.debtors",
  "tuition.debtorsXlsx",
  "tuition.kaspiSettings",
  "tuition.saveKaspiSettings",
  "staff.invite",
  "staff.list",
  "support.create",
  "support.list",
  "theory.options",
  "traineeImport.template",
  "traineeImport.upload",
  "trainees.create",
  "training.bookingOptions",
  "training.journal",
  "training.journalCheck",
  "training.scheduleChoices",
].sort();

/** Procedures that run in the trainee's cabinet (traineeProcedure): walked with A's trainee. */
const CABINET = [
  "booking.book",
  "booking.cancel",
  "booking.slots",
  "cabinet.overview",
  "calendarCabinet.create",
  "calendarCabinet.mine",
  "calendarCabinet.revoke",
  "quizCabinet.answer",
  "quizCabinet.current",
  "quizCabinet.finish",
  "quizCabinet.image",
  "quizCabinet.review",
  "quizCabinet.start",
];

/** What kind of B record a plain `id` field of a procedure names. */
const ID_KIND: [RegExp, IdKind][] = [
  [/^(trainees\.|exports\.(traineeCard|contract|register)$)/, "trainee"],
  [/^staff\.revokeInvite$/, "invite"],
  [/^(admin\.)?billing\.(checkout|invoicePdf|invoice)$/, "invoice"],
  [/^admin\.billing\.documentPdf$/, "document"],
  [/^(billing|notices)\.document$/, "document"],
  [/^(admin\.)?support\.(get|message|reply|close)$/, "ticket"],
  [/^(admin\.)?support\.attachment$/, "attachment"],
  [/^(resources\.(group|groupCandidates|updateGroup)|exports\.groupList)$/, "group"],
  [/^resources\.(vehicle|updateVehicle)$/, "vehicle"],
  [/^traineeImport\./, "import"],
  [/^availability\.removeAbsence$/, "absence"],
  [/^availability\.removeDowntime$/, "downtime"],
  [/^exams\.(certificate|cancel|certificatePdf)$/, "certificate"],
  [/^quiz\.questions\./, "question"],
  [/^theory\.get$/, "theoryLesson"],
  [/^admin\.contract\.(markReviewed|answerClaim)$/, "claim"],
  [/^(admin\.privacy\.archives|privacy\.archive)\.download$/, "archive"],
  // The rest of the console addresses schools, statements, disagreements, windows: refused before any lookup.
  [/^admin\./, "school"],
];

const FIELD_KIND: Record<string, IdKind | ((path: string) => IdKind)> = {
  traineeId: "trainee",
  traineeIds: "trainee",
  ids: "trainee",
  present: "trainee",
  groupId: "group",
  instructorId: "instructor",
  teacherId: "teacher",
  vehicleId: "vehicle",
  invoiceId: "invoice",
  paymentId: "payment",
  resultId: "result",
  attemptId: "attempt",
  questionId: "question",
  noticeId: "notice",
  schoolId: "school",
  lessonId: (p) => (p.startsWith("theory.") ? "theoryLesson" : "lesson"),
  userId: (p) =>
    p.startsWith("resources.") || p.startsWith("availability.")
      ? "instructor"
      : p.startsWith("admin.")
        ? "director"
        : "registrar",
};

let a: School;
let b: World;
let aTrainee: Awaited<ReturnType<typeof traineeWithLogin>>;
let before: Record<string, string>;
let globalIds: { planId: string; offerVersionId: string };

function idFor(path: string) {
  return (field: string): unknown => {
    // Catalogue ids (tariff plans, offer versions) are the platform's, shared by every school: use the ones B is on.
    if (field === "planId") return globalIds.planId;
    if (field === "offerVersionId") return globalIds.offerVersionId;
    if (field === "jobId") return `${TAG}-job`;
    // A form's own id (a disagreement sent twice is filed once): new, never a record of B's.
    if (field === "requestId") return "00000000-0000-4000-8000-00000000a11c";
    // A maintenance window is the platform's too, not B's: hiding one (or none) changes nothing of B's.
    if (field === "maintenanceId") return "00000000-0000-4000-8000-000000000000";
    let kind: IdKind | undefined;
    if (field === "id") kind = ID_KIND.find(([re]) => re.test(path))?.[1];
    else {
      const k = FIELD_KIND[field];
      kind = typeof k === "function" ? k(path) : k;
    }
    if (!kind)
      throw new Error(`${path}.${field}: which kind of B's records does it name? Add it to ID_KIND/FIELD_KIND`);
    const value = b.ids[kind];
    const many = field.endsWith("Ids") || field === "ids" || field === "present";
    return many ? [value].flat() : [value].flat()[0];
  };
}

const idProcedures = procedurePaths.filter((p) => fieldNames(p).some(isIdField));

function serialize(x: unknown): string {
  return (
    JSON.stringify(x, (_k, v: unknown) =>
      typeof v === "bigint" ? String(v) : v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : v,
    ) ?? ""
  );
}

/** Neither an id nor a name of B in what came back (a result, or an error's message). */
function expectNothingOfB(path: string, outcome: unknown) {
  const text = serialize(outcome).toLowerCase();
  const leaked = [...allIds(b), ...b.names].filter((s) => text.includes(s.toLowerCase()));
  expect({ path, leaked }).toEqual({ path, leaked: [] });
}

async function attempt(caller: unknown, path: string, input: unknown) {
  try {
    return { ok: true as const, value: await call(caller, path, input) };
  } catch (e) {
    const err = e as { code?: string; message?: string; cause?: unknown };
    return { ok: false as const, code: err.code, message: err.message };
  }
}

beforeAll(async () => {
  a = await createSchool();
  aTrainee = await traineeWithLogin(a);
  b = await populate(await createSchool({ schoolName: `${TAG} Автомектеп` }), TAG);
  const sub = await operatorDb().subscription.findUniqueOrThrow({ where: { schoolId: b.ids.school } });
  const acceptance = await operatorDb().offerAcceptance.findFirstOrThrow({ where: { schoolId: b.ids.school } });
  globalIds = { planId: (sub as unknown as { planId: string }).planId, offerVersionId: acceptance.offerVersionId };
  before = await snapshot(b.ids.school);
}, 120_000);

let walked = 0;

it("classifies every procedure of the router: walked with B's ids, or on the commented no-id list", () => {
  const withoutIds = procedurePaths.filter((p) => !fieldNames(p).some(isIdField));
  expect(withoutIds).toEqual(NO_ID_PROCEDURES);
  expect(idProcedures.length + NO_ID_PROCEDURES.length).toBe(procedurePaths.length);
  expect(idProcedures.length).toBeGreaterThanOrEqual(90);
});

it("school B really holds one record of every kind the walk feeds in", () => {
  for (const [kind, id] of Object.entries(b.ids))
    expect({ kind, ok: [id].flat().every((x) => typeof x === "string" && x.length === 36) }).toEqual({
      kind,
      ok: true,
    });
});

describe("A's director, in A's workspace, with B's ids", () => {
  it.each(idProcedures)("%s returns nothing of B", async (path) => {
    walked++;
    const input = { ...sampleInput(path, idFor(path)), school: a.slug };
    // The input must pass the procedure's own validation, or the walk would prove nothing.
    expect({ path, issues: issues(path, input) }).toEqual({ path, issues: [] });
    expect(accepts(path, input)).toBe(true);
    const out = await attempt(a.director, path, input);
    if (process.env.WALK_DEBUG) console.log(path, out.ok ? "ok" : `${out.code} ${out.message}`);
    if (!out.ok) expect({ path, code: out.code }).not.toEqual({ path, code: "INTERNAL_SERVER_ERROR" });
    expectNothingOfB(path, out);
  });
});

describe("A's trainee, in A's cabinet, with B's ids", () => {
  it.each(CABINET.filter((p) => idProcedures.includes(p)))("%s returns nothing of B", async (path) => {
    const input = { ...sampleInput(path, idFor(path)), school: a.slug };
    expect(accepts(path, input)).toBe(true);
    const out = await attempt(aTrainee.caller, path, input);
    if (!out.ok) expect(out.code).not.toBe("INTERNAL_SERVER_ERROR");
    expectNothingOfB(path, out);
  });
});

it("A's own lists and pages (no ids to feed) show nothing of B either", async () => {
  const reads = NO_ID_PROCEDURES.filter((p) => procedureType(p) === "query" && fieldNames(p).includes("school"));
  expect(reads.length).toBeGreaterThanOrEqual(25);
  for (const path of reads) {
    const caller = CABINET.includes(path) ? aTrainee.caller : a.director;
    const input = { ...sampleInput(path, idFor(path)), school: a.slug };
    const out = await attempt(caller, path, input);
    if (!out.ok) expect({ path, code: out.code }).not.toEqual({ path, code: "INTERNAL_SERVER_ERROR" });
    expectNothingOfB(path, out);
  }
});

it("walked every procedure that takes an id, and not a single row of B changed", async () => {
  expect(walked).toBe(idProcedures.length);
  const after = await snapshot(b.ids.school);
  expect(Object.keys(after).length).toBeGreaterThanOrEqual(40);
  for (const table of Object.keys(before))
    expect({ table, rows: after[table] }).toEqual({ table, rows: before[table] });
});
