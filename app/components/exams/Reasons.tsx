import { useT } from "~/lib/i18n.tsx";

export type ReasonView = { code: string; params: Record<string, string> };

/** What is missing for the state exam, one line per gap (texts from exams:reasons). */
export function Reasons({ reasons }: { reasons: ReasonView[] }) {
  const t = useT();
  return (
    <ul className="exam-reasons">
      {reasons.map((r) => (
        <li key={r.code}>{t(`exams:reasons.${r.code}`, r.params)}</li>
      ))}
    </ul>
  );
}

/** "32 из 40" for theory; for practical, penalty points: "штрафных баллов: 4 (допустимо не более 5)". */
export function useScoreText() {
  const t = useT();
  return (kind: string, score: number, maxScore: number) =>
    t(kind === "theory" ? "exams:results.scoreTheory" : "exams:results.scorePractical", { score, max: maxScore });
}

export function PassBadge({ passed }: { passed: boolean }) {
  const t = useT();
  return (
    <span className={`badge ${passed ? "exam-pass" : "exam-fail"}`}>
      {passed ? t("exams:results.passed") : t("exams:results.failed")}
    </span>
  );
}
