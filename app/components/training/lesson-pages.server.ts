// The pages of one driving lesson — cancel, move, correct its mark: where each goes back to, and the way back
// once its form went through, saying what happened.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { load, requireUser, uuidParam } from "~/lib/forms.server.ts";
import { safeRedirect } from "~/lib/safe-redirect.ts";
import { almatyDate, mondayOf } from "../../../domain/kz/time.ts";

/** Where a lesson's page goes back to: the page that sent here (`?back=`), else the week of the lesson. */
export function lessonBack(url: URL, school: string, startsAt: Date | string): string {
  return safeRedirect(
    url.searchParams.get("back"),
    `/s/${school}/lessons?week=${mondayOf(almatyDate(new Date(startsAt)))}`,
  );
}

/** The loader of a lesson's page: the lesson (an instructor only their own) and where the page goes back to. */
export async function loadLessonPage({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const lessonId = uuidParam(context, params.id);
  const lesson = await load(context, () => context.trpc.training.lesson({ school: params.school!, lessonId }));
  return { lesson, back: lessonBack(new URL(request.url), params.school!, lesson.startsAt) };
}

/** Back to the form's `back` (else `fallback`, the lessons), with `done=1` for the page to say so. */
export function backAfter(
  back: string,
  school: string,
  done: "cancelled" | "moved" | "marked" | "booked",
  fallback = `/s/${school}/lessons`,
) {
  const to = safeRedirect(back, fallback);
  return redirect(`${to}${to.includes("?") ? "&" : "?"}${done}=1`);
}
