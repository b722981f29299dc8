import { randomUUID } from "node:crypto";
import { assertRoom } from "../billing/limits.ts";
import { z } from "zod";
import { router, schoolProcedure } from "../trpc.ts";
import { WRITERS } from "../../domain/roles.ts";
import { AppError, uniqueViolationFields } from "../errors.ts";
import { audit } from "../audit/log.ts";
import { validateIin } from "../../domain/kz/iin.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";
import { listInput, traineeFields } from "./schema.ts";
import { MAX_IMAGE_BYTES, sniffImage } from "../documents/image.ts";
import { likeText } from "../db/like.ts";
import { digitSearch, ownTrainees, viewOf } from "./access.ts";
import { guardedSelect, redact, sees } from "../../domain/visibility.ts";
import type { FileDownload } from "../../domain/files.ts";
import { isoDayOrNull } from "../../domain/kz/time.ts";

const pick = <T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> =>
  Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]])) as Pick<T, K>;

/** The roster columns of the list; the IIN and the phone are added when the caller's view shows them (ADR 026). */
const listSelect = {
  id: true,
  lastName: true,
  firstName: true,
  middleName: true,
  category: true,
  status: true,
  createdAt: true,
} as const;

// The cursor carries the sort key of the last row shown: (last name, first name, id) for "by name",
// (created at, id) for "newest first".
type Cursor = { l?: string; f?: string; c?: string; id: string };
const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString("base64url");
function decodeCursor(s: string | undefined): Cursor | null {
  if (!s) return null;
  try {
    const c = JSON.parse(Buffer.from(s, "base64url").toString()) as Cursor;
    return typeof c.id === "string" ? c : null;
  } catch {
    return null;
  }
}

function toData(input: z.infer<typeof traineeFields>) {
  const r = validateIin(input.iin);
  if (!r.ok) throw new AppError("BAD_REQUEST", `iin.${r.reason}`, {}, "iin");
  return {
    iin: input.iin,
    lastName: input.lastName,
    firstName: input.firstName,
    middleName: input.middleName ?? null,
    latinName: input.latinName ?? null,
    birthDate: new Date(`${r.birthDate}T00:00:00Z`),
    sex: r.sex,
    phone: input.phone ?? null,
    email: input.email ?? null,
    address: input.address ?? null,
    category: input.category,
    gearbox: input.gearbox,
    contractNumber: input.contractNumber ?? null,
    ...(input.contractPrice != null ? { contractPriceTiyn: BigInt(input.contractPrice) } : {}),
    medicalCertNumber: input.medicalCertNumber ?? null,
    medicalCertIssuedOn: input.medicalCertIssuedOn ? new Date(`${input.medicalCertIssuedOn}T00:00:00Z`) : null,
    medicalCertValidUntil: input.medicalCertValidUntil ? new Date(`${input.medicalCertValidUntil}T00:00:00Z`) : null,
  };
}

function iinTaken(e: unknown): never {
  const fields = uniqueViolationFields(e);
  if (fields?.some((f) => f.includes("contract_number")))
    throw new AppError("CONFLICT", "trainee.contractTaken", {}, "contractNumber");
  if (fields) throw new AppError("CONFLICT", "trainee.iinTaken", {}, "iin");
  throw e;
}

