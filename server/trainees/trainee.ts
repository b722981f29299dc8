// One trainee in the register: read as the caller may see them, created, updated. The IIN gives the
// birth date and sex; a taken IIN or contract number is the form's error, not a 500.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import { AppError, uniqueViolationFields } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { assertRoom } from "../billing/limits.ts";
import { validateIin } from "../../domain/kz/iin.ts";
import { dbDay, isoDayOrNull } from "../../domain/kz/time.ts";
import { redact, sees } from "../../domain/visibility.ts";
import { ownTrainees, viewOf } from "./access.ts";
import type { traineeFields } from "./schema.ts";

type TraineeFields = z.infer<typeof traineeFields>;

function toData(input: TraineeFields) {
  const r = validateIin(input.iin);
  if (!r.ok) throw new AppError("BAD_REQUEST", `iin.${r.reason}`, {}, "iin");
  return {
    iin: input.iin,
    lastName: input.lastName,
    firstName: input.firstName,
    middleName: input.middleName ?? null,
    latinName: input.latinName ?? null,
    birthDate: dbDay(r.birthDate),
    sex: r.sex,
    phone: input.phone ?? null,
    email: input.email ?? null,
    address: input.address ?? null,
    category: input.category,
    gearbox: input.gearbox,
    contractNumber: input.contractNumber ?? null,
    ...(input.contractPrice != null ? { contractPriceTiyn: BigInt(input.contractPrice) } : {}),
    medicalCertNumber: input.medicalCertNumber ?? null,
    medicalCertIssuedOn: input.medicalCertIssuedOn ? dbDay(input.medicalCertIssuedOn) : null,
    medicalCertValidUntil: input.medicalCertValidUntil ? dbDay(input.medicalCertValidUntil) : null,
  };
}

/**
 * Refuses an IIN another trainee of this school already has, naming that trainee so the form can link to
 * their card. Looked up before the write (a unique violation would abort the transaction); RLS keeps the
 * look-up inside the school, and whoever may write trainees may open every trainee of it. The unique key
 * stays the last word for two writes at once (`iinTaken`).
 */
async function refuseTakenIin(tx: Tx, iin: string, self?: string) {
  const other = await tx.trainee.findFirst({
    where: { iin, ...(self ? { id: { not: self } } : {}) },
    select: { id: true },
  });
  if (other) throw new AppError("CONFLICT", "trainee.iinTaken", { existingId: other.id }, "iin");
}

function iinTaken(e: unknown): never {
  const fields = uniqueViolationFields(e);
  if (fields?.some((f) => f.includes("contract_number")))
    throw new AppError("CONFLICT", "trainee.contractTaken", {}, "contractNumber");
  if (fields) throw new AppError("CONFLICT", "trainee.iinTaken", {}, "iin");
  throw e;
}

/** The trainee's register entry; only what the caller's role may see of this trainee leaves (ADR 026). */
export async function getTrainee(tx: Tx, school: SchoolCtx, actor: { id: string }, input: { id: string }) {
  // The row and the photo's date asked together: the second goes out as soon as the first is answered, with no
  // turn of the event loop between (ADR 044). The date is dropped below for a view that doesn't show the photo.
  const [t, photoRow] = await Promise.all([
    tx.trainee.findUnique({ where: { id: input.id } }),
    tx.traineePhoto.findUnique({ where: { traineeId: input.id }, select: { updatedAt: true } }),
  ]);
  if (!t) throw new AppError("NOT_FOUND", "notFound");
  const view = viewOf({ school, user: actor });
  const own = (await ownTrainees(tx, view, [t.id])).has(t.id);
  const photo = sees(view, "photo", own) ? { photoUpdatedAt: photoRow?.updatedAt ?? null } : {};
  return {
    ...redact(
      {
        ...t,
        birthDate: isoDayOrNull(t.birthDate)!,
        medicalCertIssuedOn: isoDayOrNull(t.medicalCertIssuedOn),
        medicalCertValidUntil: isoDayOrNull(t.medicalCertValidUntil),
        contractPriceTiyn: Number(t.contractPriceTiyn),
        paidTiyn: Number(t.paidTiyn),
      },
      view,
      own,
    ),
    ...(photo as { photoUpdatedAt?: Date | null }),
  };
}

/** Adds a trainee to the register, within the plan's limit. */
export async function createTrainee(
  tx: Tx,
  school: SchoolCtx,
  actor: { id: string },
  input: TraineeFields,
  meta: RequestMeta,
) {
  await assertRoom(tx, school.id, "trainees");
  await refuseTakenIin(tx, input.iin);
  const id = randomUUID();
  await tx.trainee
    .create({
      data: { id, schoolId: school.id, createdById: actor.id, ...toData(input) },
      select: { id: true },
    })
    .catch(iinTaken);
  await audit(tx, meta, {
    action: "trainee.created",
    schoolId: school.id,
    actorUserId: actor.id,
    details: { traineeId: id },
  });
  return { id };
}

/** Changes a trainee's register entry. */
export async function updateTrainee(
  tx: Tx,
  school: SchoolCtx,
  actor: { id: string },
  input: { id: string; data: TraineeFields },
  meta: RequestMeta,
) {
  await refuseTakenIin(tx, input.data.iin, input.id);
  // RLS hides other schools' rows: an id from school B updates nothing and reads as "not found".
  const { count } = await tx.trainee
    .updateMany({ where: { id: input.id }, data: { ...toData(input.data), updatedAt: new Date() } })
    .catch(iinTaken);
  if (count === 0) throw new AppError("NOT_FOUND", "notFound");
  await audit(tx, meta, {
    action: "trainee.updated",
    schoolId: school.id,
    actorUserId: actor.id,
    details: { traineeId: input.id },
  });
  return { id: input.id };
}
