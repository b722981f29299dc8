// Reminders of tuition instalments (docs/decisions/042-tuition-instalments.md): three days before an instalment's
// date and one and seven days after it, while something of it is unpaid, the trainee gets an e-mail and an SMS.
// Written to the outbox with ids that name the instalment, the day offset and the channel, so a day run twice, or a
// run killed half-way and run again, sends each reminder once.
import { operatorDb } from "../db/client.ts";
import { enqueue, enqueueMail } from "../outbox/enqueue.ts";
import { formatDate, formatTiyn, translator, type Locale } from "../../domain/i18n/index.ts";
import { addDays, isoDay } from "../../domain/kz/time.ts";
import { smsSchoolName } from "../../domain/kz/sms-name.ts";
import { standing } from "../../domain/tuition.ts";

/** Days from an instalment's date on which its trainee is reminded (negative: before it). */
export const TUITION_REMINDER_OFFSETS = [-3, 1, 7] as const;

/** Queues the reminders due on `today` (Asia/Almaty) in every school; returns how many instalments were reminded. */
export async function queueTuitionReminders(today: string): Promise<number> {
  const db = operatorDb();
  const days = TUITION_REMINDER_OFFSETS.map((o) => addDays(today, -o));
  const due = await db.tuitionInstalment.findMany({
    where: { dueOn: { in: days.map((d) => new Date(`${d}T00:00:00Z`)) } },
    select: { traineeId: true },
    distinct: ["traineeId"],
  });
  let reminded = 0;
  for (let i = 0; i < due.length; i += 200) {
    const ids = due.slice(i, i + 200).map((d) => d.traineeId);
    reminded += await db.$transaction(
      async (tx) => {
        const [trainees, schedules, payments] = await Promise.all([
          tx.trainee.findMany({
            where: { id: { in: ids } },
            select: {
              id: true,
              firstName: true,
              email: true,
              phone: true,
              userId: true,
              contractPriceTiyn: true,
              school: { select: { name: true } },
            },
          }),
          tx.tuitionInstalment.findMany({
            where: { traineeId: { in: ids } },
            select: { id: true, traineeId: true, seq: true, dueOn: true, amountTiyn: true },
          }),
          tx.traineePayment.groupBy({
            by: ["traineeId"],
            where: { traineeId: { in: ids } },
            _sum: { amountTiyn: true },
          }),
        ]);
        const logins = await tx.user.findMany({
          where: { id: { in: trainees.flatMap((t) => (t.userId ? [t.userId] : [])) } },
          select: { id: true, locale: true },
        });
        let n = 0;
        for (const t of trainees) {
          const mine = schedules.filter((s) => s.traineeId === t.id);
          const paid = Number(payments.find((p) => p.traineeId === t.id)?._sum.amountTiyn ?? 0n);
          const state = standing(
            mine.map((s) => ({ seq: s.seq, dueOn: isoDay(s.dueOn), amountTiyn: Number(s.amountTiyn) })),
            Number(t.contractPriceTiyn),
            paid,
            today,
          );
          const locale: Locale = logins.find((l) => l.id === t.userId)?.locale ?? "kk";
          const tr = translator(locale);
          for (const offset of TUITION_REMINDER_OFFSETS) {
            const dueOn = addDays(today, -offset);
            const instalment = state.instalments.find((s) => s.dueOn === dueOn && s.owedTiyn > 0);
            if (!instalment) continue;
            const row = mine.find((s) => s.seq === instalment.seq)!;
            const kind = offset < 0 ? "tuitionDue" : "tuitionOverdue";
            const params = {
              name: t.firstName,
              school: t.school.name,
              amount: formatTiyn(instalment.owedTiyn),
              date: formatDate(dueOn, locale),
            };
            const id = `tuition-${row.id}-${offset}`;
            if (t.email) await enqueueMail(tx, `${id}.mail`, { to: t.email, locale, template: kind, params });
            if (t.phone) {
              const text = tr(`sms:${kind}`, { ...params, school: smsSchoolName(t.school.name) });
              await enqueue(tx, { queue: "sms", name: "send", jobId: `${id}.sms`, payload: { to: t.phone, text } });
            }
            n++;
          }
        }
        return n;
      },
      { timeout: 60_000 },
    );
  }
  return reminded;
}
