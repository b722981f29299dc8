// The day-before reminder of every booked driving lesson, and the tuition reminders (three days before an unpaid
// instalment's date, one and seven days after it, server/tuition/reminders.ts): a daily job (18:00 Astana time)
// that queues, through the outbox, one notice per lesson or instalment and day — ids make a second run a no-op.
import type { Job, Queue } from "bullmq";
import { operatorDb } from "../server/db/client.ts";
import { addDays, almatyDate, almatyToInstant } from "../domain/kz/time.ts";
import { queueLessonNotice } from "../server/notify/lessons.ts";
import { queueTuitionReminders } from "../server/tuition/reminders.ts";

export async function scheduleReminders(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler(
    "lesson-reminders",
    { pattern: "0 18 * * *", tz: "Asia/Almaty" },
    { name: "remind", data: {} },
  );
}

/** Queues reminders for the lessons of the day after `today` (Asia/Almaty); returns how many lessons. */
export async function queueReminders(today = almatyDate(new Date())): Promise<number> {
  const tomorrow = addDays(today, 1);
  const from = almatyToInstant(tomorrow, "00:00");
  const to = almatyToInstant(addDays(tomorrow, 1), "00:00");
  const db = operatorDb();
  let count = 0;
  for (let after = ""; ; ) {
    const lessons = await db.drivingLesson.findMany({
      where: { status: "booked", startsAt: { gte: from, lt: to }, id: { gt: after || undefined } },
      orderBy: { id: "asc" },
      take: 500,
      select: { id: true },
    });
    if (lessons.length === 0) break;
    await db.$transaction(
      async (tx) => {
        for (const l of lessons) await queueLessonNotice(tx, l.id, "reminder", "kk", tomorrow);
      },
      { timeout: 60_000 },
    );
    count += lessons.length;
    after = lessons[lessons.length - 1]!.id;
  }
  return count;
}

export async function processReminders(_job: Job): Promise<number> {
  const today = almatyDate(new Date());
  return (await queueReminders(today)) + (await queueTuitionReminders(today));
}
