import { eligibility, type EligibilityFacts } from "./eligibility.ts";
import { translator, formatTiyn } from "../../domain/i18n/index.ts";

const inOrder: EligibilityFacts = {
  today: "2026-11-25",
  drivingDoneMinutes: 58 * 60,
  drivingRequiredMinutes: 58 * 60,
  theoryDoneMinutes: 130 * 60,
  theoryHours: 130,
  theoryExam: { attempt: 2, score: 34, maxScore: 40, passed: true },
  practicalExam: { attempt: 1, score: 20, maxScore: 100, passed: true },
  medical: { number: "083-123", validUntil: "2026-11-25" },
  balanceTiyn: 0,
};

const texts = (f: EligibilityFacts, locale: "kk" | "ru" = "ru") =>
  eligibility(f).reasons.map((r) => translator(locale)(`exams:reasons.${r.code}`, r.params));

describe("eligibility for the state exam", () => {
  it("is granted when hours, both exams, the medical certificate (valid through today) and payments are in order", () => {
    expect(eligibility(inOrder)).toEqual({ eligible: true, reasons: [] });
    // overpaid is fine too
    expect(eligibility({ ...inOrder, balanceTiyn: -500_00 }).eligible).toBe(true);
  });

  it("lists every gap at once, with numbers", () => {
    const f: EligibilityFacts = {
      ...inOrder,
      drivingDoneMinutes: 750,
      theoryDoneMinutes: 36 * 60,
      theoryExam: { attempt: 2, score: 28, maxScore: 40, passed: false },
      practicalExam: null,
      medical: { number: "083-123", validUntil: "2026-10-01" },
      balanceTiyn: 85_000_00,
    };
    expect(eligibility(f).eligible).toBe(false);
    expect(texts(f)).toEqual([
      "теория 36 из 130 ч",
      "вождение 12,5 из 58 ч",
      "внутренний экзамен по теории не сдан (попытка 2: 28 из 40)",
      "внутренний экзамен по вождению не сдавался",
      "медицинская справка истекла 01.10.2026",
      `долг по договору ${formatTiyn(85_000_00)}`,
    ]);
    expect(texts(f, "kk")).toContain("жүргізу 58 сағаттың 12,5 сағаты");
    expect(texts(f, "kk")).toContain("теория 130 сағаттың 36 сағаты");
    expect(formatTiyn(85_000_00)).toBe("85\u00a0000,00\u00a0₸");
  });

  it("counts theory by hours attended, not by the theory exam: a passed exam doesn't make up missing hours", () => {
    // exactly the programme's hours is enough
    expect(eligibility({ ...inOrder, theoryDoneMinutes: 130 * 60 }).eligible).toBe(true);
    // a passed theory exam with 129,5 h attended is still short of theory
    expect(texts({ ...inOrder, theoryDoneMinutes: 130 * 60 - 30 })).toEqual(["теория 129,5 из 130 ч"]);
    // all hours attended, but the exam failed: only the exam is missing
    expect(texts({ ...inOrder, theoryExam: { attempt: 1, score: 30, maxScore: 40, passed: false } })).toEqual([
      "внутренний экзамен по теории не сдан (попытка 1: 30 из 40)",
    ]);
  });

  it("judges by the latest attempt: a failed retake undoes an earlier pass only if it is the latest", () => {
    const failedPractical = { ...inOrder, practicalExam: { attempt: 3, score: 120, maxScore: 100, passed: false } };
    expect(texts(failedPractical)).toEqual([
      "внутренний экзамен по вождению не сдан (попытка 3: штрафных баллов 120, допустимо не более 100)",
    ]);
  });

  it("takes a pass entered on adoption without its score as a pass", () => {
    const adopted = { attempt: 1, score: null, maxScore: null, passed: true };
    expect(eligibility({ ...inOrder, theoryExam: adopted, practicalExam: adopted })).toEqual({
      eligible: true,
      reasons: [],
    });
  });

  it("tells a missing medical certificate from one without a validity date, and notes a missing programme", () => {
    expect(texts({ ...inOrder, medical: { number: null, validUntil: null } })).toEqual(["нет медицинской справки"]);
    expect(texts({ ...inOrder, medical: { number: "083-1", validUntil: null } })).toEqual([
      "у медицинской справки не указан срок действия",
    ]);
    expect(texts({ ...inOrder, drivingRequiredMinutes: null, theoryHours: null })).toEqual([
      "нет программы обучения для категории — часы вождения не с чем сравнить",
    ]);
  });
});
