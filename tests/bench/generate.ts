// The bench's tenants: N schools, each with a director, a registrar, instructors with their cars,
// trainees and their driving lessons. Everything — ids, names, IINs, times — comes from one seeded
// generator, so the same seed loads the same data on any machine (BENCH_SEED).
import pg from "pg";
import { makeBin, makeIin } from "../../domain/kz/iin.ts";

export type Shape = {
  schools: number;
  traineesPerSchool: number;
  lessonsPerTrainee: number;
  instructorsPerSchool: number;
  seed: number;
};

export type BenchSchool = {
  id: string;
  slug: string;
  directorId: string;
  instructorIds: string[];
  /** a sample of the school's trainees: id, IIN and surname */
  trainees: { id: string; iin: string; lastName: string }[];
};

/** mulberry32: small, fast, good enough to pick names and dates reproducibly. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)]!;
  const uuid = () => {
    const h = Array.from({ length: 32 }, () => int(16).toString(16));
    h[12] = "4";
    h[16] = (8 + int(4)).toString(16); // the RFC 4122 variant
    const s = h.join("");
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  return { next, int, pick, uuid };
}

const LAST = [
  "Ахметов",
  "Серікбаев",
  "Иванов",
  "Нұрланов",
  "Жумабеков",
  "Ким",
  "Оспанов",
  "Петров",
  "Қасымов",
  "Әлиев",
  "Смағұлов",
  "Байжанов",
  "Сидоров",
  "Тұрсынов",
  "Омаров",
  "Мұратов",
  "Есенова",
  "Абенов",
  "Кузнецов",
  "Жақсылықов",
];
const FIRST = [
  "Арман",
  "Данияр",
  "Айгерім",
  "Дана",
  "Мария",
  "Әсел",
  "Ерлан",
  "Тимур",
  "Жанар",
  "Ольга",
  "Нұрсұлтан",
  "Аружан",
  "Дмитрий",
  "Мадина",
];
const STATUSES = ["applicant", "enrolled", "training", "training", "training", "exams", "graduated"] as const;
const CARS = ["Lada Granta", "Hyundai Accent", "Kia Rio", "Chevrolet Cobalt", "Toyota Corolla"];
/** Lessons are laid out from this Monday, six two-hour slots a day (08:00–20:00 Almaty). */
export const LESSONS_FROM = "2026-11-02";
const SLOT_HOURS = [8, 10, 12, 14, 16, 18];

/** Inserts rows in chunks as multi-row INSERTs (PostgreSQL's 65,535-parameter limit per statement). */
async function insert(
  db: pg.Client,
  table: string,
  columns: string[],
  rows: unknown[][],
  casts: Record<string, string> = {},
) {
  const per = Math.floor(60_000 / columns.length);
  for (let start = 0; start < rows.length; start += per) {
    const chunk = rows.slice(start, start + per);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => {
      const p = row.map((v, j) => {
        values.push(v);
        return `$${values.length}${casts[columns[j]!] ?? ""}`;
      });
      return `(${p.join(",")})`;
    });
    await db.query(`INSERT INTO ${table} (${columns.join(",")}) VALUES ${tuples.join(",")}`, values);
  }
}

