// The staff profile lives at /s/<school>/staff/<userId>; the trailing "_" keeps it outside the staff
// list's layout (that page has no <Outlet />), so it renders as a page of its own.
import { Notice } from "~/components/Notice.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Field, FieldError, FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { hasRole, isWriter, STAFF_VIEWERS, TEACHING } from "../../domain/roles.ts";
import { CATEGORIES } from "../../domain/trainees.ts";
import { refusedWith, runWs, loadWs, text } from "~/components/workspace/forms.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { ExpiryDate } from "~/components/resources/ExpiryBadge.tsx";
import { requireUser, uuidParam } from "~/lib/forms.server.ts";
import { useT } from "~/lib/i18n.tsx";
import { HoursSection, PeriodsSection, type AvailabilityResult } from "~/components/availability/Availability.tsx";
import { AVAILABILITY_INTENTS, availabilityAction } from "~/components/availability/actions.server.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const userId = uuidParam(context, params.userId);
  const profile = await loadWs(context, () => context.trpc.resources.staffProfile({ school: params.school!, userId }));
  // An instructor's hours and days off (ADR 032): the office and inspectors see anyone's, an instructor their own.
  const availability = profile.roles.includes("instructor")
    ? await runWs(context, () => context.trpc.availability.staff({ school: params.school!, userId }))
    : null;
  return { profile, availability: availability?.ok ? availability.value : null };
}

type Values = { licenceCategories: string[]; instructorCertNumber: string; instructorCertValidUntil: string };

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const userId = uuidParam(context, params.userId);
  const form = await request.formData();
  if ((AVAILABILITY_INTENTS as readonly string[]).includes(text(form, "intent")))
    return availabilityAction(context, params.school!, form, { userId });
  const values: Values = {
    licenceCategories: form.getAll("licenceCategories").filter((v): v is string => typeof v === "string"),
    instructorCertNumber: text(form, "instructorCertNumber"),
    instructorCertValidUntil: text(form, "instructorCertValidUntil"),
  };
  const result = await runWs(context, () =>
    context.trpc.resources.updateStaffProfile({
      school: params.school!,
      userId,
      // the server refuses anything that is not a category
      licenceCategories: values.licenceCategories as (typeof CATEGORIES)[number][],
      instructorCertNumber: values.instructorCertNumber,
      instructorCertValidUntil: values.instructorCertValidUntil,
    }),
  );
  if (!result.ok) return refusedWith(result.response, values);
  return { saved: true as const };
}

export default function StaffProfile() {
  const { profile, availability } = useLoaderData<typeof loader>();
  const raw = useActionData() as Refused<Values> | { saved: true } | AvailabilityResult;
  const isAvailability = !!raw && ("done" in raw || ("values" in raw && "intent" in (raw.values as object)));
  const actionData = isAvailability ? undefined : (raw as Refused<Values> | { saved: true } | undefined);
  const availabilityResult = isAvailability ? (raw as AvailabilityResult) : undefined;
  const navigation = useNavigation();
  const { school } = useWorkspace();
  const t = useT();
  const refused = actionData && "error" in actionData ? actionData : null;
  const teaching = hasRole(profile.roles, TEACHING);
  const readOnly = !isWriter(school.roles) || !teaching;
  const values: Values = refused?.values ?? {
    licenceCategories: profile.licenceCategories,
    instructorCertNumber: profile.instructorCertNumber ?? "",
    instructorCertValidUntil: profile.instructorCertValidUntil ?? "",
  };
  const catError =
    refused?.error.fieldErrors?.licenceCategories ??
    Object.entries(refused?.error.fieldErrors ?? {}).find(([k]) => k.startsWith("licenceCategories."))?.[1];
  return (
    <main className="ws-main">
      {hasRole(school.roles, STAFF_VIEWERS) ? (
        <p>
          <Link to={`/s/${school.slug}/staff`}>{t("resources:staff.backToList")}</Link>
        </p>
      ) : null}
      <h1>{t("resources:staff.title", { name: profile.user.fullName })}</h1>
      <p className="muted">{t("resources:staff.lead")}</p>
      {actionData && "saved" in actionData && navigation.state === "idle" ? (
        <Notice>{t("resources:staff.saved")}</Notice>
      ) : null}
      {!teaching ? (
        <p className="banner-inline">{t("resources:staff.notTeaching")}</p>
      ) : !isWriter(school.roles) ? (
        <p className="banner-inline">{t("resources:staff.readOnly")}</p>
      ) : null}
      <dl className="facts card">
        <dt>{t("resources:staff.roles")}</dt>
        <dd>{profile.roles.map((r) => t(`common:roles.${r}`)).join(", ")}</dd>
        <dt>{t("workspace:staff.cols.email")}</dt>
        <dd className="break">{profile.user.email}</dd>
        <dt>{t("resources:staff.fields.licenceCategories")}</dt>
        <dd>
          {profile.licenceCategories.length ? (
            profile.licenceCategories.join(", ")
          ) : (
            <span className="muted">{t("resources:staff.noCategories")}</span>
          )}
        </dd>
        <dt>{t("resources:staff.certStatus")}</dt>
        <dd>
          {profile.instructorCertNumber ? <span className="mono">{profile.instructorCertNumber} · </span> : null}
          <ExpiryDate date={profile.instructorCertValidUntil} state={profile.cert} />
        </dd>
      </dl>
      {teaching ? (
        <Form method="post" className="card res-form" noValidate key={JSON.stringify(profile)}>
          <FormAlert message={refused?.error.message} />
          <fieldset className={`plain field${catError ? " has-error" : ""}`} disabled={readOnly}>
            <legend className="legend">{t("resources:staff.fields.licenceCategories")}</legend>
            <div className="cat-grid">
              {CATEGORIES.map((c) => (
                <label key={c} className="check">
                  <input
                    type="checkbox"
                    name="licenceCategories"
                    value={c}
                    defaultChecked={values.licenceCategories.includes(c)}
                  />
                  <span>{c}</span>
                </label>
              ))}
            </div>
            <FieldError message={catError} />
          </fieldset>
          <div className="grid2">
            <Field
              name="instructorCertNumber"
              label={t("resources:staff.fields.instructorCertNumber")}
              defaultValue={values.instructorCertNumber}
              error={refused?.error.fieldErrors?.instructorCertNumber}
              maxLength={60}
              disabled={readOnly}
              autoComplete="off"
            />
            <Field
              name="instructorCertValidUntil"
              type="date"
              label={t("resources:staff.fields.instructorCertValidUntil")}
              defaultValue={values.instructorCertValidUntil}
              error={refused?.error.fieldErrors?.instructorCertValidUntil}
              disabled={readOnly}
            />
          </div>
          {readOnly ? null : (
            <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
              {t("resources:staff.save")}
            </button>
          )}
        </Form>
      ) : null}
      {availability ? (
        <>
          <HoursSection
            school={school.slug}
            userId={profile.user.id}
            hours={availability.hours}
            outside={availability.outside}
            readOnly={!isWriter(school.roles)}
            result={availabilityResult}
          />
          <PeriodsSection
            kind="absences"
            school={school.slug}
            ownerId={profile.user.id}
            periods={availability.absences}
            readOnly={!isWriter(school.roles)}
            result={availabilityResult}
          />
        </>
      ) : null}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
