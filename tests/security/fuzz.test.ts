// Attack: malformed input to every procedure — wrong types, missing and extra fields, huge strings,
// unicode and NUL bytes, negative/huge/NaN numbers, deep nesting, prototype-pollution keys — from a
// signed-in director (the operator for the console), and raw malformed bodies over HTTP. The server
// must answer 4xx, never 500, never pollute Object.prototype, and a refused call must write nothing.
import fc from "fast-check";
import { resetConfig } from "../../server/config.ts";
import { resetLimiters } from "../../server/auth/rate-limit.ts";
import { addMember, addOperator, createSchool } from "../factories.ts";
import { call, procedurePaths, sampleInput } from "./inputs.ts";
import { ownerClient, populate, rowCounts, type World } from "./world.ts";
import type pg from "pg";
import { startWebApp } from "../web.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);

let w: World;
let other: Awaited<ReturnType<typeof createSchool>>;
let operator: Awaited<ReturnType<typeof addOperator>>;
let owner: pg.Client;
/** Callers whose session a fuzzed call may end (log out, report compromised, change password): one each. */
const disposable: Record<string, unknown> = {};
const SESSION_ENDERS = ["auth.changePassword", "auth.logout", "auth.logoutEverywhere", "auth.reportCompromised"];

beforeAll(async () => {
  // Thousands of calls in a minute from one user: the scraping limit (4.3.8) is not what this file tests.
  Object.assign(process.env, { API_RATE_PER_USER: "0", API_RATE_PER_IP: "0" });
  resetConfig();
  resetLimiters();
  w = await populate(await createSchool(), "FUZZWALK");
  // The console's procedures get a school and a user of their own, so a fuzzed "deactivate" can't lock out the rest.
  other = await createSchool();
  operator = await addOperator("super_admin");
  for (const p of SESSION_ENDERS) disposable[p] = (await addMember(w.school.schoolId, "teacher")).caller;
  owner = await ownerClient();
}, 120_000);
afterAll(() => owner?.end());

const isConsole = (p: string) => p.startsWith("admin.");
function callerFor(path: string): unknown {
  if (isConsole(path)) return operator.caller;
  return disposable[path] ?? w.school.director;
}

/** A valid input naming real records: the fuzzer starts here and breaks one thing at a time. */
function validInput(path: string): Record<string, unknown> {
  const ids = w.ids;
  const input = sampleInput(path, (field) => {
    if (isConsole(path) && (field === "id" || field === "schoolId")) return other.schoolId;
    if (isConsole(path) && field === "userId") return other.userId;
    const byField: Record<string, unknown> = {
      traineeId: ids.trainee[0],
      traineeIds: ids.trainee,
      present: ids.trainee,
      groupId: ids.group,
      instructorId: ids.instructor,
      teacherId: ids.teacher,
      vehicleId: ids.vehicle,
      invoiceId: ids.invoice,
      resultId: ids.result,
      attemptId: ids.attempt,
      questionId: ids.question,
      noticeId: ids.notice,
      userId: ids.registrar,
      lessonId: path.startsWith("theory.") ? ids.theoryLesson : ids.lesson,
      planId: "00000000-0000-4000-8000-000000000000",
      offerVersionId: "00000000-0000-4000-8000-000000000000",
      jobId: "job-1",
    };
    return byField[field] ?? (path.startsWith("trainees.") || path.startsWith("exports.") ? ids.trainee[0] : ids.group);
  });
  return "school" in input ? { ...input, school: w.school.slug } : input;
}

// ---- hostile values -------------------------------------------------------------------------

const protoKeys = () =>
  JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}') as object;
const deep = (depth: number): unknown => {
  let x: unknown = "bottom";
  for (let i = 0; i < depth; i++) x = i % 2 ? [x] : { a: x };
  return x;
};
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\uD800",
    "\uFFFF",
    "🚗💥",
    "‮evil",
    " ",
    "",
    "null",
    "undefined",
    "NaN",
    "' OR 1=1 --",
    "$(reboot)",
    "../../etc/passwd",
  ),
  fc.constantFrom(
    -1,
    0,
    -0,
    1e308,
    -1e308,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    2 ** 53 + 1,
    0.5,
    -(2 ** 31),
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom(null, undefined, [], {}, [[]], [null]),
  fc.constant("x".repeat(1_100_000)),
  fc.constant("я".repeat(20_000)),
  fc.constant(new Date(Number.NaN)),
  fc.constant(BigInt(2) ** BigInt(70)),
  fc.constantFrom(100, 2_000).map(deep),
  fc.constant(0).map(protoKeys),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 300 }),
);

type Path = (string | number)[];
function leaves(x: unknown, at: Path = []): Path[] {
  if (x && typeof x === "object") {
    const entries = Array.isArray(x) ? x.map((v, i) => [i, v] as const) : Object.entries(x);
    return [at, ...entries.flatMap(([k, v]) => leaves(v, [...at, k]))];
  }
  return [at];
}
function setAt(root: unknown, path: Path, value: unknown, remove = false): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

/** One malformation of `input`: a leaf replaced or removed, hostile extra keys, or the whole input replaced. */
const malformed = (input: Record<string, unknown>): fc.Arbitrary<unknown> => {
  const spots = leaves(input);
  const fields = spots.filter((p) => p.length > 0);
  return fc.oneof(
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...spots), hostile).map(([p, v]) => setAt(input, p, v)) },
    // (a procedure without input has no field to drop: it gets the extra keys and whole replacements instead)
    {
      weight: fields.length ? 2 : 0,
      arbitrary: fields.length
        ? fc.constantFrom(...fields).map((p) => setAt(input, p, undefined, true))
        : fc.constant(input),
    },
    {
      weight: 1,
      arbitrary: fc
        .dictionary(
          fc.constantFrom("__proto__", "constructor", "prototype", "toString", "valueOf", "school", "extra"),
          hostile,
          { maxKeys: 3 },
        )
        .map((extra) => Object.assign(protoKeys(), structuredClone(input), extra)),
    },
    { weight: 1, arbitrary: hostile },
  );
};

