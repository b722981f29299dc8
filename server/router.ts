import { router, createCallerFactory } from "./trpc.ts";
import { authRouter } from "./auth/router.ts";
import { signupRouter } from "./signup/router.ts";
import { schoolRouter } from "./schools/router.ts";
import { traineesRouter } from "./trainees/router.ts";
import { invitationRouter, staffRouter } from "./staff/router.ts";
import { adminRouter } from "./admin/router.ts";
import { resourcesRouter } from "./resources/router.ts";
import { traineeImportRouter } from "./import/router.ts";
import { trainingRouter } from "./training/router.ts";

export const appRouter = router({
  auth: authRouter,
  signup: signupRouter,
  invitation: invitationRouter,
  school: schoolRouter,
  staff: staffRouter,
  trainees: traineesRouter,
  admin: adminRouter,
  resources: resourcesRouter,
  traineeImport: traineeImportRouter,
  training: trainingRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
