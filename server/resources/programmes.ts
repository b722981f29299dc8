// Training programmes: the templates by category and gearbox, and the school's own adjusted copies.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { type programmeInput, type programmeKey, subject, type Subject } from "./schema.ts";
import type { Gearbox } from "../db/generated/prisma/enums.ts";

/** Subjects as stored (jsonb); anything malformed is dropped rather than shown half-broken. */
function subjectsOf(json: unknown): Subject[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((s) => {
    const r = subject.safeParse(s);
    return r.success ? [r.data] : [];
  });
}

/** Every category × gearbox with a template: the school's own copy when it has one, else the template. */
export async function listProgrammes(tx: Tx, schoolId: string) {
  const [categories, templates, copies] = await Promise.all([
    tx.licenceCategory.findMany({ orderBy: { sort: "asc" } }),
    tx.programmeTemplate.findMany(),
    tx.programme.findMany({ where: { schoolId } }),
  ]);
  const order: Record<Gearbox, number> = { manual: 0, automatic: 1 };
  const sort = new Map(categories.map((c) => [c.code, c.sort]));
  const names = new Map(categories.map((c) => [c.code, { nameKk: c.nameKk, nameRu: c.nameRu }]));
  return templates
    .sort((a, b) => (sort.get(a.category) ?? 99) - (sort.get(b.category) ?? 99) || order[a.gearbox] - order[b.gearbox])
    .map((tpl) => {
      const own = copies.find((c) => c.category === tpl.category && c.gearbox === tpl.gearbox);
      const src = own ?? tpl;
      return {
        category: tpl.category,
        categoryName: names.get(tpl.category) ?? { nameKk: tpl.category, nameRu: tpl.category },
        gearbox: tpl.gearbox,
        source: own ? ("adjusted" as const) : ("default" as const),
        theoryHours: src.theoryHours,
        drivingHours: src.drivingHours,
        subjects: subjectsOf(src.subjects),
        updatedAt: own?.updatedAt ?? null,
        template: { theoryHours: tpl.theoryHours, drivingHours: tpl.drivingHours },
        noteKk: tpl.noteKk,
        noteRu: tpl.noteRu,
      };
    });
}

/** The director adjusts the school's copy; the subjects' hours must add up to the theory hours. */
export async function updateProgramme(tx: Tx, schoolId: string, input: z.infer<typeof programmeInput>) {
  const tpl = await tx.programmeTemplate.findUnique({
    where: { category_gearbox: { category: input.category, gearbox: input.gearbox } },
  });
  if (!tpl) throw new AppError("NOT_FOUND", "resources.noTemplate");
  const codes = input.subjects.map((s) => s.code);
  const dup = codes.find((c, i) => codes.indexOf(c) !== i);
  if (dup) throw new AppError("BAD_REQUEST", "resources.subjectCodeTwice", { code: dup }, "subjects");
  const sum = input.subjects.reduce((a, s) => a + s.hours, 0);
  if (sum !== input.theoryHours) {
    throw new AppError("BAD_REQUEST", "resources.hoursSum", { sum, theory: input.theoryHours }, "theoryHours");
  }
  const data = {
    theoryHours: input.theoryHours,
    drivingHours: input.drivingHours,
    subjects: input.subjects,
    updatedAt: new Date(),
  };
  await tx.programme.upsert({
    where: {
      schoolId_category_gearbox: { schoolId, category: input.category, gearbox: input.gearbox },
    },
    create: {
      id: randomUUID(),
      schoolId,
      category: input.category,
      gearbox: input.gearbox,
      ...data,
    },
    update: data,
    select: { id: true },
  });
  return { category: input.category, gearbox: input.gearbox };
}

/** Back to the template: the school's copy is deleted. */
export async function resetProgramme(tx: Tx, schoolId: string, input: z.infer<typeof programmeKey>) {
  const { count } = await tx.programme.deleteMany({
    where: { schoolId, category: input.category, gearbox: input.gearbox },
  });
  return { reset: count > 0 };
}