/** Loads the tenants through the owner connection `url`; returns what the bench clients need. */
export async function loadTenants(url: string, shape: Shape): Promise<BenchSchool[]> {
  const r = prng(shape.seed);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const schools: BenchSchool[] = [];
  const schoolRows: unknown[][] = [];
  const userRows: unknown[][] = [];
  const memberRows: unknown[][] = [];
  for (let s = 0; s < shape.schools; s++) {
    const id = r.uuid();
    const slug = `bench-${String(s).padStart(3, "0")}`;
    schoolRows.push([
      id,
      slug,
      `Автомектеп №${s + 1}`,
      "legal_entity",
      makeBin("2001", s * 3 + 1),
      "Директор",
      "+77010000000",
      `${slug}@bench.kz`,
      "active",
    ]);
    const staff = (role: string, n: number) =>
      Array.from({ length: n }, (_, k) => {
        const uid = r.uuid();
        userRows.push([uid, `${role}${k}@${slug}.bench.kz`, `${r.pick(LAST)} ${r.pick(FIRST)}`, s % 2 ? "ru" : "kk"]);
        memberRows.push([r.uuid(), id, uid, role]);
        return uid;
      });
    const [directorId] = staff("director", 1);
    staff("registrar", 1);
    schools.push({
      id,
      slug,
      directorId: directorId!,
      instructorIds: staff("instructor", shape.instructorsPerSchool),
      trainees: [],
    });
  }
  await insert(
    db,
    "school",
    ["id", "slug", "name", "kind", "bin_iin", "director_name", "phone", "email", "status"],
    schoolRows,
    { kind: "::school_kind", status: "::school_status" },
  );
  await insert(db, "app_user", ["id", "email", "full_name", "locale"], userRows, { locale: "::locale" });
  await insert(db, "membership", ["id", "school_id", "user_id", "role"], memberRows, { role: "::member_role" });

  let serial = 0;
  for (const school of schools) {
    const vehicles = school.instructorIds.map((_, k) => [
      r.uuid(),
      school.id,
      `${String(100 + k)}ABC${String(serial % 20).padStart(2, "0")}`,
      CARS[k % CARS.length],
      "B",
      "manual",
    ]);
    await insert(db, "vehicle", ["id", "school_id", "plate", "make_model", "category", "gearbox"], vehicles, {
      gearbox: "::gearbox",
    });
    const trainees: unknown[][] = [];
    const ids: string[] = [];
    const iins = new Set<string>();
    for (let k = 0; k < shape.traineesPerSchool; k++) {
      serial++;
      const year = 1965 + r.int(40);
      const birth = `${year}-${String(1 + r.int(12)).padStart(2, "0")}-${String(1 + r.int(28)).padStart(2, "0")}`;
      const sex = r.int(2) ? "female" : "male";
      // serial keeps IINs unique within the school (and across the bench): the IIN's 4-digit serial part.
      let iin = makeIin(birth, sex, serial % 9000);
      while (iins.has(iin)) iin = makeIin(birth, sex, ++serial % 9000);
      iins.add(iin);
      const lastName = r.pick(LAST);
      const id = r.uuid();
      ids.push(id);
      trainees.push([
        id,
        school.id,
        iin,
        lastName,
        r.pick(FIRST),
        birth,
        sex,
        `+7707${String(serial).padStart(7, "0")}`,
        "B",
        r.pick(STATUSES),
      ]);
      if (k % 50 === 0) school.trainees.push({ id, iin, lastName });
    }
    await insert(
      db,
      "trainee",
      ["id", "school_id", "iin", "last_name", "first_name", "birth_date", "sex", "phone", "category", "status"],
      trainees,
      {
        birth_date: "::date",
        sex: "::sex",
        status: "::trainee_status",
      },
    );
    // Lesson j goes to instructor j mod I in car j mod I, at slot j div I; trainee j mod T — no clashes.
    const lessons: unknown[][] = [];
    const from = Date.parse(`${LESSONS_FROM}T00:00:00+05:00`);
    const I = school.instructorIds.length;
    for (let j = 0; j < shape.traineesPerSchool * shape.lessonsPerTrainee; j++) {
      const slot = Math.floor(j / I);
      const starts = new Date(
        from + Math.floor(slot / SLOT_HOURS.length) * 86_400_000 + SLOT_HOURS[slot % SLOT_HOURS.length]! * 3_600_000,
      );
      const ends = new Date(starts.getTime() + 90 * 60_000);
      const past = starts.getTime() < Date.parse("2026-11-25T00:00:00+05:00");
      lessons.push([
        r.uuid(),
        school.id,
        ids[j % ids.length],
        school.instructorIds[j % I],
        vehicles[j % I]![0],
        starts,
        ends,
        past ? "done" : "booked",
        school.directorId,
      ]);
    }
    await insert(
      db,
      "driving_lesson",
      ["id", "school_id", "trainee_id", "instructor_id", "vehicle_id", "starts_at", "ends_at", "status", "booked_by"],
      lessons,
      { status: "::lesson_status" },
    );
  }
  await db.query("ANALYZE");
  await db.end();
  return schools;
}
