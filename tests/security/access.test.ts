// In the spirit of an unauthorized-access suite: a member of school A against every workspace
// procedure of school B, a school member against every operator procedure, and A's own workspace
// fed B's ids. New procedures are picked up automatically from the router.
import { appRouter } from "../../server/router.ts";
import { operatorDb } from "../../server/db/client.ts";
import { addMember, addOperator, anonymousCaller, createSchool, traineeInput } from "../factories.ts";

const procedures = Object.keys(
  (appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures,
);
const call = (caller: unknown, path: string, input: unknown) => {
  // Procedures may sit in nested routers (quiz.questions.list): walk the path.
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as (
    input?: unknown,
  ) => Promise<unknown>;
  return fn(input);
};

const WORKSPACE = [
  "school.",
  "staff.",
  "trainees.",
  "resources.",
  "traineeImport.",
  "training.",
  "exports.",
  "dashboard.",
  "exams.",
  "cabinet.",
  "theory.",
  "booking.",
  "quiz.",
  "quizCabinet.",
  "billing.",
  "contract.",
  "notices.",
  "support.",
  "privacy.",
];
const workspaceProcedures = procedures.filter((p) => WORKSPACE.some((w) => p.startsWith(w)));
const procedureType = (path: string) =>
  (appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })._def.procedures[path]!
    ._def.type;
const workspaceMutations = workspaceProcedures.filter((p) => procedureType(p) === "mutation");
const operatorProcedures = procedures.filter((p) => p.startsWith("admin."));

let a: Awaited<ReturnType<typeof createSchool>>;
let b: Awaited<ReturnType<typeof createSchool>>;
let bTrainee: string;
let bInvite: string;
let bRegistrar: Awaited<ReturnType<typeof addMember>>;

beforeAll(async () => {
  a = await createSchool();
  b = await createSchool();
  bTrainee = (await b.director.trainees.create({ school: b.slug, ...traineeInput() })).id;
  bInvite = (await b.director.staff.invite({ school: b.slug, email: "b-invitee@test.kz", role: "teacher" })).id;
  bRegistrar = await addMember(b.schoolId, "registrar");
});

it("knows the procedures it is checking", () => {
  expect(workspaceProcedures.length).toBeGreaterThanOrEqual(12);
  expect(operatorProcedures.length).toBeGreaterThanOrEqual(4);
});

describe.each(["director", "registrar", "inspector"] as const)("a %s of school A", (role) => {
  it.each(workspaceProcedures)("is refused %s in school B's workspace", async (path) => {
    const member = role === "director" ? { caller: a.director } : await addMember(a.schoolId, role);
    const input = {
      school: b.slug,
      id: bTrainee,
      userId: bRegistrar.userId,
      roles: ["teacher"],
      email: "x@test.kz",
      role: "teacher",
      data: traineeInput(),
      ...traineeInput(),
    };
    await expect(call(member.caller, path, input)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("an inspector of the school itself", () => {
  it("knows the mutations it is checking", () => {
    expect(workspaceMutations.length).toBeGreaterThanOrEqual(15);
  });

  it.each(workspaceMutations)("is refused %s with 403", async (path) => {
    const inspector = await addMember(a.schoolId, "inspector");
    const input = {
      school: a.slug,
      id: bTrainee,
      userId: a.userId,
      traineeId: bTrainee,
      lessonId: bTrainee,
      roles: ["teacher"],
      email: "x@test.kz",
      role: "teacher",
      data: traineeInput(),
      ...traineeInput(),
    };
    await expect(call(inspector.caller, path, input)).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

it("signed-out visitors get 'unauthorized' from every workspace and operator procedure", async () => {
  const { caller } = await anonymousCaller();
  for (const path of [...workspaceProcedures, ...operatorProcedures]) {
    await expect(call(caller, path, { school: b.slug, id: bTrainee })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  }
});

it("a school director is refused every operator procedure", async () => {
  for (const path of operatorProcedures) {
    await expect(
      call(a.director, path, { id: b.schoolId, status: "deactivated", reason: "test" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  }
});

it("in A's own workspace, B's ids lead nowhere and change nothing", async () => {
  const s = a.slug;
  await expect(a.director.trainees.get({ school: s, id: bTrainee })).rejects.toMatchObject({ code: "NOT_FOUND" });
  await expect(a.director.trainees.update({ school: s, id: bTrainee, data: traineeInput() })).rejects.toMatchObject({
    code: "NOT_FOUND",
  });
  await expect(a.director.staff.remove({ school: s, userId: bRegistrar.userId })).rejects.toMatchObject({
    code: "NOT_FOUND",
  });
  await expect(
    a.director.staff.setRoles({ school: s, userId: bRegistrar.userId, roles: ["director"] }),
  ).rejects.toMatchObject({ code: "NOT_FOUND" });
  await expect(a.director.staff.revokeInvite({ school: s, id: bInvite })).rejects.toMatchObject({ code: "NOT_FOUND" });
  expect(
    await operatorDb().membership.findMany({
      where: { userId: bRegistrar.userId },
      select: { role: true, schoolId: true },
    }),
  ).toEqual([{ role: "registrar", schoolId: b.schoolId }]);
  expect((await operatorDb().invitation.findUniqueOrThrow({ where: { id: bInvite } })).revokedAt).toBeNull();
  const listA = await a.director.trainees.list({ school: s });
  expect(listA.items.map((t) => t.id)).not.toContain(bTrainee);
});

it("an operator sees every school through the console's own path", async () => {
  const op = await addOperator("support");
  const schools = await op.caller.admin.schools({});
  expect(schools.map((x) => x.id)).toEqual(expect.arrayContaining([a.schoolId, b.schoolId]));
  const card = await op.caller.admin.school({ id: b.schoolId });
  expect(card.school._count.trainees).toBe(1);
  // support staff may look, but only a super admin changes a school's status
  await expect(
    op.caller.admin.setSchoolStatus({ id: b.schoolId, status: "deactivated", reason: "test" }),
  ).rejects.toMatchObject({ code: "FORBIDDEN" });
});

it("a deactivated school is closed to its members until the operator restores it", async () => {
  const s = await createSchool();
  const op = await addOperator("super_admin");
  await op.caller.admin.setSchoolStatus({ id: s.schoolId, status: "deactivated", reason: "нарушение 5.2" });
  await expect(s.director.trainees.list({ school: s.slug })).rejects.toMatchObject({ code: "FORBIDDEN" });
  await op.caller.admin.setSchoolStatus({ id: s.schoolId, status: "active", reason: "устранено" });
  await expect(s.director.trainees.list({ school: s.slug })).resolves.toHaveProperty("items");
  const log = await op.caller.admin.audit({ schoolId: s.schoolId, action: "school.status_changed" });
  // Restored, it returns to its billing state: never paid, so still on trial.
  expect(log.items.map((e) => (e.details as { to: string }).to)).toEqual(["trial", "deactivated"]);
});
