import { Form } from "@remix-run/react";
import { FormAlert } from "~/components/Field.tsx";
import { IntentButton } from "~/components/IntentButton.tsx";
import { useT } from "~/lib/i18n.tsx";

/** The optional photo on the trainee's page, with upload and removal for those who may write. */
export function TraineePhoto({
  src,
  canWrite,
  error,
}: {
  src: string | null;
  canWrite: boolean;
  error: string | null;
}) {
  const t = useT();
  return (
    <section className="card trainee-photo">
      {src ? (
        <img src={src} alt={t("training:photo.alt")} width={120} />
      ) : (
        <div className="photo-empty" aria-hidden="true">
          <svg viewBox="0 0 24 24" width="56" height="56" fill="#9aa7b8" aria-hidden="true">
            <circle cx="12" cy="8" r="4.2" />
            <path d="M3.5 21c.8-4.6 4.2-7 8.5-7s7.7 2.4 8.5 7z" />
          </svg>
        </div>
      )}
      {canWrite ? (
        <div>
          <FormAlert message={error} />
          <Form method="post" encType="multipart/form-data" className="inline-form" preventScrollReset>
            <input type="hidden" name="intent" value="photo" />
            <label className="field">
              <span>{t("training:photo.label")}</span>
              <input type="file" name="photo" accept="image/png,image/jpeg,image/webp" required />
            </label>
            <button type="submit" className="secondary">
              {t("training:photo.upload")}
            </button>
          </Form>
          {src ? (
            <IntentButton preventScrollReset intent="photoRemove" buttonClassName="link-button">
              {t("training:photo.remove")}
            </IntentButton>
          ) : null}
          <p className="muted small">{t("training:photo.hint")}</p>
        </div>
      ) : null}
    </section>
  );
}
