// Eligibility and certificates as the caller's role may read them (docs/decisions/026-exam-review-and-data-minimisation.md):
// a role that doesn't see the medical certificate or the contract learns that "the papers or the payment"
// stand in the way — the office's business — but not the certificate's date or the debt.
import { redact, sees, type TraineeView } from "../../domain/visibility.ts";
import type { Eligibility, EligibilityFacts, Reason } from "./eligibility.ts";

export type ShownReason = Reason | { code: "paperwork"; params: Record<string, string> };

export function shownEligibility(view: TraineeView, facts: EligibilityFacts, e: Eligibility, own = false) {
  const medical = sees(view, "medicalCertValidUntil", own);
  const money = sees(view, "balanceTiyn", own);
  const reasons: ShownReason[] = [];
  for (const r of e.reasons) {
    const hidden = (r.code.startsWith("medical") && !medical) || (r.code === "balance" && !money);
    if (!hidden) reasons.push(r);
    else if (!reasons.some((x) => x.code === "paperwork")) reasons.push({ code: "paperwork", params: {} });
  }
  const { medical: medicalFacts, balanceTiyn, ...rest } = facts;
  return {
    facts: { ...rest, ...(medical ? { medical: medicalFacts } : {}), ...(money ? { balanceTiyn } : {}) },
    eligible: e.eligible,
    reasons,
  };
}

/** A certificate's trainee without the IIN for a role that doesn't see it. */
export function shownCertificate<C extends { trainee: { iin: string } & Record<string, unknown> }>(
  view: TraineeView,
  c: C,
) {
  return { ...c, trainee: redact(c.trainee, view) };
}
