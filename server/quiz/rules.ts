// The school's rules for retaking the online theory exam (docs/decisions/026-exam-review-and-data-minimisation.md):
// a pause after each finished attempt, and a limit of attempts per calendar day in Almaty. One row per
// school, the defaults below when absent. The rule itself is a pure function of the rules, the
// trainee's attempts and the clock.
import { z } from "zod";
import type { Tx } from "../db/client.ts";
import { addDays, almatyDate, almatyToInstant } from "../../domain/kz/time.ts";

export type ExamRulesValue = { cooldownMinutes: number; dailyLimit: number };

/** An hour between attempts and three a day: enough to practise, too slow to harvest a bank's answers. */
export const DEFAULT_EXAM_RULES: ExamRulesValue = { cooldownMinutes: 60, dailyLimit: 3 };

export async function readExamRules(tx: Tx, schoolId: string): Promise<ExamRulesValue> {
  const row = await tx.examRules.findUnique({
    where: { schoolId },
    select: { cooldownMinutes: true, dailyLimit: true },
  });
  return row ?? { ...DEFAULT_EXAM_RULES };
}

/** The director's change of the school's rules (one row per school, created on the first save). */
export async function saveExamRules(
  tx: Tx,
  schoolId: string,
  actor: { id: string },
  input: ExamRulesValue,
): Promise<ExamRulesValue> {
  const data = {
    cooldownMinutes: input.cooldownMinutes,
    dailyLimit: input.dailyLimit,
    updatedBy: actor.id,
    updatedAt: new Date(),
  };
  await tx.examRules.upsert({
    where: { schoolId },
    create: { schoolId, ...data },
    update: data,
    select: { schoolId: true },
  });
  return { cooldownMinutes: input.cooldownMinutes, dailyLimit: input.dailyLimit };
}

export type AttemptTimes = { startedAt: Date; finishedAt: Date | null };
export type RetakeWait = { at: Date; reason: "cooldown" | "dailyLimit" };

/**
 * When the trainee may start the next attempt, or null if now. The cooldown runs from the last finished
 * attempt; the daily limit counts attempts started on the Almaty calendar day of `now` and opens again at
 * the next Almaty midnight. When both apply, the later wins.
 */
export function nextAttemptAt(rules: ExamRulesValue, attempts: AttemptTimes[], now: Date): RetakeWait | null {
  const waits: RetakeWait[] = [];
  const lastFinish = Math.max(...attempts.map((a) => a.finishedAt?.getTime() ?? -Infinity));
  if (rules.cooldownMinutes > 0 && Number.isFinite(lastFinish)) {
    waits.push({ at: new Date(lastFinish + rules.cooldownMinutes * 60_000), reason: "cooldown" });
  }
  const today = almatyDate(now);
  if (attempts.filter((a) => almatyDate(a.startedAt) === today).length >= rules.dailyLimit) {
    waits.push({ at: almatyToInstant(addDays(today, 1), "00:00"), reason: "dailyLimit" });
  }
  const latest = waits.filter((w) => w.at.getTime() > now.getTime()).sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  return latest ?? null;
}

/** A whole number typed in a form; an empty box is "required", never a silent 0. */
const int = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number({ message: "required" }).int("booking.whole").min(min, "booking.range").max(max, "booking.range"),
  );

/** The director's form: whole minutes of pause (0 = none, up to a day) and attempts a day (1–20). */
export const examRulesInput = z.object({
  cooldownMinutes: int(0, 1440),
  dailyLimit: int(1, 20),
});
