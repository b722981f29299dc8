import { useT } from "~/lib/i18n.tsx";
import { TRAINEE_STATUSES } from "../../../domain/trainees.ts";

type Option = { id: string; label: string };

/**
 * The bar under a list of trainees for doing one thing to many: to the ticked rows (their checkboxes carry
 * `form={formId}`) or to all the filters match. A plain form: it works without JavaScript, and the fields of the
 * chosen action show through CSS alone (`:has`). "Export" posts the same choice to the register's XLSX.
 */
export function BulkBar({
  formId,
  schoolSlug,
  total,
  filters,
  groups,
  instructors,
}: {
  formId: string;
  schoolSlug: string;
  /** how many trainees the filters match */
  total: number;
  filters: { q: string; status: string; category: string; group: string };
  groups: readonly Option[];
  instructors: readonly Option[];
}) {
  const t = useT();
  return (
    <form method="post" id={formId} className="bulk-bar card" data-testid="bulk-bar">
      {Object.entries(filters).map(([k, v]) => (v ? <input key={k} type="hidden" name={k} value={v} /> : null))}
      <fieldset className="bulk-scope">
        <legend>{t("workspace:bulk.title")}</legend>
        <label>
          <input type="radio" name="scope" value="ticked" defaultChecked /> {t("workspace:bulk.ticked")}
        </label>
        <label>
          <input type="radio" name="scope" value="all" /> {t("workspace:bulk.all", { count: total })}
        </label>
      </fieldset>
      <div className="bulk-fields">
        <select name="kind" aria-label={t("workspace:bulk.action")} defaultValue="status">
          <option value="status">{t("workspace:bulk.kinds.status")}</option>
          <option value="group">{t("workspace:bulk.kinds.group")}</option>
          <option value="instructor">{t("workspace:bulk.kinds.instructor")}</option>
          <option value="invite">{t("workspace:bulk.kinds.invite")}</option>
        </select>
        <select name="to" className="bulk-status" aria-label={t("workspace:bulk.to")}>
          {TRAINEE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`common:traineeStatus.${s}`)}
            </option>
          ))}
        </select>
        <input
          name="reason"
          className="bulk-status"
          maxLength={500}
          placeholder={t("workspace:bulk.reason")}
          aria-label={t("workspace:bulk.reason")}
        />
        <select name="groupId" className="bulk-group" aria-label={t("workspace:bulk.kinds.group")}>
          {groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.label}
            </option>
          ))}
          <option value="none">{t("workspace:bulk.noGroup")}</option>
        </select>
        <select name="instructorId" className="bulk-instructor" aria-label={t("workspace:bulk.kinds.instructor")}>
          {instructors.map((i) => (
            <option key={i.id} value={i.id}>
              {i.label}
            </option>
          ))}
          <option value="none">{t("workspace:bulk.noInstructor")}</option>
        </select>
        <button type="submit" name="intent" value="bulk">
          {t("workspace:bulk.apply")}
        </button>
        <button
          type="submit"
          className="secondary"
          formAction={`/s/${schoolSlug}/exports/register.xlsx`}
          formTarget="_self"
        >
          {t("workspace:bulk.export")}
        </button>
      </div>
    </form>
  );
}
