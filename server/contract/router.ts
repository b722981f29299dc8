// The school side of the contract's deadlines: the director files claims from the cabinet and sees each
// claim's deadlines and answer; force-majeure notices (the school's own and the operator's for all).
import { z } from "zod";
import { router, schoolProcedure } from "../trpc.ts";
import { almatyDate } from "../../domain/kz/time.ts";
import { ensureCalendar } from "./calendar.ts";
import { claimView, fmView, registerClaim, registerForceMajeure } from "./claims.ts";
import { DIRECTOR } from "../../domain/roles.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "date");
// Claims are the contract's remedy in any access state: a suspended school can still file one.
const director = schoolProcedure(DIRECTOR, { always: true });

export const contractRouter = router({
  claims: director.query(async ({ ctx }) => {
    await ensureCalendar(ctx.db);
    const today = almatyDate(new Date());
    const rows = await ctx.db.claim.findMany({ orderBy: [{ receivedOn: "desc" }, { number: "desc" }], take: 200 });
    return { today, claims: rows.map((c) => claimView(c, today)) };
  }),

  fileClaim: director
    .input(z.object({ subject: z.string().trim().min(1).max(200), text: z.string().trim().min(1).max(20000) }))
    .mutation(async ({ ctx, input }) => {
      return registerClaim({
        schoolId: ctx.school.id,
        subject: input.subject,
        text: input.text,
        receivedOn: almatyDate(new Date()),
        source: "cabinet",
        filedBy: ctx.user.id,
        meta: ctx.meta,
      });
    }),

  forceMajeure: director.query(async ({ ctx }) => {
    const rows = await ctx.db.forceMajeureNotice.findMany({ orderBy: { createdAt: "desc" }, take: 100 });
    return rows.map(fmView);
  }),

  registerForceMajeure: director
    .input(
      z.object({
        what: z.string().trim().min(1).max(5000),
        eventStartedOn: isoDate,
        documents: z.string().trim().max(5000).default(""),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      return registerForceMajeure({
        schoolId: ctx.school.id,
        what: input.what,
        eventStartedOn: input.eventStartedOn,
        notifiedOn: almatyDate(new Date()),
        documents: input.documents,
        registeredBy: ctx.user.id,
        meta: ctx.meta,
      });
    }),
});
