// "Calendar on my phone" in the workspace (ADR 033): an instructor's own feed of their driving lessons, and for
// the office (WRITERS) the instructors' live feeds with a button to turn one off (they left, lost a phone).
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { FeedBox, type FeedMade } from "~/components/calendar/FeedBox.tsx";
import { FormAlert } from "~/components/Field.tsx";
import { Notice } from "~/components/Notice.tsx";
import { loadWorkspace, loadWs } from "~/components/workspace/forms.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { readSchoolForm, requireUser, runForm } from "~/lib/forms.server.ts";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { FEED_OWNERS, hasRole, isWriter } from "../../domain/roles.ts";
import type { DescribedError } from "../../domain/errors.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const ws = await loadWorkspace(context, school);
  const roles = ws.school.roles;
  const [mine, feeds] = await loadWs(context, () =>
    Promise.all([
      hasRole(roles, FEED_OWNERS) ? context.trpc.calendar.mine({ school }) : Promise.resolve(null),
      isWriter(roles) ? context.trpc.calendar.instructorFeeds({ school }) : Promise.resolve(null),
    ]),
  );
  return { mine, feeds };
}

type Result = { made?: FeedMade; done?: "revoked" | "office"; error?: DescribedError };

export async function action({ context, request, params }: ActionFunctionArgs): Promise<Result> {
  const { v, school, intent } = await readSchoolForm(context, request, params);
  if (intent === "calendar-create") {
    const r = await runForm(context, () => context.trpc.calendar.create({ school }));
    return r.ok ? { made: { url: r.value.url, webcal: r.value.webcal } } : { error: r.error };
  }
  if (intent === "calendar-revoke") {
    const r = await runForm(context, () => context.trpc.calendar.revoke({ school }));
    return r.ok ? { done: "revoked" } : { error: r.error };
  }
  const r = await runForm(context, () => context.trpc.calendar.revokeInstructor({ school, userId: v("userId") }));
  return r.ok ? { done: "office" } : { error: r.error };
}

export default function Calendar() {
  const { mine, feeds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const busy = useNavigation().state === "submitting";
  return (
    <main className="ws-main">
      <p>
        <Link to={`/s/${school.slug}/lessons`}>
          ← {t(isWriter(school.roles) ? "training:lessons.title" : "training:lessons.mine")}
        </Link>
      </p>
      <h1>{t("calendar:title")}</h1>
      <FormAlert message={result?.error?.message} />
      {result?.done === "revoked" ? <Notice>{t("calendar:revoked")}</Notice> : null}
      {result?.done === "office" ? <Notice>{t("calendar:office.revoked")}</Notice> : null}
      {mine ? <FeedBox live={mine.live} made={result?.made ?? null} lead={t("calendar:lead")} titled={false} /> : null}
      {feeds ? (
        <section className="card" data-testid="calendar-office">
          <h2 className="first">{t("calendar:office.title")}</h2>
          <p className="muted">{t("calendar:office.lead")}</p>
          {feeds.length === 0 ? (
            <p className="muted">{t("calendar:office.none")}</p>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t("calendar:office.instructor")}</th>
                    <th>{t("calendar:office.since")}</th>
                    <th>{t("calendar:office.fetched")}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {feeds.map((f) => (
                    <tr key={f.userId}>
                      <td>{f.fullName}</td>
                      <td>{fmt.dateTime(f.createdAt)}</td>
                      <td>{f.lastFetchedAt ? fmt.dateTime(f.lastFetchedAt) : t("calendar:office.never")}</td>
                      <td>
                        <Form method="post">
                          <input type="hidden" name="intent" value="calendar-revoke-instructor" />
                          <input type="hidden" name="userId" value={f.userId} />
                          <button type="submit" className="secondary small" disabled={busy}>
                            {t("calendar:office.revoke")}
                          </button>
                        </Form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
    </main>
  );
}
