// The status badges that several screens show alike.
import { useT } from "~/lib/i18n.tsx";

/** A trainee's status (`st-…` colours). */
export function TraineeStatusBadge({ status }: { status: string }) {
  const t = useT();
  return <span className={`badge st-${status}`}>{t(`common:traineeStatus.${status}`)}</span>;
}

/** A school's access status as billing names it (trial, active, …). */
export function BillingStatusBadge({ status }: { status: string }) {
  const t = useT();
  return <span className={`badge ${status}`}>{t(`billing:status.${status}`)}</span>;
}

/** A school's status as the workspace names it. */
export function SchoolStatusBadge({ status }: { status: string }) {
  const t = useT();
  return <span className={`badge ${status}`}>{t(`common:schoolStatus.${status}`)}</span>;
}

/** A driving lesson's status (`ls-…` colours). */
export function LessonStatusBadge({ status }: { status: string }) {
  const t = useT();
  return <span className={`badge ls-${status}`}>{t(`training:lessons.status.${status}`)}</span>;
}
