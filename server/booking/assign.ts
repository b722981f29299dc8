// The school assigns each trainee an instructor; self-booking offers that instructor's free slots.
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { SchoolCtx } from "../trpc.ts";
import { DRIVING_STATUSES } from "../../domain/lessons.ts";
import { byName } from "../trainees/select.ts";
import type { Locale } from "../../domain/i18n/index.ts";

/** Gives the trainee an instructor of this school, or (null) takes theirs away. */
export async function assignInstructor(
  tx: Tx,
  school: SchoolCtx,
  input: { traineeId: string; instructorId: string | null },
) {
  const trainee = await tx.trainee.findUnique({ where: { id: input.traineeId }, select: { id: true } });
  if (!trainee) throw new AppError("NOT_FOUND", "notFound", {}, "traineeId");
  if (input.instructorId) {
    // Memberships of the caller in other schools are visible too: pin the school explicitly.
    const member = await tx.membership.findFirst({
      where: { schoolId: school.id, userId: input.instructorId, role: "instructor" },
    });
    if (!member) throw new AppError("BAD_REQUEST", "training.notInstructor", {}, "instructorId");
  }
  await tx.trainee.update({
    where: { id: trainee.id },
    data: { instructorId: input.instructorId },
    select: { id: true },
  });
  return { traineeId: trainee.id, instructorId: input.instructorId };
}

/** Trainees in training (and enrolled) with their instructor, and the school's instructors, for the form. */
export async function listAssignments(tx: Tx, school: SchoolCtx, locale: Locale) {
  const [trainees, instructors] = await Promise.all([
    tx.trainee.findMany({
      where: { status: { in: [...DRIVING_STATUSES] } },
      select: { id: true, lastName: true, firstName: true, category: true, gearbox: true, instructorId: true },
      orderBy: byName(locale),
      take: 500,
    }),
    tx.membership.findMany({
      where: { schoolId: school.id, role: "instructor" },
      select: { user: { select: { id: true, fullName: true } } },
      orderBy: { user: { fullName: "asc" } },
    }),
  ]);
  return { trainees, instructors: instructors.map((m) => m.user) };
}
