// A running school's database upgraded, not a fresh one: the migrations written since the last release are
// rolled back on a database holding a school's work (trainees, a cancelled lesson), then applied again as the
// managed-PostgreSQL owner does it. A backfill the forced row-level security hides from the owner, or a new
// check the existing rows break, fails here rather than on the operator's production database.
import pg from "pg";
import { migrationsDir, runDbmate, migrate } from "../server/db/migrate.ts";
import { readdirSync } from "node:fs";
import { operatorDb } from "../server/db/client.ts";
import { addDays, almatyDate } from "../domain/kz/time.ts";
import { createSchool, traineeInput } from "./factories.ts";
import { addInstructor, addVehicle, enrolledTrainee } from "./lessons.ts";
import { testState } from "./state.ts";
import { TEST_PASSWORDS } from "./global-setup.ts";

/** The last migration of the previous release: everything after it is new in this one. */
const RELEASED = "20261206140000";

it("upgrades a database with a school's work in it: every new migration applies, and the old rows fit the new rules", async () => {
  const s = await createSchool();
  await s.director.trainees.create({ school: s.slug, ...traineeInput({ lastName: "Әбілова", firstName: "Аружан" }) });
  const instructor = await addInstructor(s.schoolId);
  const vehicleId = await addVehicle(s.schoolId, { plate: "777UPG02" });
  const traineeId = await enrolledTrainee(s, { lastName: "Сәрсенов" });
  const { id: lessonId } = await s.director.training.bookLesson({
    school: s.slug,
    traineeId,
    instructorId: instructor.userId,
    vehicleId,
    date: addDays(almatyDate(new Date()), 3),
    time: "10:00",
    minutes: 90,
  });
  await s.director.training.cancelLesson({ school: s.slug, lessonId, reason: "weather" });

  const added = readdirSync(migrationsDir).filter((f) => f.endsWith(".sql") && f.slice(0, 14) > RELEASED);
  expect(added.length).toBeGreaterThan(0);
  for (const _ of added) await runDbmate(testState.databaseUrl, ["rollback"]);

  await migrate(testState.databaseUrl, TEST_PASSWORDS);

  const c = new pg.Client({ connectionString: testState.databaseUrl });
  await c.connect();
  const { rows } = await c.query<{ version: string }>("SELECT version FROM schema_migrations WHERE version > $1", [
    RELEASED,
  ]);
  await c.end();
  expect(rows.map((r) => r.version).sort()).toEqual(added.map((f) => f.slice(0, 14)).sort());
  // the lesson cancelled before reasons existed says "other"; the names are in order and searchable
  expect(await operatorDb().drivingLesson.findUniqueOrThrow({ where: { id: lessonId } })).toMatchObject({
    status: "cancelled",
    cancelReason: "other",
  });
  const found = await s.director.trainees.list({ school: s.slug, q: "ABILOVA" });
  expect(found.items.map((t) => t.lastName)).toEqual(["Әбілова"]);
});
