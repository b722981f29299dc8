import { ConfirmButton } from "~/components/ConfirmButton.tsx";
import { Notice } from "~/components/Notice.tsx";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { InputHTMLAttributes } from "react";
import { Field, FormAlert } from "~/components/Field.tsx";
import { ErrorPanel, type Refused } from "~/components/workspace/ErrorPanel.tsx";
import { DIRECTOR, hasRole } from "../../domain/roles.ts";
import type { Category } from "../../domain/trainees.ts";
import { refusedWith, runWs, loadWs, text } from "~/components/workspace/forms.server.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";
import { requireUser } from "~/lib/forms.server.ts";
import { useFormat, useLocale, useT } from "~/lib/i18n.tsx";
import { HeadCells } from "~/components/Table.tsx";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  requireUser(context, request);
  return { programmes: await loadWs(context, () => context.trpc.resources.programmes({ school: params.school! })) };
}

type Gearbox = "manual" | "automatic";
type SubjectValues = { code: string; nameKk: string; nameRu: string; hours: string };
type ProgrammeValues = {
  intent: string;
  key: string;
  theoryHours: string;
  drivingHours: string;
  subjects: SubjectValues[];
};

/** "" → undefined (required), digits → number, anything else → NaN (invalid). */
const num = (s: string) => (s.trim() === "" ? undefined : /^\d+$/.test(s.trim()) ? Number(s.trim()) : Number.NaN);

export async function action({ context, request, params }: ActionFunctionArgs) {
  requireUser(context, request);
  const school = params.school!;
  const form = await request.formData();
  const intent = text(form, "intent");
  const category = text(form, "category") as Category;
  const gearbox = text(form, "gearbox") as Gearbox;
  const key = `${category}-${gearbox}`;
  if (intent === "reset") {
    const result = await runWs(context, () => context.trpc.resources.resetProgramme({ school, category, gearbox }));
    if (!result.ok)
      return refusedWith(result.response, {
        intent,
        key,
        theoryHours: "",
        drivingHours: "",
        subjects: [],
      } satisfies ProgrammeValues);
    return { done: "reset" as const, key };
  }
  const rows = Number(text(form, "rows")) || 0;
  const subjects: SubjectValues[] = [];
  for (let i = 0; i < Math.min(rows, 40); i++) {
    const s = {
      code: text(form, `s${i}.code`),
      nameKk: text(form, `s${i}.nameKk`),
      nameRu: text(form, `s${i}.nameRu`),
      hours: text(form, `s${i}.hours`),
    };
    // an empty row is no subject (that is how one is removed)
    if (s.nameKk.trim() || s.nameRu.trim() || s.hours.trim())
      subjects.push({ ...s, code: s.code.trim() || `s${i + 1}` });
  }
  const values: ProgrammeValues = {
    intent,
    key,
    theoryHours: text(form, "theoryHours"),
    drivingHours: text(form, "drivingHours"),
    subjects,
  };
  const result = await runWs(context, () =>
    context.trpc.resources.updateProgramme({
      school,
      category,
      gearbox,
      theoryHours: num(values.theoryHours) as number,
      drivingHours: num(values.drivingHours) as number,
      subjects: subjects.map((s) => ({
        code: s.code,
        nameKk: s.nameKk,
        nameRu: s.nameRu,
        hours: num(s.hours) as number,
      })),
    }),
  );
  if (!result.ok) return refusedWith(result.response, values);
  return { done: "save" as const, key };
}

type Programme = Awaited<ReturnType<typeof loader>>["programmes"][number];

function ProgrammeEditor({
  p,
  refused,
  busy,
}: {
  p: Programme;
  refused: Refused<ProgrammeValues> | null;
  busy: boolean;
}) {
  const t = useT();
  const mine = refused && refused.values.key === `${p.category}-${p.gearbox}` ? refused : null;
  const fe = mine?.error.fieldErrors ?? {};
  const subjects: SubjectValues[] = mine?.values.subjects ?? p.subjects.map((s) => ({ ...s, hours: String(s.hours) }));
  const rows = [...subjects, { code: "", nameKk: "", nameRu: "", hours: "" }];
  const hoursField = (name: "theoryHours" | "drivingHours", value: string) => (
    <Field
      name={name}
      type="number"
      min={0}
      max={2000}
      inputMode="numeric"
      label={t(`resources:programmes.fields.${name}`)}
      defaultValue={value}
      error={fe[name]}
    />
  );
  /** Row `i`'s field of a subject's `col` (the id ends in `idEnd`). */
  const subjectField = (
    i: number,
    col: "nameKk" | "nameRu" | "hours",
    idEnd: string,
    input: InputHTMLAttributes<HTMLInputElement>,
  ) => (
    <Field
      id={`${p.category}-${p.gearbox}-s${i}-${idEnd}`}
      name={`s${i}.${col}`}
      label={t(`resources:programmes.subjectCols.${col}`)}
      error={fe[`subjects.${i}.${col}`]}
      {...input}
    />
  );
  return (
    <Form method="post" className="card res-form" noValidate key={`${p.category}-${p.gearbox}-${String(p.updatedAt)}`}>
      <h3 className="first">{t("resources:programmes.editTitle")}</h3>
      <p className="muted small">{t("resources:programmes.editLead")}</p>
      <FormAlert message={mine && mine.values.intent === "save" ? mine.error.message : null} />
      <input type="hidden" name="intent" value="save" />
      <input type="hidden" name="category" value={p.category} />
      <input type="hidden" name="gearbox" value={p.gearbox} />
      <input type="hidden" name="rows" value={rows.length} />
      <div className="grid2">
        {hoursField("theoryHours", mine?.values.theoryHours ?? String(p.theoryHours))}
        {hoursField("drivingHours", mine?.values.drivingHours ?? String(p.drivingHours))}
      </div>
      {fe.subjects ? (
        <p className="alert" role="alert">
          {fe.subjects}
        </p>
      ) : null}
      <div className="subject-rows">
        {rows.map((s, i) => (
          <fieldset key={i} className="subject-row plain">
            <input type="hidden" name={`s${i}.code`} value={s.code} />
            {subjectField(i, "nameKk", "kk", { defaultValue: s.nameKk, maxLength: 200 })}
            {subjectField(i, "nameRu", "ru", { defaultValue: s.nameRu, maxLength: 200 })}
            {subjectField(i, "hours", "h", {
              type: "number",
              min: 0,
              inputMode: "numeric",
              defaultValue: s.hours,
              className: "hours",
            })}
          </fieldset>
        ))}
      </div>
      <button type="submit" className="primary" disabled={busy}>
        {t("resources:programmes.save")}
      </button>
    </Form>
  );
}

