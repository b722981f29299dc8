import { Field } from "~/components/Field.tsx";
import { useT } from "~/lib/i18n.tsx";
import { CategorySelect, SelectField, ResourceForm } from "./SelectField.tsx";

export const GROUP_FIELDS = ["number", "category", "startsOn", "endsOn", "teacherId", "timetable"] as const;
export type GroupValues = Partial<Record<(typeof GROUP_FIELDS)[number], string>>;

type Props = {
  values: GroupValues;
  teachers: { id: string; fullName: string }[];
  fieldErrors?: Record<string, string> | null;
  message?: string | null;
  readOnly?: boolean;
  submitLabel: string;
  busy?: boolean;
  intent: string;
  title?: string;
};

/** A study group's fields; plain POST. */
export function GroupForm({
  values,
  teachers,
  fieldErrors,
  message,
  readOnly,
  submitLabel,
  busy,
  intent,
  title,
}: Props) {
  const t = useT();
  const f = (name: (typeof GROUP_FIELDS)[number]) => ({
    name,
    label: t(`resources:groups.fields.${name}`),
    defaultValue: values[name] ?? "",
    error: fieldErrors?.[name],
    disabled: readOnly,
  });
  return (
    <ResourceForm title={title} message={message} readOnly={readOnly} submitLabel={submitLabel} busy={busy}>
      <input type="hidden" name="intent" value={intent} />
      <div className="grid2">
        <Field
          {...f("number")}
          required
          maxLength={40}
          autoComplete="off"
          hint={readOnly ? undefined : t("resources:groups.hints.number")}
        />
        <CategorySelect {...f("category")} />
        <Field {...f("startsOn")} type="date" required />
        <Field {...f("endsOn")} type="date" required />
        <SelectField
          {...f("teacherId")}
          options={teachers.map((x) => ({ value: x.id, label: x.fullName }))}
          placeholder={t("resources:groups.noTeacher")}
          hint={readOnly ? undefined : t("resources:groups.hints.teacher")}
        />
        <Field
          {...f("timetable")}
          maxLength={300}
          hint={readOnly ? undefined : t("resources:groups.hints.timetable")}
        />
      </div>
    </ResourceForm>
  );
}
