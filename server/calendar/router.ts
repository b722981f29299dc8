// Calendar feeds (ADR 033): the instructor's own in the workspace, the office's list and revoke, the
// trainee's own in the cabinet.
import { router, schoolProcedure, traineeProcedure } from "../trpc.ts";
import { FEED_OWNERS, WRITERS } from "../../domain/roles.ts";
import { instructorFeedInput } from "./schema.ts";
import { createFeed, feedStatus, instructorFeeds, revokeFeed, revokeInstructorFeed } from "./feeds.ts";

export const calendarRouter = router({
  /** Whether the instructor has a live feed (the address itself is shown only when made). */
  mine: schoolProcedure(FEED_OWNERS).query(({ ctx }) =>
    feedStatus(ctx.db, { kind: "instructor", userId: ctx.user.id }),
  ),

  /** A new address for the instructor's lessons; the old one stops working. */
  create: schoolProcedure(FEED_OWNERS).mutation(({ ctx }) =>
    createFeed(ctx.db, ctx.school.id, { kind: "instructor", userId: ctx.user.id }, ctx.user.id, ctx.meta),
  ),

  /** The instructor turns their feed off. */
  revoke: schoolProcedure(FEED_OWNERS).mutation(({ ctx }) =>
    revokeFeed(ctx.db, ctx.school.id, { kind: "instructor", userId: ctx.user.id }, ctx.user.id, ctx.meta),
  ),

  /** The office: instructors with a live feed. */
  instructorFeeds: schoolProcedure(WRITERS).query(({ ctx }) => instructorFeeds(ctx.db)),

  /** The office turns an instructor's feed off (they left, lost their phone). */
  revokeInstructor: schoolProcedure(WRITERS)
    .input(instructorFeedInput)
    .mutation(({ ctx, input }) => revokeInstructorFeed(ctx.db, ctx.school.id, ctx.user.id, input, ctx.meta)),
});

/** The trainee's own feed, in the cabinet (its database role sees and writes their own row only). */
export const calendarCabinetRouter = router({
  mine: traineeProcedure().query(({ ctx }) => feedStatus(ctx.db, { kind: "trainee", traineeId: ctx.trainee.id })),

  create: traineeProcedure().mutation(({ ctx }) =>
    createFeed(ctx.db, ctx.trainee.schoolId, { kind: "trainee", traineeId: ctx.trainee.id }, ctx.user.id, ctx.meta),
  ),

  revoke: traineeProcedure().mutation(({ ctx }) =>
    revokeFeed(ctx.db, ctx.trainee.schoolId, { kind: "trainee", traineeId: ctx.trainee.id }, ctx.user.id, ctx.meta),
  ),
});