export default function Programmes() {
  const { programmes } = useLoaderData<typeof loader>();
  const actionData = useActionData() as Refused<ProgrammeValues> | { done: "save" | "reset"; key: string } | undefined;
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const { school } = useWorkspace();
  const t = useT();
  const fmt = useFormat();
  const locale = useLocale();
  const isDirector = hasRole(school.roles, DIRECTOR);
  const refused = actionData && "error" in actionData ? actionData : null;
  const done = actionData && "done" in actionData && navigation.state === "idle" ? actionData : null;
  const open = refused?.values.key ?? done?.key ?? params.get("p") ?? "";
  const note = programmes.find((p) => (locale === "kk" ? p.noteKk : p.noteRu));
  const noteText = note ? (locale === "kk" ? note.noteKk : note.noteRu) : t("resources:programmes.note");
  const selected = programmes.find((p) => `${p.category}-${p.gearbox}` === open);
  const name = (p: Programme) => (locale === "kk" ? p.categoryName.nameKk : p.categoryName.nameRu);
  return (
    <main className="ws-main">
      <h1>{t("resources:programmes.title")}</h1>
      <p className="muted">{t("resources:programmes.lead")}</p>
      <p className="banner-inline" role="note">
        {noteText}
      </p>
      {!isDirector ? <p className="muted small">{t("resources:programmes.readOnly")}</p> : null}
      {done ? (
        <Notice>{t(done.done === "save" ? "resources:programmes.saved" : "resources:programmes.wasReset")}</Notice>
      ) : null}
      {refused && refused.values.intent === "reset" ? <FormAlert message={refused.error.message} /> : null}
      <div className="table-wrap">
        <table className="programmes">
          <thead>
            <tr>
              <HeadCells
                labels="resources:programmes.cols"
                columns={["category", "gearbox", ["theory", "num"], ["driving", "num"], "source"]}
              />
            </tr>
          </thead>
          <tbody>
            {programmes.map((p) => {
              const key = `${p.category}-${p.gearbox}`;
              return (
                <tr key={key} className={key === open ? "selected" : undefined}>
                  <td>
                    <Link to={key === open ? "?" : `?p=${key}#programme`} aria-expanded={key === open}>
                      <span className="hide-phone">{name(p)}</span>
                      <span className="phone-only">{p.category}</span>
                    </Link>
                  </td>
                  <td className="nowrap">{t(`resources:gearbox.${p.gearbox}`)}</td>
                  <td className="num">{p.theoryHours}</td>
                  <td className="num">{p.drivingHours}</td>
                  <td>
                    <span className={`badge prog-${p.source}`}>{t(`resources:programmes.source.${p.source}`)}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      {selected ? (
        <section id="programme" className="programme-detail">
          <div className="ws-head">
            <h2>
              {name(selected)} · {t(`resources:gearbox.${selected.gearbox}`)}
            </h2>
            <Link to="?" className="button secondary small">
              {t("resources:programmes.close")}
            </Link>
          </div>
          <p className="muted small">
            <span className={`badge prog-${selected.source}`}>
              {t(`resources:programmes.source.${selected.source}`)}
            </span>{" "}
            {selected.updatedAt
              ? t("resources:programmes.updatedAt", { date: fmt.dateTime(selected.updatedAt) })
              : null}{" "}
            {selected.source === "adjusted"
              ? t("resources:programmes.templateHours", {
                  theory: selected.template.theoryHours,
                  driving: selected.template.drivingHours,
                })
              : null}
          </p>
          <h3>{t("resources:programmes.subjectsTitle")}</h3>
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <HeadCells labels="resources:programmes.subjectCols" columns={["name", ["hours", "num"]]} />
                </tr>
              </thead>
              <tbody>
                {selected.subjects.map((s) => (
                  <tr key={s.code}>
                    <td>{locale === "kk" ? s.nameKk : s.nameRu}</td>
                    <td className="num">{s.hours}</td>
                  </tr>
                ))}
                <tr className="total">
                  <th>{t("resources:programmes.total")}</th>
                  <th className="num">{selected.subjects.reduce((a, s) => a + s.hours, 0)}</th>
                </tr>
              </tbody>
            </table>
          </div>
          {isDirector ? (
            <>
              <ProgrammeEditor p={selected} refused={refused} busy={navigation.state === "submitting"} />
              {selected.source === "adjusted" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="reset" />
                  <input type="hidden" name="category" value={selected.category} />
                  <input type="hidden" name="gearbox" value={selected.gearbox} />
                  <ConfirmButton question={t("resources:programmes.resetConfirm")}>
                    {t("resources:programmes.reset")}
                  </ConfirmButton>
                </Form>
              ) : null}
            </>
          ) : null}
        </section>
      ) : null}
    </main>
  );
}

export const ErrorBoundary = ErrorPanel;
