// Staff profiles: a teacher's or instructor's licence categories and instructor certificate in one school.
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import { hasRole, TEACHING } from "../../domain/roles.ts";
import { AppError } from "../errors.ts";
import { CATEGORIES } from "../../domain/trainees.ts";
import { expiryOf, type staffMember, type staffProfileInput, toDbDate } from "./schema.ts";
import { almatyDate, isoDayOrNull } from "../../domain/kz/time.ts";
import { compareNames, type Locale } from "../../domain/i18n/index.ts";

const sortCategories = (list: string[]) =>
  [...new Set(list)].sort(
    (a, b) => (CATEGORIES as readonly string[]).indexOf(a) - (CATEGORIES as readonly string[]).indexOf(b),
  );

/** A member's licence categories and instructor certificate in this school. */
export async function staffProfile(tx: Tx, schoolId: string, input: z.infer<typeof staffMember>) {
  const memberships = await tx.membership.findMany({
    where: { schoolId, userId: input.userId },
    select: { role: true, user: { select: { id: true, fullName: true, email: true } } },
  });
  const user = memberships[0]?.user;
  if (!user) throw new AppError("NOT_FOUND", "notFound");
  const p = await tx.staffProfile.findUnique({
    where: { schoolId_userId: { schoolId, userId: input.userId } },
  });
  const validUntil = isoDayOrNull(p?.instructorCertValidUntil ?? null);
  return {
    user,
    roles: memberships.map((m) => m.role),
    licenceCategories: sortCategories(p?.licenceCategories ?? []),
    instructorCertNumber: p?.instructorCertNumber ?? null,
    instructorCertValidUntil: validUntil,
    cert: expiryOf(validUntil),
    updatedAt: p?.updatedAt ?? null,
  };
}

/** For teachers and instructors; the person must work in this school. */
export async function updateStaffProfile(tx: Tx, schoolId: string, input: z.infer<typeof staffProfileInput>) {
  const roles = (
    await tx.membership.findMany({
      where: { schoolId, userId: input.userId },
      select: { role: true },
    })
  ).map((m) => m.role);
  if (roles.length === 0) throw new AppError("NOT_FOUND", "notFound");
  if (!hasRole(roles, TEACHING)) throw new AppError("BAD_REQUEST", "resources.notTeachingStaff");
  const data = {
    licenceCategories: sortCategories(input.licenceCategories),
    instructorCertNumber: input.instructorCertNumber,
    instructorCertValidUntil: toDbDate(input.instructorCertValidUntil),
    updatedAt: new Date(),
  };
  await tx.staffProfile.upsert({
    where: { schoolId_userId: { schoolId, userId: input.userId } },
    create: { schoolId, userId: input.userId, ...data },
    update: data,
    select: { userId: true },
  });
  return { userId: input.userId };
}

/** The school's driving instructors with their categories and certificate expiry (for lesson booking). */
export async function listInstructors(tx: Tx, schoolId: string, locale: Locale) {
  const [members, profiles] = await Promise.all([
    tx.membership.findMany({
      where: { schoolId, role: "instructor" },
      select: { user: { select: { id: true, fullName: true, email: true } } },
    }),
    tx.staffProfile.findMany({ where: { schoolId } }),
  ]);
  const today = almatyDate(new Date());
  const byUser = new Map(profiles.map((p) => [p.userId, p]));
  return members
    .map(({ user }) => {
      const p = byUser.get(user.id);
      const validUntil = isoDayOrNull(p?.instructorCertValidUntil ?? null);
      return {
        userId: user.id,
        fullName: user.fullName,
        email: user.email,
        licenceCategories: sortCategories(p?.licenceCategories ?? []),
        instructorCertNumber: p?.instructorCertNumber ?? null,
        instructorCertValidUntil: validUntil,
        cert: expiryOf(validUntil, today),
      };
    })
    .sort((a, b) => compareNames(locale)(a.fullName, b.fullName));
}
