import { FieldBox } from "~/components/Field.tsx";
import { useT } from "~/lib/i18n.tsx";

/** The most weeks a series may run: server/training/schema.ts (REPEAT_MAX_WEEKS) refuses more. */
const MAX_WEEKS = 12;

/** The booking form's "how many weeks in a row" (1: just this lesson); more leads to the series' preview. */
export function RepeatWeeksField({ value, error }: { value?: string; error?: string }) {
  const t = useT();
  return (
    <FieldBox htmlFor="f-weeks" label={t("schedule:repeat.weeks")} error={error}>
      <select id="f-weeks" name="weeks" defaultValue={value || "1"} aria-invalid={!!error}>
        {Array.from({ length: MAX_WEEKS }, (_, i) => String(i + 1)).map((n) => (
          <option key={n} value={n}>
            {n === "1" ? t("schedule:repeat.once") : n}
          </option>
        ))}
      </select>
    </FieldBox>
  );
}
