// Payments against the trainee's contract: each one a row, the running total on the trainee, audited.
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import type { SchoolCtx } from "../trpc.ts";
import { almatyDate, dbDay } from "../../domain/kz/time.ts";

/**
 * Records a payment (or, negative, a refund) dated today or earlier, and adds it to what the trainee paid. A form
 * sent again with its `submissionKey` records nothing more: `repeated` says the payment was already there.
 */
export async function addPayment(
  tx: Tx,
  school: SchoolCtx,
  actor: { id: string },
  input: {
    traineeId: string;
    amountTiyn: number;
    paidOn: string;
    note?: string | null;
    submissionKey?: string | null;
  },
  meta: RequestMeta,
): Promise<{ id: string; repeated: boolean }> {
  if (input.paidOn > almatyDate(new Date()))
    throw new AppError("BAD_REQUEST", "training.paymentInFuture", {}, "paidOn");
  const key = input.submissionKey ?? null;
  if (key) {
    const earlier = await tx.traineePayment.findFirst({
      where: { submissionKey: key, traineeId: input.traineeId },
      select: { id: true },
    });
    if (earlier) return { id: earlier.id, repeated: true };
  }
  const { count } = await tx.trainee.updateMany({
    where: { id: input.traineeId },
    data: { paidTiyn: { increment: input.amountTiyn } },
  });
  if (count === 0) throw new AppError("NOT_FOUND", "notFound");
  const id = randomUUID();
  // The same form sent twice at once: the second waits on the trainee's row, then on the key, and finds it taken.
  const { count: recorded } = await tx.traineePayment.createMany({
    data: [
      {
        id,
        schoolId: school.id,
        traineeId: input.traineeId,
        amountTiyn: input.amountTiyn,
        paidOn: dbDay(input.paidOn),
        note: input.note ?? null,
        createdBy: actor.id,
        submissionKey: key,
      },
    ],
    skipDuplicates: true,
  });
  if (recorded === 0) throw new AppError("CONFLICT", "training.paymentRepeated");
  await audit(tx, meta, {
    action: "trainee.payment_added",
    schoolId: school.id,
    actorUserId: actor.id,
    details: { traineeId: input.traineeId, amountTiyn: input.amountTiyn },
  });
  return { id, repeated: false };
}
