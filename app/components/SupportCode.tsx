import { useT } from "~/lib/i18n.tsx";

/** Under an error: the request id, for the person to quote to support (it is in every log line of the request). */
export function SupportCode({ id }: { id: string | null }) {
  const t = useT();
  if (!id) return null;
  return (
    <p className="muted small support-code" data-testid="support-code">
      {t("errors:supportCode", { id: "" })}
      <code>{id}</code>
    </p>
  );
}
