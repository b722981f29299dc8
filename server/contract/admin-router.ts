// The operator's contract console (`admin.contract.*`): claims of all schools with their deadlines (paper
// claims registered here with their receipt date, reviews, written answers), force-majeure notices, and the
// working-day calendar per year (saving a year reloads the calendar the deadlines are counted with).
import { z } from "zod";
import { operatorProcedure, router } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { audit } from "../audit/log.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";
import { answerClaim, claimView, fmView, markReviewed, registerClaim, registerForceMajeure } from "./claims.ts";
import {
  calendarYear,
  dayOffReason,
  ensureCalendar,
  isBuiltinYear,
  loadCalendar,
  type YearCalendar,
} from "./calendar.ts";

const ops = operatorProcedure(["super_admin", "support"]);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "date");
const year = z.coerce.number().int().min(2000, "invalid").max(2100, "invalid");

/** "YYYY-MM-DD text" lines (a trailing "*" marks a religious holiday) → entries of that year. */
function parseLines(text: string, y: number, field: string) {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l, i) => {
      const m = l.match(/^(\d{4}-\d{2}-\d{2})\s*(.*?)\s*(\*)?$/);
      const ok =
        m &&
        m[1]!.startsWith(`${y}-`) &&
        !Number.isNaN(Date.parse(`${m[1]}T00:00:00Z`)) &&
        new Date(`${m[1]}T00:00:00Z`).toISOString().startsWith(m[1]!);
      if (!ok) throw new AppError("BAD_REQUEST", "contract.calendarLine", { line: i + 1, year: y }, field);
      return { date: m[1]!, text: m[2] ?? "", religious: !!m[3] };
    });
}

export const adminContractRouter = router({
  schools: ops.query(({ ctx }) =>
    ctx.db.school.findMany({ select: { id: true, name: true, binIin: true }, orderBy: { name: "asc" }, take: 1000 }),
  ),

  claims: ops.input(z.object({ open: z.boolean().default(true) })).query(async ({ ctx, input }) => {
    await ensureCalendar(ctx.db);
    const today = almatyDate(new Date());
    const rows = await ctx.db.claim.findMany({
      where: input.open ? { status: "open" } : {},
      orderBy: [{ answerDue: "asc" }, { number: "asc" }],
      take: 500,
    });
    const schools = await ctx.db.school.findMany({
      where: { id: { in: [...new Set(rows.map((r) => r.schoolId))] } },
      select: { id: true, name: true, slug: true },
    });
    const byId = new Map(schools.map((s) => [s.id, s]));
    return {
      today,
      claims: rows.map((c) => ({
        ...claimView(c, today),
        schoolId: c.schoolId,
        schoolName: byId.get(c.schoolId)?.name ?? "",
      })),
    };
  }),

  registerClaim: ops
    .input(
      z.object({
        schoolId: z.uuid("chooseOne"),
        subject: z.string().trim().min(1).max(200),
        text: z.string().trim().min(1).max(20000),
        receivedOn: isoDate,
      }),
    )
    .mutation(({ ctx, input }) => registerClaim({ ...input, source: "paper", filedBy: ctx.user.id, meta: ctx.meta })),

  markReviewed: ops
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => markReviewed(input.id, ctx.user.id, ctx.meta)),

  answerClaim: ops
    .input(z.object({ id: z.uuid(), answer: z.string().trim().min(1).max(20000) }))
    .mutation(({ ctx, input }) => answerClaim(input.id, input.answer, ctx.user.id, ctx.meta)),

  forceMajeure: ops.query(async ({ ctx }) => {
    const rows = await ctx.db.forceMajeureNotice.findMany({ orderBy: { createdAt: "desc" }, take: 500 });
    const schools = await ctx.db.school.findMany({
      where: { id: { in: rows.flatMap((r) => (r.schoolId ? [r.schoolId] : [])) } },
      select: { id: true, name: true },
    });
    const byId = new Map(schools.map((s) => [s.id, s.name]));
    return rows.map((r) => ({ ...fmView(r), schoolName: r.schoolId ? (byId.get(r.schoolId) ?? "") : null }));
  }),

  registerForceMajeure: ops
    .input(
      z.object({
        schoolId: z.preprocess((v) => (v === "" ? null : v), z.uuid().nullable()).default(null),
        what: z.string().trim().min(1).max(5000),
        eventStartedOn: isoDate,
        notifiedOn: isoDate,
        documents: z.string().trim().max(5000).default(""),
      }),
    )
    .mutation(({ ctx, input }) => registerForceMajeure({ ...input, registeredBy: ctx.user.id, meta: ctx.meta })),

  /** A year of the calendar as in force (the operator's version or the built-in one) and its weekday days off. */
  calendar: ops.input(z.object({ year })).query(async ({ ctx, input }) => {
    await loadCalendar(ctx.db);
    const y = calendarYear(input.year);
    const saved = await ctx.db.workCalendar.findUnique({ where: { year: input.year }, select: { updatedAt: true } });
    const daysOff: { date: string; reason: "holiday" | "carried" | "decree" }[] = [];
    for (let d = `${input.year}-01-01`; d.startsWith(String(input.year)); d = addDays(d, 1)) {
      const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
      const reason = dayOffReason(d);
      if (dow !== 0 && dow !== 6 && reason && !y.workingDays.some((w) => w.date === d))
        daysOff.push({ date: d, reason });
    }
    const holidays = [...y.holidays].sort((a, b) => a.date.localeCompare(b.date));
    return {
      ...y,
      holidays,
      source: saved ? "operator" : isBuiltinYear(input.year) ? "builtin" : "rules",
      updatedAt: saved?.updatedAt ?? null,
      daysOffList: daysOff,
    };
  }),

  saveCalendar: operatorProcedure(["super_admin"])
    .input(
      z.object({
        year,
        holidays: z.string().max(20000),
        daysOff: z.string().max(20000).default(""),
        workingDays: z.string().max(20000).default(""),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const y: YearCalendar = {
        year: input.year,
        holidays: parseLines(input.holidays, input.year, "holidays").map((l) => ({
          date: l.date,
          name: l.text,
          ...(l.religious ? { religious: true } : {}),
        })),
        daysOff: parseLines(input.daysOff, input.year, "daysOff").map((l) => ({ date: l.date, act: l.text })),
        workingDays: parseLines(input.workingDays, input.year, "workingDays").map((l) => ({
          date: l.date,
          act: l.text,
        })),
      };
      await ctx.db.$transaction(async (tx) => {
        const data = {
          holidays: y.holidays,
          daysOff: y.daysOff,
          workingDays: y.workingDays,
          updatedBy: ctx.user.id,
          updatedAt: new Date(),
        };
        await tx.workCalendar.upsert({ where: { year: y.year }, create: { year: y.year, ...data }, update: data });
        await audit(tx, ctx.meta, {
          action: "calendar.saved",
          actorUserId: ctx.user.id,
          details: {
            year: y.year,
            holidays: y.holidays.length,
            daysOff: y.daysOff.length,
            workingDays: y.workingDays.length,
          },
        });
      });
      await loadCalendar(ctx.db);
      return { year: y.year };
    }),
});
