import { useT } from "~/lib/i18n.tsx";

/** The first facts of a school's organisation card (BIN/IIN, kind, workspace address); the screen adds its own after. */
export function SchoolFacts({ school }: { school: { binIin: string; kind: string; slug: string } }) {
  const t = useT();
  return (
    <>
      <dt>{t("workspace:settings.fields.binIin")}</dt>
      <dd className="mono">{school.binIin}</dd>
      <dt>{t("workspace:settings.fields.kind")}</dt>
      <dd>{t(`workspace:settings.kinds.${school.kind}`)}</dd>
      <dt>{t("workspace:settings.fields.slug")}</dt>
      <dd className="mono break">/s/{school.slug}</dd>
    </>
  );
}