const ALLOWED_CODES = new Set([
  "BAD_REQUEST",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "TOO_MANY_REQUESTS",
  "PAYLOAD_TOO_LARGE",
  "UNPROCESSABLE_CONTENT",
  "PRECONDITION_FAILED",
]);

/** Refusals that are recorded by design (DESIGN §2: every security-relevant action is in the audit log). */
const AUDITED_REFUSALS: Record<string, string[]> = { "auth.login": ["audit_log"] };

const started = Date.now();
const fuzzed: string[] = [];

describe.each(procedurePaths)("%s", (path) => {
  it("answers malformed input with a 4xx, and writes nothing when it refuses", async () => {
    fuzzed.push(path);
    const input = validInput(path);
    const before = await rowCounts(owner);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(malformed(input), async (bad) => {
        try {
          await call(callerFor(path), path, bad);
          accepted++;
        } catch (e) {
          const err = e as { code?: string; message?: string };
          expect({ path, code: err.code, message: err.code === "INTERNAL_SERVER_ERROR" ? err.message : "" }).toEqual({
            path,
            code: expect.any(String),
            message: "",
          });
          expect({ path, code: err.code, allowed: ALLOWED_CODES.has(err.code ?? "") }).toEqual({
            path,
            code: err.code,
            allowed: true,
          });
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // Every run refused → not a row written anywhere (tenant tables, outbox, audit log, users) — except
    // what a refusal records on purpose: a failed sign-in is a security event, so it goes to the audit log.
    if (accepted === 0) {
      const after = await rowCounts(owner);
      for (const table of AUDITED_REFUSALS[path] ?? []) after[table] = before[table]!;
      expect(after).toEqual(before);
    }
  });
});

it("fuzzed every procedure of the router, within the time budget", () => {
  expect(fuzzed.length).toBe(procedurePaths.length);
  expect(Date.now() - started).toBeLessThan(120_000);
});

describe("what the fuzzer found (regressions)", () => {
  it("the director saves the school's settings (every save used to fail with 500: the `school` slug went into the UPDATE)", async () => {
    const s = await createSchool();
    await expect(
      s.director.school.updateSettings({
        school: s.slug,
        name: "Жаңа атау",
        directorName: "Директор Тестов",
        phone: "+7 701 123 45 67",
        email: "new@test.kz",
      }),
    ).resolves.toEqual({ ok: true });
    expect((await s.director.school.settings({ school: s.slug })).school).toMatchObject({
      name: "Жаңа атау",
      email: "new@test.kz",
    });
  });

  it("a claim whose text is one 20,000-letter word is filed at once (its PDF used to take 13 s and time the transaction out)", async () => {
    const s = await createSchool();
    const t = Date.now();
    await expect(
      s.director.contract.fileClaim({ school: s.slug, subject: "Ұзын", text: "я".repeat(20_000) }),
    ).resolves.toBeTruthy();
    expect(Date.now() - t).toBeLessThan(4_000);
    expect((await s.director.contract.claims({ school: s.slug })).claims.length).toBe(1);
  });
});

describe("malformed bodies over HTTP (body parsing)", () => {
  let close: () => Promise<void>;
  let base: string;
  beforeAll(async () => {
    ({ base, close } = await startWebApp());
  });
  afterAll(() => close());

  const post = (path: string, body: string | Uint8Array, contentType = "application/json") =>
    fetch(`${base}/api/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": contentType, cookie: "am_lang=ru" },
      body: body as unknown as BodyInit,
    });

  it("answers broken, deep, huge, mistyped and polluting bodies with 4xx", async () => {
    const bodies: [string, string | Uint8Array, string?][] = [
      ["truncated JSON", '{"json": {"email": "a@b.kz"'],
      ["not JSON", "email=a@b.kz&password=x", "application/x-www-form-urlencoded"],
      ["empty", ""],
      ["NUL bytes", Buffer.from('{"json":{"email":"a\u0000@b.kz","password":"\u0000"}}')],
      ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0x6a, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
      ["deeply nested JSON", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
      [
        "prototype pollution in superjson meta",
        '{"json":{"email":"a@b.kz","password":"x"},"meta":{"values":{"__proto__.polluted":["undefined"],"constructor.prototype.polluted":["undefined"]}}}',
      ],
      [
        "superjson meta naming a class",
        '{"json":{"email":"a@b.kz","password":"x"},"meta":{"values":{"email":[["custom","Function"]]}}}',
      ],
      ["a 12 MB string", JSON.stringify({ json: { email: "a@b.kz", password: "x".repeat(12_000_000) } })],
      ["an array instead of an object", "[1,2,3]"],
    ];
    for (const [name, body, type] of bodies) {
      const res = await post("auth.login", body, type);
      expect({ name, status: res.status < 500 && res.status >= 400 }).toEqual({ name, status: true });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("answers random JSON bodies to a few procedures with 4xx (fast-check)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "auth.login",
          "signup.signUp",
          "trainees.create",
          "support.create",
          "noticesPublic.announcements?batch=1",
        ),
        fc.json({ depthSize: "medium" }),
        async (path, body) => {
          const res = await post(path, body);
          expect({ path, body: body.slice(0, 80), status: res.status }).toEqual({
            path,
            body: body.slice(0, 80),
            status: expect.any(Number),
          });
          expect(res.status === 500).toBe(false);
        },
      ),
      { numRuns: 60, seed: SEED },
    );
  });
});
