// The daily expiry warnings: at 08:00 Astana time a BullMQ job scheduler adds one job to the
// `warnings` queue; its processor looks at every school (operator role, across tenants) and, for each
// school with at least one warning, puts ONE e-mail per director into the transactional outbox. The
// outbox job id names the school, the day and the director, so a second run on the same day — a
// retry, a restarted worker, a manual run — queues nothing new.
import type { Job, Queue } from "bullmq";
import { operatorDb } from "../server/db/client.ts";
import { enqueue } from "../server/outbox/enqueue.ts";
import { config } from "../server/config.ts";
import { logger } from "../server/log.ts";
import { almatyDate } from "../domain/kz/time.ts";
import { loadWarningFacts } from "../server/dashboard/warnings.ts";
import { formatDate } from "../domain/i18n/index.ts";
import type { MailJob } from "../server/mail/templates.ts";
import { computeWarnings, type Warning, WARNING_KINDS, type WarningFact } from "../domain/warnings.ts";

export const WARNINGS_SCHEDULER_ID = "warnings-daily";
/** Every day at 08:00 in Asia/Almaty. */
export const WARNINGS_SCHEDULE = { pattern: "0 8 * * *", tz: "Asia/Almaty" } as const;

/** Registers (or updates) the daily scheduler; safe to call on every worker start. */
export async function scheduleWarnings(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler(WARNINGS_SCHEDULER_ID, { ...WARNINGS_SCHEDULE }, { name: "daily", data: {} });
}

/** The outbox job id of one director's e-mail for one school on one day (no `:` — BullMQ ids can't have it). */
export function warningMailJobId(schoolId: string, day: string, userId: string): string {
  return `warnings.${schoolId}.${day}.${userId}`;
}

/**
 * The e-mail's parameters. renderMail gives both languages the same parameters, so the lists are
 * language-neutral (names, plates, dates and days left); the headings around them are translated.
 */
export function warningMailParams(
  warnings: readonly Warning[],
  ctx: { name: string; school: string; today: string; link: string },
): Record<string, string> {
  const lists = Object.fromEntries(
    WARNING_KINDS.map((kind) => {
      const lines = warnings
        .filter((w) => w.kind === kind)
        .map((w) => `  • ${w.name} — ${formatDate(w.validUntil)} (${w.state === "expired" ? "!" : w.days})`);
      return [kind, lines.length ? lines.join("\n") : "  —"];
    }),
  );
  return {
    ...lists,
    name: ctx.name,
    school: ctx.school,
    date: formatDate(ctx.today),
    link: ctx.link,
    count: String(warnings.length),
    expired: String(warnings.filter((w) => w.state === "expired").length),
    soon: String(warnings.filter((w) => w.state === "soon").length),
  };
}

/** One run: every active or trial school with warnings gets one e-mail per director in the outbox. */
export async function runWarnings(now: Date = new Date()): Promise<{ schools: number; emails: number }> {
  const db = operatorDb();
  const today = almatyDate(now);
  const schools = await db.school.findMany({
    where: { status: { in: ["trial", "active"] } },
    select: { id: true, slug: true, name: true },
  });
  const facts = await loadWarningFacts(
    db,
    schools.map((s) => s.id),
    today,
  );
  const bySchool = new Map<string, WarningFact[]>();
  for (const f of facts) bySchool.set(f.schoolId, [...(bySchool.get(f.schoolId) ?? []), f]);

  let schoolsWarned = 0;
  let emails = 0;
  for (const school of schools) {
    const warnings = computeWarnings(bySchool.get(school.id) ?? [], today);
    if (warnings.length === 0) continue;
    const directors = await db.membership.findMany({
      where: { schoolId: school.id, role: "director", user: { deactivatedAt: null } },
      select: { user: { select: { id: true, email: true, fullName: true, locale: true } } },
    });
    if (directors.length === 0) continue;
    schoolsWarned++;
    const link = `${config().publicUrl}/s/${school.slug}/dashboard`;
    await db.$transaction(async (tx) => {
      for (const { user } of directors) {
        const payload: MailJob = {
          to: user.email,
          locale: user.locale,
          template: "warnings",
          params: warningMailParams(warnings, { name: user.fullName, school: school.name, today, link }),
        };
        await enqueue(tx, { queue: "mail", name: "send", jobId: warningMailJobId(school.id, today, user.id), payload });
        emails++;
      }
    });
  }
  logger.info({ day: today, schools: schoolsWarned, emails }, "expiry warnings queued");
  return { schools: schoolsWarned, emails };
}

/** The `warnings` queue's processor (the scheduler's job carries no data). */
export async function processWarnings(_job: Pick<Job, "data">) {
  return runWarnings();
}
