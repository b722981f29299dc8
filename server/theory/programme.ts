// The programme's subjects that theory lessons are scheduled in.
import type { Tx } from "../db/client.ts";
import { subject as subjectSchema, type Subject } from "../resources/schema.ts";

/** The subjects of a category's programme: the school's copies (any gearbox), else the templates. */
export async function programmeSubjects(tx: Tx, schoolId: string, category: string): Promise<Subject[]> {
  const own = await tx.programme.findMany({
    where: { schoolId, category },
    orderBy: { gearbox: "asc" },
    select: { subjects: true },
  });
  const sources = own.length
    ? own
    : await tx.programmeTemplate.findMany({
        where: { category },
        orderBy: { gearbox: "asc" },
        select: { subjects: true },
      });
  const out = new Map<string, Subject>();
  for (const s of sources) {
    for (const raw of Array.isArray(s.subjects) ? s.subjects : []) {
      const r = subjectSchema.safeParse(raw);
      if (r.success && !out.has(r.data.code)) out.set(r.data.code, r.data);
    }
  }
  return [...out.values()];
}

/** Subject names by category, looked up once per request. */
export function subjectNames(tx: Tx, schoolId: string) {
  const cache = new Map<string, Promise<Subject[]>>();
  return async (category: string, code: string) => {
    if (!cache.has(category)) cache.set(category, programmeSubjects(tx, schoolId, category));
    const s = (await cache.get(category)!).find((x) => x.code === code);
    return { code, nameKk: s?.nameKk ?? code, nameRu: s?.nameRu ?? code };
  };
}
