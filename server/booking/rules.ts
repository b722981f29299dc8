// The school's rules for trainee self-booking: one row per school, the defaults below when absent.
import type { Tx } from "../db/client.ts";

export type BookingRulesValue = {
  enabled: boolean;
  opensMinute: number;
  closesMinute: number;
  slotMinutes: number;
  windowDays: number;
  cancelHours: number;
  weeklyLimit: number;
};

/** 08:00–20:00 Astana time, 90-minute lessons, two weeks ahead, cancel a day before, 3 a week. */
export const DEFAULT_RULES: BookingRulesValue = {
  enabled: true,
  opensMinute: 8 * 60,
  closesMinute: 20 * 60,
  slotMinutes: 90,
  windowDays: 14,
  cancelHours: 24,
  weeklyLimit: 3,
};

export async function readRules(tx: Tx, schoolId: string): Promise<BookingRulesValue> {
  const row = await tx.bookingRules.findUnique({ where: { schoolId } });
  if (!row) return { ...DEFAULT_RULES };
  const { enabled, opensMinute, closesMinute, slotMinutes, windowDays, cancelHours, weeklyLimit } = row;
  return { enabled, opensMinute, closesMinute, slotMinutes, windowDays, cancelHours, weeklyLimit };
}

export const minuteToTime = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
export const timeToMinute = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** The rules as the director's form shows them: the stored minutes, and the times as `HH:MM`. */
export async function rulesForForm(tx: Tx, schoolId: string) {
  const r = await readRules(tx, schoolId);
  return { ...r, opens: minuteToTime(r.opensMinute), closes: minuteToTime(r.closesMinute) };
}

/** What the director's form sends, checked (./schema.ts). */
type RulesForm = {
  enabled: boolean;
  opens: string;
  closes: string;
  slotMinutes: number;
  windowDays: number;
  cancelHours: number;
  weeklyLimit: number;
};

/** Saves the school's self-booking rules, signed by who changed them. */
export async function saveRules(tx: Tx, schoolId: string, actor: { id: string }, input: RulesForm) {
  const data = {
    enabled: input.enabled,
    opensMinute: timeToMinute(input.opens),
    closesMinute: timeToMinute(input.closes),
    slotMinutes: input.slotMinutes,
    windowDays: input.windowDays,
    cancelHours: input.cancelHours,
    weeklyLimit: input.weeklyLimit,
    updatedBy: actor.id,
    updatedAt: new Date(),
  };
  await tx.bookingRules.upsert({
    where: { schoolId },
    create: { schoolId, ...data },
    update: data,
  });
  return { saved: true };
}
