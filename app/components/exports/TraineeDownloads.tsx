import { useLocale, useT } from "~/lib/i18n.tsx";
import { hasRole } from "../../../domain/roles.ts";
import { CONTRACT_ROLES, IDENTITY_DOCUMENT_ROLES } from "../../../domain/visibility.ts";
import { useWorkspace } from "~/components/workspace/useWorkspace.ts";

/** The trainee's card (office and inspector) and contract (office) as PDF — plain links: they download (ADR 026). */
export function TraineeDownloads({ traineeId }: { traineeId: string }) {
  const { school } = useWorkspace();
  const t = useT();
  const locale = useLocale();
  if (!hasRole(school.roles, IDENTITY_DOCUMENT_ROLES)) return null;
  const contract = hasRole(school.roles, CONTRACT_ROLES);
  const base = `/s/${school.slug}/trainees/${traineeId}`;
  const other = locale === "kk" ? "ru" : "kk";
  return (
    <nav className="doc-links" aria-label={t("exports:downloads.title")}>
      <span className="muted">{t("exports:downloads.title")}:</span>
      <a href={`${base}/card.pdf`} className="button secondary small" download>
        {t("exports:downloads.card")}
      </a>
      {contract ? (
        <>
          <a href={`${base}/contract.pdf`} className="button secondary small" download>
            {t("exports:downloads.contract")}
          </a>
          <a href={`${base}/contract.pdf?lang=${other}`} className="button secondary small" download>
            {t("exports:downloads.contractIn", { lang: t(`exports:langIn.${other}`) })}
          </a>
        </>
      ) : null}
    </nav>
  );
}
