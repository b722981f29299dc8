// Which pg_dump / pg_restore a backup uses, and what the operator is told when the machine has none that fits.
import { migrationRoles, ownershipStatements, pickPgTool } from "./backup.ts";

const at = (...majors: number[]) =>
  majors.map((major) => ({ path: `/usr/lib/postgresql/${major}/bin/pg_dump`, major }));

describe("choosing pg_dump for the server", () => {
  it("takes the client of the server's own major version when there is one", () => {
    expect(pickPgTool("pg_dump", at(14, 15, 17), 15).major).toBe(15);
  });

  it("else the oldest newer one, never an older one", () => {
    expect(pickPgTool("pg_dump", at(13, 16, 17), 15).major).toBe(16);
  });

  it("stops with what to install when only older clients exist (PostgreSQL 18 server, pg_dump 15)", () => {
    expect(() => pickPgTool("pg_dump", at(15), 18)).toThrow(
      "pg_dump 18 or newer is needed for PostgreSQL 18 (only 15 found): install postgresql-client-18 (Debian/Ubuntu: apt-get install postgresql-client-18 from apt.postgresql.org), or set PG_BIN_DIR to its bin directory",
    );
    expect(() => pickPgTool("pg_restore", [], 15)).toThrow(
      /pg_restore 15 or newer is needed for PostgreSQL 15 \(none found\)/,
    );
  });
});

describe("what a restore gives back to the project's roles", () => {
  it("knows every role the migrations create", () => {
    expect(migrationRoles()).toEqual(
      expect.arrayContaining([
        "avtomektep_app",
        "avtomektep_backup",
        "avtomektep_definer",
        "avtomektep_operator",
        "avtomektep_trainee",
      ]),
    );
  });

  it("picks the dump's OWNER TO statements for those roles only", () => {
    const sql = [
      "ALTER TABLE public.trainee OWNER TO am_owner;",
      "ALTER FUNCTION public.booking_instructor() OWNER TO avtomektep_definer;",
      'ALTER FUNCTION public.quiz_attempt_image(p_question uuid) OWNER TO "avtomektep_definer";',
      "-- ALTER FUNCTION x OWNER TO avtomektep_definer;",
    ].join("\n");
    expect(ownershipStatements(sql, ["avtomektep_definer"])).toEqual([
      { role: "avtomektep_definer", sql: "ALTER FUNCTION public.booking_instructor() OWNER TO avtomektep_definer;" },
      {
        role: "avtomektep_definer",
        sql: 'ALTER FUNCTION public.quiz_attempt_image(p_question uuid) OWNER TO "avtomektep_definer";',
      },
    ]);
  });
});