export const traineesRouter = router({
  /** Keyset paging by (last name, first name, id): as fast on page 400 as on page 1. */
  list: schoolProcedure()
    .input(listInput)
    .query(async ({ ctx, input }) => {
      const cursor = decodeCursor(input.cursor);
      const and: Prisma.TraineeWhereInput[] = [];
      if (input.status) and.push({ status: input.status });
      if (input.category) and.push({ category: input.category });
      if (input.groupId) and.push({ groupId: input.groupId });
      if (input.q) {
        const q = input.q;
        and.push(
          /^\+?\d+$/.test(q)
            ? digitSearch(
                viewOf(ctx),
                { iin: { startsWith: likeText(q) } },
                { phone: { contains: likeText(q.replace(/^8/, "")) } },
              )
            : {
                OR: [
                  { lastName: { contains: likeText(q), mode: "insensitive" } },
                  { firstName: { contains: likeText(q), mode: "insensitive" } },
                  { latinName: { contains: likeText(q), mode: "insensitive" } },
                ],
              },
        );
      }
      const byName = input.sort === "name";
      const filters = [...and];
      if (cursor && byName && cursor.l !== undefined && cursor.f !== undefined) {
        and.push({
          OR: [
            { lastName: { gt: cursor.l } },
            { lastName: cursor.l, firstName: { gt: cursor.f } },
            { lastName: cursor.l, firstName: cursor.f, id: { gt: cursor.id } },
          ],
        });
      } else if (cursor && !byName && cursor.c) {
        const c = new Date(cursor.c);
        and.push({ OR: [{ createdAt: { lt: c } }, { createdAt: c, id: { lt: cursor.id } }] });
      }
      const rows = await ctx.db.trainee.findMany({
        where: { AND: and },
        orderBy: byName
          ? [{ lastName: "asc" }, { firstName: "asc" }, { id: "asc" }]
          : [{ createdAt: "desc" }, { id: "desc" }],
        take: input.limit + 1,
        select: { ...listSelect, ...pick(guardedSelect(viewOf(ctx)), ["iin", "phone"]) },
      });
      const page = rows.slice(0, input.limit);
      const last = page[page.length - 1];
      return {
        items: page,
        nextCursor:
          rows.length > input.limit && last
            ? encodeCursor(
                byName
                  ? { l: last.lastName, f: last.firstName, id: last.id }
                  : { c: last.createdAt.toISOString(), id: last.id },
              )
            : null,
        total: await ctx.db.trainee.count({ where: { AND: filters } }),
      };
    }),

  get: schoolProcedure()
    .input(z.object({ id: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const t = await ctx.db.trainee.findUnique({ where: { id: input.id } });
      if (!t) throw new AppError("NOT_FOUND", "notFound");
      // Only what the caller's role may see of this trainee leaves (ADR 026).
      const view = viewOf(ctx);
      const own = (await ownTrainees(ctx.db, view, [t.id])).has(t.id);
      const photo = sees(view, "photo", own)
        ? {
            photoUpdatedAt:
              (await ctx.db.traineePhoto.findUnique({ where: { traineeId: t.id }, select: { updatedAt: true } }))
                ?.updatedAt ?? null,
          }
        : {};
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
    }),

  create: schoolProcedure(WRITERS)
    .input(traineeFields)
    .mutation(async ({ ctx, input }) => {
      await assertRoom(ctx.db, ctx.school.id, "trainees");
      const id = randomUUID();
      await ctx.db.trainee
        .create({
          data: { id, schoolId: ctx.school.id, createdById: ctx.user.id, ...toData(input) },
          select: { id: true },
        })
        .catch(iinTaken);
      await audit(ctx.db, ctx.meta, {
        action: "trainee.created",
        schoolId: ctx.school.id,
        actorUserId: ctx.user.id,
        details: { traineeId: id },
      });
      return { id };
    }),

  update: schoolProcedure(WRITERS)
    .input(z.object({ id: z.uuid(), data: traineeFields }))
    .mutation(async ({ ctx, input }) => {
      // RLS hides other schools' rows: an id from school B updates nothing and reads as "not found".
      const { count } = await ctx.db.trainee
        .updateMany({ where: { id: input.id }, data: { ...toData(input.data), updatedAt: new Date() } })
        .catch(iinTaken);
      if (count === 0) throw new AppError("NOT_FOUND", "notFound");
      await audit(ctx.db, ctx.meta, {
        action: "trainee.updated",
        schoolId: ctx.school.id,
        actorUserId: ctx.user.id,
        details: { traineeId: input.id },
      });
      return { id: input.id };
    }),

  /** The optional photo: recognised by its bytes (PNG, JPEG, WebP), at most 1 MB. */
  setPhoto: schoolProcedure(WRITERS)
    .input(z.object({ id: z.uuid(), base64: z.string().min(1, "required").max(1_500_000, "photoTooBig") }))
    .mutation(async ({ ctx, input }) => {
      const bytes = Buffer.from(input.base64, "base64");
      if (bytes.length > MAX_IMAGE_BYTES) throw new AppError("BAD_REQUEST", "photoTooBig", {}, "photo");
      const contentType = sniffImage(bytes);
      if (!contentType) throw new AppError("BAD_REQUEST", "photoNotImage", {}, "photo");
      if (!(await ctx.db.trainee.findUnique({ where: { id: input.id }, select: { id: true } })))
        throw new AppError("NOT_FOUND", "notFound");
      await ctx.db.traineePhoto.upsert({
        where: { traineeId: input.id },
        create: { traineeId: input.id, schoolId: ctx.school.id, content: bytes, contentType, updatedBy: ctx.user.id },
        update: { content: bytes, contentType, updatedBy: ctx.user.id, updatedAt: new Date() },
        select: { traineeId: true },
      });
      return { ok: true as const };
    }),

  removePhoto: schoolProcedure(WRITERS)
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => {
      // RLS: another school's trainee (or no trainee) reads as "not found", as everywhere else.
      if (!(await ctx.db.trainee.findUnique({ where: { id: input.id }, select: { id: true } })))
        throw new AppError("NOT_FOUND", "notFound");
      await ctx.db.traineePhoto.deleteMany({ where: { traineeId: input.id } });
      return { ok: true as const };
    }),

  photo: schoolProcedure()
    .input(z.object({ id: z.uuid() }))
    .query(async ({ ctx, input }): Promise<FileDownload | null> => {
      const view = viewOf(ctx);
      if (!sees(view, "photo", (await ownTrainees(ctx.db, view, [input.id])).has(input.id)))
        throw new AppError("FORBIDDEN", "forbidden");
      const p = await ctx.db.traineePhoto.findUnique({
        where: { traineeId: input.id },
        select: { content: true, contentType: true },
      });
      return p
        ? {
            fileName: `photo-${input.id}`,
            contentType: p.contentType,
            base64: Buffer.from(p.content).toString("base64"),
          }
        : null;
    }),
});
