import { Link, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPanel } from "~/components/workspace/ErrorPanel.tsx";
import { DIRECTOR, hasRole, onlyRole, STAFF_VIEWERS } from "../../domain/roles.ts";
import { CATEGORIES, TRAINEE_STATUSES } from "../../domain/trainees.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { useTraineeView } from "~/components/workspace/useTraineeView.ts";
import { load, requireUser } from "~/lib/forms.server.ts";
import { useFormat, useLocale, useT } from "~/lib/i18n.tsx";
import { LOCALES } from "../../domain/i18n/index.ts";
import { addDays, almatyDate } from "../../domain/kz/time.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const groups = await load(context, () => context.trpc.resources.groups({ school: params.school! }));
  const today = almatyDate(new Date());
  return {
    groups: groups.map((g) => ({
      id: g.id,
      number: g.number,
      category: g.category,
      startsOn: g.startsOn,
      endsOn: g.endsOn,
    })),
    today,
    monthAgo: addDays(today, -30),
  };
}

/** A language select for a download form; the user's language first. */
function LangSelect({ id }: { id: string }) {
  const t = useT();
  const locale = useLocale();
  return (
    <div className="field">
      <label htmlFor={id}>{t("exports:page.language")}</label>
      <select id={id} name="lang" defaultValue={locale}>
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {t(`exports:langName.${l}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** One filter of the register: everything (the default) or one of `options` (value and text pairs). */
function RegisterFilter({
  id,
  name,
  label,
  options,
}: {
  id: string;
  name: string;
  label: string;
  options: [value: string, text: string][];
}) {
  const t = useT();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue="">
        <option value="">{t("exports:page.all")}</option>
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export default function Exports() {
  const { groups, today, monthAgo } = useLoaderData<typeof loader>();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const base = `/s/${school.slug}`;
  const onlyInstructor = onlyRole(school.roles, "instructor");
  // The registers carry what the role sees of every trainee (ADR 026); the texts say so.
  const { column } = useTraineeView();
  return (
    <main className="ws-main exports-page">
      <h1>{t("exports:page.title")}</h1>
      <p className="muted">{t("exports:page.lead")}</p>
      {hasRole(school.roles, DIRECTOR) ? (
        <p>
          <Link to={`${base}/archive`}>{t("archive:exportsLink")}</Link>
        </p>
      ) : null}

      {/* Plain GET forms (not Remix's <Form>): the response is a file, so the browser downloads it. */}
      <form method="get" action={`${base}/exports/register.xlsx`} className="card">
        <h2 className="first">{t("exports:page.register.title")}</h2>
        <p className="muted">{t(column("iin") ? "exports:page.register.lead" : "exports:page.register.leadRoster")}</p>
        <div className="export-fields">
          <RegisterFilter
            id="reg-status"
            name="status"
            label={t("exports:page.register.status")}
            options={TRAINEE_STATUSES.map((s) => [s, t(`common:traineeStatus.${s}`)])}
          />
          <RegisterFilter
            id="reg-category"
            name="category"
            label={t("exports:page.register.category")}
            options={CATEGORIES.map((c) => [c, c])}
          />
          <RegisterFilter
            id="reg-group"
            name="groupId"
            label={t("exports:page.register.group")}
            options={groups.map((g) => [g.id, g.number])}
          />
          <LangSelect id="reg-lang" />
        </div>
        <button type="submit" className="primary">
          {t("exports:page.download")}
        </button>
      </form>

      <form method="get" action={`${base}/exports/group.xlsx`} className="card">
        <h2 className="first">{t("exports:page.group.title")}</h2>
        <p className="muted">{t(column("iin") ? "exports:page.group.lead" : "exports:page.group.leadRoster")}</p>
        {groups.length === 0 ? (
          <p className="muted">{t("exports:page.group.none")}</p>
        ) : (
          <>
            <div className="export-fields">
              <div className="field wide">
                <label htmlFor="grp-id">{t("exports:page.group.label")}</label>
                <select id="grp-id" name="id" required defaultValue={groups[0]!.id}>
                  {groups.map((g) => (
                    <option key={g.id} value={g.id}>
                      {t("exports:page.group.option", {
                        number: g.number,
                        category: g.category,
                        from: fmt.date(g.startsOn),
                        to: fmt.date(g.endsOn),
                      })}
                    </option>
                  ))}
                </select>
              </div>
              <LangSelect id="grp-lang" />
            </div>
            <button type="submit" className="primary">
              {t("exports:page.download")}
            </button>
          </>
        )}
      </form>

      <form method="get" action={`${base}/exports/lessons.xlsx`} className="card">
        <h2 className="first">{t("exports:page.lessons.title")}</h2>
        <p className="muted">{t("exports:page.lessons.lead")}</p>
        {onlyInstructor ? <p className="banner-inline">{t("exports:page.lessons.ownOnly")}</p> : null}
        <div className="export-fields">
          <div className="field">
            <label htmlFor="les-from">{t("exports:page.lessons.from")}</label>
            <input id="les-from" name="from" type="date" required defaultValue={monthAgo} />
          </div>
          <div className="field">
            <label htmlFor="les-to">{t("exports:page.lessons.to")}</label>
            <input id="les-to" name="to" type="date" required defaultValue={today} />
          </div>
          <LangSelect id="les-lang" />
        </div>
        <button type="submit" className="primary">
          {t("exports:page.download")}
        </button>
      </form>

      {hasRole(school.roles, STAFF_VIEWERS) ? (
        <section className="card">
          <h2 className="first">{t("exports:page.documents.title")}</h2>
          <p className="muted">{t("exports:page.documents.lead")}</p>
          <p>
            <Link to={`${base}/trainees`}>{t("workspace:nav.trainees")}</Link>
            {hasRole(school.roles, DIRECTOR) ? (
              <>
                {" "}
                · <Link to={`${base}/settings/contract`}>{t("exports:page.documents.template")}</Link>
              </>
            ) : null}
          </p>
        </section>
      ) : null}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
