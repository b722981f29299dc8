import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Header } from "~/components/Header.tsx";
import { Markdown } from "~/components/Markdown.tsx";
import { pageLocale, useFormat, useLocale, useT } from "~/lib/i18n.tsx";
import { isLocale, translator } from "../../domain/i18n/index.ts";

export async function loader({ context }: LoaderFunctionArgs) {
  const [offer, trialDays, announcements] = await Promise.all([
    context.trpc.signup.currentOffer(),
    context.trpc.signup.trialDays(),
    context.trpc.noticesPublic.announcements(),
  ]);
  return { offer, trialDays, announcements, locale: context.ctx.locale };
}

export const meta: MetaFunction<typeof loader> = ({ matches }) => [
  { title: translator(pageLocale(matches))("landing:title") },
];

export default function Landing() {
  const { offer, trialDays, announcements } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  const locale = useLocale();
  const [params] = useSearchParams();
  // The offer can be read in either language, whatever the interface language is.
  const offerLang = isLocale(params.get("offer")) ? params.get("offer")! : locale;
  return (
    <>
      <Header />
      {/* Maintenance windows announced and not yet over (4.2.4). */}
      {announcements.map((w) => (
        <div key={w.id} className="banner" role="status" data-testid="maintenance-banner">
          {t(w.active ? "notices:banner.maintenanceNow" : "notices:banner.maintenance", {
            from: fmt.dateTime(w.startsAt),
            to: fmt.dateTime(w.endsAt),
            reason: locale === "kk" ? w.reasonKk : w.reasonRu,
          })}
        </div>
      ))}
      <main className="page">
        <section className="card hero">
          <h1>{t("landing:title")}</h1>
          <p className="lead">{t("landing:lead")}</p>
          <ul className="features">
            {(["register", "staff", "languages", "security"] as const).map((k) => (
              <li key={k}>{t(`landing:features.${k}`)}</li>
            ))}
          </ul>
          <p>
            <Link to="/signup" className="button">
              {t("landing:cta")}
            </Link>{" "}
            <Link to="/login" className="button secondary">
              {t("common:login")}
            </Link>
          </p>
          <p className="muted">{t("landing:trial", { days: trialDays })}</p>
        </section>
        {offer ? (
          <section className="card" id="offer">
            <h2>{t("landing:offerTitle")}</h2>
            <p className="muted">
              {t("landing:offerVersion", { version: offer.version, date: fmt.date(offer.effectiveFrom) })}
            </p>
            <p className="toolbar">
              <span>{t("landing:offerLang")}</span>
              <Link to="?offer=kk#offer" className={offerLang === "kk" ? "button small" : "button secondary small"}>
                Қазақша
              </Link>
              <Link to="?offer=ru#offer" className={offerLang === "ru" ? "button small" : "button secondary small"}>
                Русский
              </Link>
            </p>
            <div className="offer-text" lang={offerLang} data-testid="offer-text">
              <Markdown text={offerLang === "kk" ? offer.textKk : offer.textRu} />
            </div>
          </section>
        ) : null}
        <p className="muted">{t("landing:support")}</p>
      </main>
    </>
  );
}
