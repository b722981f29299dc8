import { router, createCallerFactory } from "./trpc.ts";
import { authRouter } from "./auth/router.ts";
import { signupRouter } from "./signup/router.ts";
import { schoolRouter } from "./schools/router.ts";
import { traineesRouter } from "./trainees/router.ts";
import { invitationRouter, staffRouter } from "./staff/router.ts";
import { adminRouter } from "./admin/router.ts";

export const appRouter = router({
  auth: authRouter,
  signup: signupRouter,
  invitation: invitationRouter,
  school: schoolRouter,
  staff: staffRouter,
  trainees: traineesRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
