import { useT } from "~/lib/i18n.tsx";

/** Driving minutes done against the programme's, as a bar and a line; `hours` formats minutes as this screen does. */
export function DrivingProgress({
  progress,
  hours,
}: {
  progress: { requiredMinutes: number | null; doneMinutes: number };
  hours: (minutes: number) => string;
}) {
  const t = useT();
  return (
    <div className="progress-row">
      {progress.requiredMinutes ? (
        <progress max={progress.requiredMinutes} value={Math.min(progress.doneMinutes, progress.requiredMinutes)} />
      ) : null}
      <span>
        {progress.requiredMinutes
          ? t("training:progress.done", {
              done: hours(progress.doneMinutes),
              required: hours(progress.requiredMinutes),
            })
          : t("training:progress.noProgramme", { done: hours(progress.doneMinutes) })}
      </span>
    </div>
  );
}
