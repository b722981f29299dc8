// Maintenance windows (4.2.4): scheduled at least 3 full calendar days ahead, announced on the site and
// in every workspace, e-mailed on scheduling and again the day before; during the window workspaces
// answer 503 (server/web.ts) and it ends by itself at its end time — no job needed.
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { addDays, almatyDate, almatyToInstant } from "../../domain/kz/time.ts";
import { formatDate } from "../../domain/i18n/index.ts";
import { announce, enqueueFanout } from "./fanout.ts";
import { operatorDb } from "../db/client.ts";

export const MAINTENANCE_NOTICE_DAYS = 3;

/** The earliest start date for a window scheduled on `today`: 3 full calendar days in between. */
export function earliestMaintenanceDate(today: string): string {
  return addDays(today, MAINTENANCE_NOTICE_DAYS + 1);
}

export type WindowDraft = {
  startDate: string;
  startTime: string;
  endDate: string;
  endTime: string;
  reasonKk: string;
  reasonRu: string;
};

export async function scheduleMaintenance(
  db: PrismaClient,
  actor: string,
  meta: RequestMeta,
  input: WindowDraft,
  now = new Date(),
) {
  const earliest = earliestMaintenanceDate(almatyDate(now));
  if (input.startDate < earliest)
    throw new AppError("BAD_REQUEST", "notices.maintenanceTooSoon", { date: formatDate(earliest) }, "startDate");
  const startsAt = almatyToInstant(input.startDate, input.startTime);
  const endsAt = almatyToInstant(input.endDate, input.endTime);
  if (endsAt <= startsAt) throw new AppError("BAD_REQUEST", "notices.endBeforeStart", {}, "endDate");
  return db.$transaction(async (tx) => {
    const id = randomUUID();
    await tx.maintenanceWindow.create({
      data: { id, startsAt, endsAt, reasonKk: input.reasonKk, reasonRu: input.reasonRu, createdBy: actor },
    });
    const noticeId = await announce(tx, { kind: "maintenance", maintenanceId: id });
    await audit(tx, meta, {
      action: "maintenance.scheduled",
      actorUserId: actor,
      details: { id, startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString() },
    });
    return { id, noticeId };
  });
}

/** Cancels a window that has not started (the announcement disappears; no 503). */
export async function cancelMaintenance(
  db: PrismaClient,
  actor: string,
  meta: RequestMeta,
  id: string,
  now = new Date(),
) {
  return db.$transaction(async (tx) => {
    const { count } = await tx.maintenanceWindow.updateMany({
      where: { id, cancelledAt: null, startsAt: { gt: now } },
      data: { cancelledAt: now },
    });
    if (count === 0) throw new AppError("CONFLICT", "notices.maintenanceStarted");
    await audit(tx, meta, { action: "maintenance.cancelled", actorUserId: actor, details: { id } });
    return { ok: true as const };
  });
}

export type Announcement = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  reasonKk: string;
  reasonRu: string;
  active: boolean;
};

/** Windows not yet over and not cancelled, soonest first: the site's and the workspaces' announcement. */
export async function announcements(
  db: Pick<PrismaClient, "maintenanceWindow">,
  now = new Date(),
): Promise<Announcement[]> {
  const rows = await db.maintenanceWindow.findMany({
    where: { cancelledAt: null, endsAt: { gt: now } },
    orderBy: { startsAt: "asc" },
    take: 5,
    select: { id: true, startsAt: true, endsAt: true, reasonKk: true, reasonRu: true },
  });
  return rows.map((r) => ({ ...r, active: r.startsAt <= now }));
}

/**
 * The web tier's view: the windows not yet over, read at most every `ttlMs` (a request must not cost a
 * query); whether one is active is decided per request against the clock.
 */
export function maintenanceClock(ttlMs = 10_000) {
  let cached: { at: number; rows: Announcement[] } | null = null;
  let loading: Promise<Announcement[]> | null = null;
  return async function activeWindow(now = new Date()): Promise<Announcement | null> {
    if (!cached || Date.now() - cached.at > ttlMs) {
      loading ??= announcements(operatorDb(), now).finally(() => (loading = null));
      try {
        cached = { at: Date.now(), rows: await loading };
      } catch {
        // The database is away (perhaps for this very maintenance): keep what we knew.
        if (!cached) return null;
      }
    }
    return cached.rows.find((w) => w.startsAt <= now && w.endsAt > now) ?? null;
  };
}

/**
 * The day-before reminder: windows starting tomorrow (or sooner, if a run was missed) get a reminder
 * notice, once — its (kind, maintenance) key makes a second run create nothing. Returns the new notices.
 */
export async function remindDueWindows(db: PrismaClient, now = new Date()): Promise<string[]> {
  const tomorrowEnd = almatyToInstant(addDays(almatyDate(now), 2), "00:00");
  const due = await db.maintenanceWindow.findMany({
    where: { cancelledAt: null, startsAt: { gt: now, lt: tomorrowEnd } },
    select: { id: true },
  });
  const created: string[] = [];
  for (const w of due) {
    await db.$transaction(async (tx) => {
      const noticeId = randomUUID();
      const { count } = await tx.notice.createMany({
        data: [{ id: noticeId, kind: "maintenance_reminder", maintenanceId: w.id }],
        skipDuplicates: true,
      });
      if (count === 1) {
        await enqueueFanout(tx, noticeId);
        created.push(noticeId);
      }
    });
  }
  return created;
}

/** The operator's maintenance page: the earliest date a window may start, and the last 50 windows. */
export async function maintenanceConsole(db: Pick<PrismaClient, "maintenanceWindow">) {
  return {
    earliest: earliestMaintenanceDate(almatyDate(new Date())),
    windows: await db.maintenanceWindow.findMany({ orderBy: { startsAt: "desc" }, take: 50 }),
  };
}
