// The trainee's way through training, each step dated by the database, signed by who did it and,
// where it isn't the normal next step, why.
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { TraineeStatus } from "../db/generated/prisma/enums.ts";
import { appendJournal, dbNow } from "./journal.ts";

export const TRANSITIONS: Record<TraineeStatus, readonly TraineeStatus[]> = {
  applicant: ["enrolled", "expelled"],
  enrolled: ["training", "expelled", "transferred"],
  training: ["exams", "expelled", "transferred"],
  exams: ["graduated", "training", "expelled", "transferred"],
  graduated: [],
  expelled: [],
  transferred: [],
};

const FORWARD: Partial<Record<TraineeStatus, TraineeStatus>> = {
  applicant: "enrolled",
  enrolled: "training",
  training: "exams",
  exams: "graduated",
};

/** A reason is needed for anything but the normal next step. */
export function needsReason(from: TraineeStatus, to: TraineeStatus): boolean {
  return FORWARD[from] !== to;
}

export async function changeStatus(
  tx: Tx,
  schoolId: string,
  actorUserId: string,
  input: { traineeId: string; to: TraineeStatus; reason?: string | null },
) {
  // FOR UPDATE: two people changing the same trainee at once are applied one after the other.
  const [row] = await tx.$queryRaw<
    { status: TraineeStatus }[]
  >`SELECT status FROM trainee WHERE id = ${input.traineeId}::uuid FOR UPDATE`;
  if (!row) throw new AppError("NOT_FOUND", "notFound");
  const from = row.status;
  if (!TRANSITIONS[from].includes(input.to)) {
    throw new AppError("BAD_REQUEST", "training.transitionNotAllowed", { from, to: input.to }, "to");
  }
  if (needsReason(from, input.to) && !input.reason)
    throw new AppError("BAD_REQUEST", "training.reasonRequired", {}, "reason");
  const now = await dbNow(tx);
  await tx.trainee.update({
    where: { id: input.traineeId },
    data: { status: input.to, updatedAt: now, ...(input.to === "enrolled" ? { enrolledAt: now } : {}) },
  });
  await tx.traineeStatusChange.create({
    data: {
      id: randomUUID(),
      schoolId,
      traineeId: input.traineeId,
      fromStatus: from,
      toStatus: input.to,
      reason: input.reason ?? null,
      changedBy: actorUserId,
      changedAt: now,
    },
    select: { id: true },
  });
  await appendJournal(tx, schoolId, {
    kind: input.to === "enrolled" ? "trainee.enrolled" : "trainee.status_changed",
    actorUserId,
    subjectId: input.traineeId,
    data: { from, to: input.to, reason: input.reason ?? null },
  });
  return { from, to: input.to, at: now };
}
