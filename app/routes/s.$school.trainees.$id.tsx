import { Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/Notice.tsx";
import { TraineeStatusBadge } from "~/components/StatusBadge.tsx";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { TRAINEE_FIELDS, TraineeForm, type TraineeValues } from "~/components/workspace/TraineeForm.tsx";
import { isWriter } from "../../domain/roles.ts";
import { refusedWith, runWs, loadWs } from "~/components/workspace/forms.server.ts";
import { traineeInput } from "~/components/workspace/trainee.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { requireUser, runForm, uuidParam } from "~/lib/forms.server.ts";
import { TraineeTraining, type TrainingRefusal } from "~/components/training/TraineeTraining.tsx";
import { Reasons } from "~/components/exams/Reasons.tsx";
import { TraineePhoto } from "~/components/training/TraineePhoto.tsx";
import { useFormat, useT } from "~/lib/i18n.tsx";
import { TraineeDownloads } from "~/components/exports/TraineeDownloads.tsx";
import { parseSignedTenge, tengeInput } from "../../domain/kz/money.ts";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const [trainee, card, eligibility] = await loadWs(context, () =>
    Promise.all([
      context.trpc.trainees.get({ school: params.school!, id }),
      context.trpc.training.card({ school: params.school!, traineeId: id }),
      context.trpc.exams.eligibility({ school: params.school!, traineeId: id }),
    ]),
  );
  return {
    trainee,
    card,
    eligibility: { eligible: eligibility.eligible, reasons: eligibility.reasons, today: eligibility.today },
    // The payment form's own key: sent twice (a second tap, a retry), it records one payment. A new one each load.
    paymentKey: crypto.randomUUID(),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const id = uuidParam(context, params.id);
  const form = await request.formData();
  const intent = form.get("intent");
  const school = params.school!;
  if (intent === "photo" || intent === "photoRemove") {
    const file = form.get("photo");
    const result = await runForm(context, async (): Promise<unknown> => {
      if (intent === "photoRemove") return context.trpc.trainees.removePhoto({ school, id });
      const base64 =
        file && typeof file !== "string" && file.size > 0
          ? Buffer.from(await file.arrayBuffer()).toString("base64")
          : "";
      return context.trpc.trainees.setPhoto({ school, id, base64 });
    });
    return result.ok ? { done: intent } : { intent: "photo", error: result.error };
  }
  if (intent === "prior") {
    const names = [
      "startedOn",
      "theoryHours",
      "drivingHours",
      "theoryExamOn",
      "theoryExamScore",
      "practicalExamOn",
      "practicalExamScore",
      "practicalExamMax",
      "reason",
    ] as const;
    const values = Object.fromEntries(names.map((n) => [n, String(form.get(n) ?? "").trim()])) as Record<
      (typeof names)[number],
      string
    >;
    const result = await runForm(context, () =>
      context.trpc.training.enterPriorTraining({ school, traineeId: id, ...values, reason: values.reason || null }),
    );
    return result.ok ? { done: intent } : { intent, error: result.error, values };
  }
  if (intent === "invite") {
    const result = await runForm(context, () => context.trpc.training.inviteTrainee({ school, traineeId: id }));
    return result.ok ? { done: intent } : { intent, error: result.error };
  }
  if (intent === "schedule") {
    const lines = String(form.get("lines") ?? "");
    const result = await runForm(context, () =>
      context.trpc.training.setSchedule({
        school,
        traineeId: id,
        plan:
          form.get("kind") === "text"
            ? { kind: "text", text: lines }
            : {
                kind: "even",
                count: Number(form.get("count") || Number.NaN),
                firstDue: String(form.get("firstDue") ?? ""),
              },
      }),
    );
    return result.ok ? { done: intent } : { intent, error: result.error, values: { lines } };
  }
  if (intent === "status") {
    const result = await runForm(context, () =>
      context.trpc.training.changeStatus({
        school,
        traineeId: id,
        to: String(form.get("to")) as never,
        reason: String(form.get("reason") ?? ""),
      }),
    );
    return result.ok ? { done: intent } : { intent, error: result.error };
  }
  if (intent === "payment") {
    const result = await runForm(context, () =>
      context.trpc.training.addPayment({
        school,
        traineeId: id,
        amountTiyn: parseSignedTenge(String(form.get("amount") ?? "")) ?? Number.NaN,
        paidOn: String(form.get("paidOn") ?? ""),
        note: String(form.get("note") ?? "") || null,
        submissionKey: String(form.get("submissionKey") ?? "") || null,
      }),
    );
    return result.ok ? { done: result.value.repeated ? "paymentRepeated" : intent } : { intent, error: result.error };
  }
  const { values, input } = traineeInput(form);
  const result = await runWs(context, () => context.trpc.trainees.update({ school: params.school!, id, data: input }));
  if (!result.ok) return refusedWith(result.response, values, "data.");
  return { saved: true as const };
}

/** What a form of the card's sections did, said in its section, next to the form (TraineeTraining). */
const IN_SECTION = new Set(["status", "payment", "paymentRepeated", "schedule"]);

export default function TraineePage() {
  const { trainee, card, eligibility, paymentKey } = useLoaderData<typeof loader>();
  const actionData = useActionData() as
    | Refused<TraineeValues>
    | { saved: true }
    | { done: string }
    | NonNullable<TrainingRefusal>
    | undefined;
  const navigation = useNavigation();
  // Just added (s.$school.trainees.new.tsx): said once, with the way to add the next one.
  const created = useSearchParams()[0].get("created") === "1";
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const readOnly = !isWriter(school.roles);
  // the register form's own refusal (a training form's carries its intent)
  const refused = actionData && "values" in actionData && !("intent" in actionData) ? actionData : null;
  const trainingRefused = actionData && "intent" in actionData ? actionData : null;
  const stored: TraineeValues = {
    iin: trainee.iin,
    lastName: trainee.lastName,
    firstName: trainee.firstName,
    middleName: trainee.middleName ?? "",
    latinName: trainee.latinName ?? "",
    birthDate: trainee.birthDate,
    phone: trainee.phone ?? "",
    email: trainee.email ?? "",
    address: trainee.address ?? "",
    category: trainee.category,
    gearbox: trainee.gearbox,
    contractNumber: trainee.contractNumber ?? "",
    contractPrice: trainee.contractPriceTiyn ? tengeInput(trainee.contractPriceTiyn) : "",
    medicalCertNumber: trainee.medicalCertNumber ?? "",
    medicalCertIssuedOn: trainee.medicalCertIssuedOn ?? "",
    medicalCertValidUntil: trainee.medicalCertValidUntil ?? "",
  };
  // The server leaves out what the caller's role may not see of this trainee (ADR 026): so does the page.
  const shown = new Set(TRAINEE_FIELDS.filter((k) => (k === "contractPrice" ? "contractPriceTiyn" : k) in trainee));
  const fullName = [trainee.lastName, trainee.firstName, trainee.middleName].filter(Boolean).join(" ");
  return (
    <main className="ws-main">
      <p>
        <Link to={`/s/${school.slug}/trainees`}>{t("workspace:trainee.backToList")}</Link>
      </p>
      <h1>{fullName}</h1>
      <TraineeDownloads traineeId={trainee.id} />
      <p className="muted">{t("workspace:trainee.editTitle")}</p>
      {actionData && "saved" in actionData && navigation.state === "idle" ? (
        <Notice>{t("workspace:trainee.saved")}</Notice>
      ) : null}
      {created && !actionData ? (
        <Notice>
          {t("workspace:trainees.created")} ·{" "}
          <Link to={`/s/${school.slug}/trainees/new`}>{t("workspace:trainees.add")}</Link>
        </Notice>
      ) : null}
      {readOnly ? <p className="banner-inline">{t("workspace:trainee.readOnly")}</p> : null}
      {"photoUpdatedAt" in trainee ? (
        <TraineePhoto
          src={
            trainee.photoUpdatedAt
              ? `/s/${school.slug}/trainees/${trainee.id}/photo?v=${new Date(trainee.photoUpdatedAt).getTime()}`
              : null
          }
          canWrite={!readOnly}
          error={trainingRefused?.intent === "photo" ? trainingRefused.error.message : null}
        />
      ) : null}
      <dl className="facts card">
        <dt>{t("workspace:trainee.status")}</dt>
        <dd>
          <TraineeStatusBadge status={trainee.status} />
        </dd>
        {trainee.sex ? (
          <>
            <dt>{t("workspace:trainee.sex")}</dt>
            <dd>{t(`common:sex.${trainee.sex}`)}</dd>
          </>
        ) : null}
        <dt>{t("workspace:trainee.addedAt")}</dt>
        <dd>{fmt.dateTime(trainee.createdAt)}</dd>
      </dl>
      <TraineeForm
        key={trainee.updatedAt ? String(trainee.updatedAt) : trainee.id}
        values={refused?.values ?? stored}
        fieldErrors={refused?.error.fieldErrors}
        message={refused?.error.message}
        existingId={refused && "existingId" in refused.error ? refused.error.existingId : undefined}
        readOnly={readOnly}
        shown={shown}
        submitLabel={t("common:save")}
        busy={navigation.state === "submitting"}
      />
      {actionData && "done" in actionData && !IN_SECTION.has(actionData.done) ? (
        <Notice>
          {t(
            actionData.done === "invite"
              ? "cabinet:invite.sent"
              : actionData.done === "prior"
                ? "training:prior.saved"
                : "common:saved", // the photo, added or removed
          )}
        </Notice>
      ) : null}
      <section className="card" id="eligibility">
        <h2 className="first">{t("exams:eligibility.title")}</h2>
        {eligibility.eligible ? (
          <p className="notice">{t("exams:eligibility.eligible")}</p>
        ) : (
          <>
            <p>{t("exams:eligibility.missing")}</p>
            <Reasons reasons={eligibility.reasons} />
          </>
        )}
        <p className="muted small">
          {t("exams:eligibility.checkedOn", { date: fmt.date(eligibility.today) })} ·{" "}
          <Link to={`/s/${school.slug}/exams?trainee=${trainee.id}`}>{t("exams:nav.exams")}</Link>
        </p>
      </section>
      <TraineeTraining
        traineeId={trainee.id}
        card={card}
        canWrite={!readOnly}
        refused={trainingRefused}
        done={actionData && "done" in actionData && navigation.state === "idle" ? actionData.done : null}
        sending={navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : null}
        today={eligibility.today}
        paymentKey={paymentKey}
        cabinet={{ linked: !!trainee.userId }}
      />
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
