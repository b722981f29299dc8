// The SQL migrations define the database; prisma/schema.prisma only drives the client. This test
// keeps them in step: every model maps to a table, every scalar field to a column of a fitting type
// and the same nullability.
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { testState } from "./state.ts";

const PG_TYPES: Record<string, string[]> = {
  String: ["text", "uuid"],
  Int: ["integer"],
  BigInt: ["bigint"],
  Boolean: ["boolean"],
  DateTime: ["timestamp with time zone", "date"],
  Json: ["jsonb"],
  Bytes: ["bytea"],
};

type Field = {
  model: string;
  table: string;
  name: string;
  column: string;
  type: string;
  optional: boolean;
  isEnum: boolean;
};

function parseSchema(text: string): Field[] {
  const enums = new Set([...text.matchAll(/^enum (\w+) \{/gm)].map((m) => m[1]!));
  const models = [...text.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)];
  const modelNames = new Set(models.map((m) => m[1]!));
  return models.flatMap(([, model, body]) => {
    const table = body!.match(/@@map\("(\w+)"\)/)?.[1] ?? model!;
    return body!
      .split("\n")
      .map((l) => l.trim().match(/^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/))
      .filter((m): m is RegExpMatchArray => !!m && !m[3] && !modelNames.has(m[2]!))
      .map((m) => ({
        model: model!,
        table,
        name: m[1]!,
        column: m[5]!.match(/@map\("(\w+)"\)/)?.[1] ?? m[1]!,
        type: m[2]!,
        optional: !!m[4],
        isEnum: enums.has(m[2]!),
      }));
  });
}

it("every Prisma model field exists in the migrated database with a fitting type and nullability", async () => {
  const fields = parseSchema(readFileSync(path.resolve(import.meta.dirname, "../prisma/schema.prisma"), "utf8"));
  expect(new Set(fields.map((f) => f.model)).size).toBeGreaterThanOrEqual(14);
  const c = new pg.Client({ connectionString: testState.databaseUrl });
  await c.connect();
  const { rows } = await c.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public'",
  );
  await c.end();
  const columns = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r]));
  const problems: string[] = [];
  for (const f of fields) {
    const col = columns.get(`${f.table}.${f.column}`);
    if (!col) {
      problems.push(`${f.model}.${f.name}: no column ${f.table}.${f.column}`);
      continue;
    }
    const allowed = f.isEnum ? ["USER-DEFINED"] : (PG_TYPES[f.type] ?? []);
    if (!allowed.includes(col.data_type)) problems.push(`${f.model}.${f.name}: ${f.type} vs ${col.data_type}`);
    if ((col.is_nullable === "YES") !== f.optional) problems.push(`${f.model}.${f.name}: nullability differs`);
  }
  expect(problems).toEqual([]);
});
