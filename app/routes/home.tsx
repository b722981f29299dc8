import { Link, useLoaderData } from "@remix-run/react";
import { SchoolStatusBadge } from "~/components/StatusBadge.tsx";
import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { loadAuth } from "~/components/auth/values.server.ts";
import { AuthLayout } from "~/components/auth/AuthLayout.tsx";
import { requireUser } from "~/lib/forms.server.ts";
import { pageLocale, useT } from "~/lib/i18n.tsx";
import { translator } from "../../domain/i18n/index.ts";

/** Where a signed-in person lands: the operator console, their one school, or a choice. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(context, request);
  const me = await loadAuth(context, () => context.trpc.auth.me());
  if (!me) throw redirect("/login");
  if (me.operatorRole) throw redirect("/admin");
  if (me.schools.length === 1 && me.cabinets.length === 0) throw redirect(`/s/${me.schools[0]!.slug}`);
  if (me.schools.length === 0 && me.cabinets.length === 1) throw redirect(`/t/${me.cabinets[0]!.slug}`);
  return { locale: context.ctx.locale, schools: me.schools, cabinets: me.cabinets };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: translator(pageLocale(matches))("auth:home.title") },
];

export default function Home() {
  const { schools, cabinets } = useLoaderData<typeof loader>();
  const t = useT();
  if (schools.length === 0 && cabinets.length === 0) {
    return (
      <AuthLayout>
        <h1>{t("auth:home.noneTitle")}</h1>
        <div className="card">
          <p>{t("auth:home.noneLead")}</p>
          <Link to="/signup" className="button">
            {t("auth:home.signup")}
          </Link>
        </div>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout>
      <h1>{t("auth:home.title")}</h1>
      <p className="lead">{t("auth:home.lead")}</p>
      <ul className="school-picker">
        {schools.map((s) => (
          <li key={s.slug}>
            <Link to={`/s/${s.slug}`} className="card school-choice">
              <span className="school-choice-name">{s.name}</span>
              <span className="school-choice-meta">
                <SchoolStatusBadge status={s.status} />{" "}
                <span className="muted">{s.roles.map((r) => t(`common:roles.${r}`)).join(", ")}</span>
              </span>
              <span className="school-choice-open" aria-hidden="true">
                →
              </span>
            </Link>
          </li>
        ))}
        {cabinets.map((c) => (
          <li key={`t-${c.slug}`}>
            <Link to={`/t/${c.slug}`} className="card school-choice">
              <span className="school-choice-name">{c.name}</span>
              <span className="school-choice-meta muted">{t("cabinet:myCabinet")}</span>
              <span className="school-choice-open" aria-hidden="true">
                →
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </AuthLayout>
  );
}
