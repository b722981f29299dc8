// Test factories that go through the real paths: sign-up through the service, sessions through
// lucia, calls through the tRPC caller with a context built from a real cookie.
import { randomUUID } from "node:crypto";
import { createCaller } from "../server/router.ts";
import { createContext } from "../server/trpc.ts";
import { startSession } from "../server/auth/sessions.ts";
import { signUpSchool } from "../server/signup/service.ts";
import { operatorDb } from "../server/db/client.ts";
import { seedOffer } from "../server/db/seed.ts";
import { currentOffer } from "../server/offer/service.ts";
import { hashPassword } from "../server/auth/password.ts";
import { makeBin, makeIin } from "../domain/kz/iin.ts";
import type { z } from "zod";
import type { signupInput as signupSchema } from "../server/signup/schema.ts";
import type { traineeFields } from "../server/trainees/schema.ts";
import type { MemberRole } from "../server/db/generated/prisma/enums.ts";

type SignupWire = z.input<typeof signupSchema>;

let serial = Math.floor(Math.random() * 50_000);
export const uniqueBin = () => makeBin("2203", ++serial);
/** A valid IIN not used before in this test file (serials step by 7 so skipped ones never collide). */
export const uniqueIin = (birthDate?: string, sex: "male" | "female" = "male") => {
  const n = ++serial;
  const date =
    birthDate ?? `${1970 + (n % 35)}-${String((n % 12) + 1).padStart(2, "0")}-${String((n % 28) + 1).padStart(2, "0")}`;
  return makeIin(date, sex, (n * 7) % 9000);
};

export const meta = { ip: "10.1.2.3", userAgent: "vitest" };

export async function currentOfferId(): Promise<string> {
  await seedOffer(operatorDb());
  // The version in force (a published future version isn't what sign-up accepts yet).
  const o = await currentOffer(operatorDb());
  return o!.id;
}

/** Sign-up form values; overrides may be deliberately wrong, so the type is the wire type. */
export function signupInput(overrides: Record<string, unknown> = {}): SignupWire {
  const n = ++serial;
  return {
    schoolName: `Автомектеп Тест ${n}`,
    kind: "legal_entity",
    binIin: uniqueBin(),
    directorName: `Директор Тестов ${n}`,
    phone: "+7 701 123 45 67",
    email: `director${n}@test.kz`,
    password: "correct-horse-battery",
    acceptOffer: true,
    acceptPersonalData: true,
    ...overrides,
  } as SignupWire;
}

/** A context as the web server would build it for a request carrying `cookie`. */
export async function contextFor(cookie: string | null, opts: { locale?: "kk" | "ru"; ip?: string } = {}) {
  const setCookies: string[] = [];
  const ctx = await createContext({
    cookieHeader: [cookie, opts.locale ? `am_lang=${opts.locale}` : null].filter(Boolean).join("; ") || null,
    acceptLanguage: null,
    ip: opts.ip ?? meta.ip,
    userAgent: meta.userAgent,
    setCookie: (c) => setCookies.push(c),
  });
  return { ctx, setCookies };
}

export async function anonymousCaller(opts: { locale?: "kk" | "ru"; ip?: string } = {}) {
  const { ctx, setCookies } = await contextFor(null, opts);
  return { caller: createCaller(ctx), setCookies };
}

export async function callerFor(userId: string, opts: { locale?: "kk" | "ru" } = {}) {
  const { cookie } = await startSession(userId, meta);
  const { ctx } = await contextFor(cookie.split(";")[0]!, opts);
  return createCaller(ctx);
}

/** Signs a school up through the real sign-up service; returns its slug, id and director. */
export async function createSchool(overrides: Record<string, unknown> = {}) {
  const offerVersionId = await currentOfferId();
  const input = signupInput({ offerVersionId, ...overrides });
  const { signupInput: schema } = await import("../server/signup/schema.ts");
  const created = await signUpSchool(schema.parse(input), meta, "ru");
  return { ...created, email: input.email, password: input.password, director: await callerFor(created.userId) };
}

/** Adds a member with a role directly (the operator path), returning a caller signed in as them. */
export async function addMember(schoolId: string, role: MemberRole, email = `${role}${++serial}@test.kz`) {
  const userId = randomUUID();
  await operatorDb().user.create({
    data: {
      id: userId,
      email,
      fullName: `${role} ${serial}`,
      passwordHash: await hashPassword("correct-horse-battery"),
      emailVerifiedAt: new Date(),
    },
  });
  await operatorDb().membership.create({ data: { id: randomUUID(), schoolId, userId, role } });
  return { userId, email, caller: await callerFor(userId) };
}

export async function addOperator(role: "super_admin" | "billing" | "support" = "super_admin") {
  const userId = randomUUID();
  await operatorDb().user.create({
    data: {
      id: userId,
      email: `op${++serial}@avtomektep.kz`,
      fullName: "Operator",
      operatorRole: role,
      passwordHash: await hashPassword("correct-horse-battery"),
    },
  });
  return { userId, caller: await callerFor(userId) };
}

/** Trainee form values; overrides may be deliberately wrong, so the type is the wire type. */
export function traineeInput(overrides: Record<string, unknown> = {}): z.input<typeof traineeFields> {
  return { iin: uniqueIin(), lastName: "Сапаров", firstName: "Ерлан", category: "B", ...overrides } as z.input<
    typeof traineeFields
  >;
}
