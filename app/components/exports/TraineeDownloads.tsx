import { useLocale, useT } from "~/lib/i18n.tsx";
import { hasRole } from "~/components/workspace/constants.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";

/** The trainee's card and contract as PDF, for the office and the inspector (plain links: they download). */
export function TraineeDownloads({ traineeId }: { traineeId: string }) {
  const { school } = useWorkspace();
  const t = useT();
  const locale = useLocale();
  if (!hasRole(school.roles, ["director", "registrar", "inspector"])) return null;
  const base = `/s/${school.slug}/trainees/${traineeId}`;
  const other = locale === "kk" ? "ru" : "kk";
  return (
    <nav className="doc-links" aria-label={t("exports:downloads.title")}>
      <span className="muted">{t("exports:downloads.title")}:</span>
      <a href={`${base}/card.pdf`} className="button secondary small" download>{t("exports:downloads.card")}</a>
      <a href={`${base}/contract.pdf`} className="button secondary small" download>{t("exports:downloads.contract")}</a>
      <a href={`${base}/contract.pdf?lang=${other}`} className="button secondary small" download>{t("exports:downloads.contractIn", { lang: t(`exports:langIn.${other}`) })}</a>
    </nav>
  );
}
