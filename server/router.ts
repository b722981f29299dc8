import { router, createCallerFactory } from "./trpc.ts";
import { authRouter } from "./auth/router.ts";
import { signupRouter } from "./signup/router.ts";
import { schoolRouter } from "./schools/router.ts";
import { traineesRouter } from "./trainees/router.ts";
import { staffRouter } from "./staff/router.ts";
import { invitationRouter } from "./staff/public-router.ts";
import { adminRouter } from "./admin/router.ts";
import { billingRouter } from "./billing/router.ts";
import { contractRouter } from "./contract/router.ts";
import { noticesRouter } from "./notices/router.ts";
import { noticesPublicRouter } from "./notices/public-router.ts";
import { supportRouter } from "./support/router.ts";
import { privacyRouter } from "./privacy/router.ts";
import { privacyPublicRouter } from "./privacy/public-router.ts";
import { resourcesRouter } from "./resources/router.ts";
import { traineeImportRouter } from "./import/router.ts";
import { trainingRouter } from "./training/router.ts";
import { tuitionRouter } from "./tuition/router.ts";
import { examsRouter } from "./exams/router.ts";
import { exportsRouter } from "./exports/router.ts";
import { dashboardRouter } from "./dashboard/router.ts";
import { cabinetRouter } from "./cabinet/router.ts";
import { cabinetJoinRouter } from "./cabinet/public-router.ts";
import { bookingRouter } from "./booking/router.ts";
import { quizCabinetRouter, quizRouter } from "./quiz/router.ts";
import { theoryRouter } from "./theory/router.ts";
import { calendarCabinetRouter, calendarRouter } from "./calendar/router.ts";
import { calendarPublicRouter } from "./calendar/public-router.ts";
import { availabilityRouter } from "./availability/router.ts";

export const appRouter = router({
  auth: authRouter,
  signup: signupRouter,
  invitation: invitationRouter,
  school: schoolRouter,
  staff: staffRouter,
  trainees: traineesRouter,
  admin: adminRouter,
  billing: billingRouter,
  contract: contractRouter,
  notices: noticesRouter,
  noticesPublic: noticesPublicRouter,
  support: supportRouter,
  privacy: privacyRouter,
  privacyPublic: privacyPublicRouter,
  resources: resourcesRouter,
  traineeImport: traineeImportRouter,
  training: trainingRouter,
  tuition: tuitionRouter,
  exams: examsRouter,
  exports: exportsRouter,
  dashboard: dashboardRouter,
  cabinet: cabinetRouter,
  cabinetJoin: cabinetJoinRouter,
  booking: bookingRouter,
  quiz: quizRouter,
  quizCabinet: quizCabinetRouter,
  theory: theoryRouter,
  calendar: calendarRouter,
  calendarCabinet: calendarCabinetRouter,
  calendarPublic: calendarPublicRouter,
  availability: availabilityRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
