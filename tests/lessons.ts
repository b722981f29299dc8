// Test factories for driving lessons: a car, an instructor with a staff profile, a trainee enrolled.
import { randomUUID } from "node:crypto";
import { operatorDb } from "../server/db/client.ts";
import type { Prisma } from "../server/db/generated/prisma/client.ts";
import { addMember, type createSchool, traineeInput } from "./factories.ts";

type School = Awaited<ReturnType<typeof createSchool>>;
type VehicleFields = Omit<Prisma.VehicleUncheckedCreateInput, "id" | "schoolId">;

/** A car of the school (by default a manual category-B Kia Rio); returns its id. */
export async function addVehicle(
  schoolId: string,
  fields: Partial<VehicleFields> & Pick<VehicleFields, "plate">,
): Promise<string> {
  const id = randomUUID();
  await operatorDb().vehicle.create({
    data: { id, schoolId, makeModel: "Kia Rio", category: "B", gearbox: "manual", ...fields },
  });
  return id;
}

/** An instructor (a member with the role), optionally renamed, with a staff profile (by default licensed for B). */
export async function addInstructor(
  schoolId: string,
  opts: { fullName?: string } & Partial<Omit<Prisma.StaffProfileUncheckedCreateInput, "schoolId" | "userId">> = {},
) {
  const { fullName, ...profile } = opts;
  const instructor = await addMember(schoolId, "instructor");
  if (fullName) await operatorDb().user.update({ where: { id: instructor.userId }, data: { fullName } });
  await operatorDb().staffProfile.create({
    data: { schoolId, userId: instructor.userId, licenceCategories: ["B"], ...profile },
  });
  return instructor;
}

/** A trainee created through the director's form and enrolled; returns their id. */
export async function enrolledTrainee(s: School, overrides: Record<string, unknown> = {}): Promise<string> {
  const { id } = await s.director.trainees.create({ school: s.slug, ...traineeInput(overrides) });
  await s.director.training.changeStatus({ school: s.slug, traineeId: id, to: "enrolled" });
  return id;
}

/** The school's own programme for category B, manual: 130 h of theory, 56 h of driving (once per school). */
export async function addProgrammeB(schoolId: string): Promise<void> {
  if (await operatorDb().programme.findFirst({ where: { schoolId, category: "B", gearbox: "manual" } })) return;
  await operatorDb().programme.create({
    data: { id: randomUUID(), schoolId, category: "B", gearbox: "manual", theoryHours: 130, drivingHours: 56 },
  });
}
