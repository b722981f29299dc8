// Which tables hold a school's data, read from the database's own catalogue: `school` itself and every table
// with a `school_id` column (the same rule tests/rls.test.ts holds RLS to). A table added by a later migration
// is in the next archive without anyone listing it here. Only the archive's own bytes are left out.
import type { Tx } from "../db/client.ts";

/** The archive's own storage: an archive never contains archives. */
export const ARCHIVE_OWN_TABLES: readonly string[] = ["school_archive_chunk"];

export type Column = { name: string; type: string };

export type SchoolTable = {
  name: string;
  columns: Column[];
  /** bytea columns: each value becomes a file of the archive, the JSON row names it */
  blobs: string[];
  /** primary key columns, in key order (rows are written in this order) */
  key: string[];
  /** the column that names the school: `id` for `school`, `school_id` everywhere else */
  schoolColumn: "id" | "school_id";
};

type CatalogRow = { table_name: string; column_name: string; type: string; key_pos: number | null };

/** Every table of the school's data with its columns, file columns and key, in name order. */
export async function schoolTables(tx: Pick<Tx, "$queryRaw">): Promise<SchoolTable[]> {
  const rows = await tx.$queryRaw<CatalogRow[]>`
    SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type,
           array_position(i.indkey::int2[], a.attnum)::int AS key_pos
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
     WHERE c.relkind IN ('r', 'p')
       AND (c.relname = 'school' OR EXISTS (
             SELECT 1 FROM pg_attribute s WHERE s.attrelid = c.oid AND s.attname = 'school_id' AND NOT s.attisdropped))
     ORDER BY c.relname, a.attnum`;
  const tables = new Map<string, SchoolTable & { keyPos: Map<string, number> }>();
  for (const r of rows) {
    if (ARCHIVE_OWN_TABLES.includes(r.table_name)) continue;
    let t = tables.get(r.table_name);
    if (!t) {
      t = {
        name: r.table_name,
        columns: [],
        blobs: [],
        key: [],
        schoolColumn: r.table_name === "school" ? "id" : "school_id",
        keyPos: new Map(),
      };
      tables.set(r.table_name, t);
    }
    t.columns.push({ name: r.column_name, type: r.type });
    if (r.type === "bytea") t.blobs.push(r.column_name);
    if (r.key_pos !== null) t.keyPos.set(r.column_name, r.key_pos);
  }
  return [...tables.values()].map(({ keyPos, ...t }) => ({
    ...t,
    key: [...keyPos.entries()].sort((a, b) => a[1] - b[1]).map(([name]) => name),
  }));
}

/** A double-quoted SQL identifier (names come from the catalogue, quoted anyway). */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
