// What the workspace shows a member: the director's unread offer- and tariff-change banners, everyone's
// maintenance announcements (less those the person hid, until the window begins) — and the first request
// after a change took effect recorded as consent (10.4). Who gets which: docs/decisions/030-role-aware-landing-and-notices.md.
import type { Tx } from "../db/client.ts";
import type { RequestMeta } from "../audit/log.ts";
import type { SchoolCtx } from "../trpc.ts";
import { announcements } from "./maintenance.ts";
import { DIRECTOR, hasRole } from "../../domain/roles.ts";
import { recordContinuedUse } from "./offers.ts";

type Actor = { id: string };

/**
 * For the workspace layout: the unread offer- and tariff-change banners (the latest 3) — the director's
 * alone, who accepts the offer and pays; rows fanned out to other members before ADR 030 stay unshown —
 * and the maintenance announcements this person has not hidden (one under way always shows).
 */
export async function workspaceNotices(tx: Tx, school: SchoolCtx, actor: Actor, meta: RequestMeta) {
  await recordContinuedUse(tx, school.id, actor.id, meta);
  const [banners, windows, hidden] = await Promise.all([
    hasRole(school.roles, DIRECTOR) ? unreadChanges(tx, school, actor) : [],
    announcements(tx),
    tx.maintenanceDismissal.findMany({ where: { userId: actor.id }, select: { maintenanceId: true } }),
  ]);
  const dismissed = new Set(hidden.map((h) => h.maintenanceId));
  return { banners, announcements: windows.filter((w) => w.active || !dismissed.has(w.id)) };
}

/** This user's unread offer- and tariff-change notices in this school, newest first. */
async function unreadChanges(tx: Tx, school: SchoolCtx, actor: Actor) {
  const unread = await tx.$queryRaw<
    {
      notice_id: string;
      kind: "offer_change" | "tariff_change";
      version: number;
      effective_from: Date;
      summary_kk: string | null;
      summary_ru: string | null;
    }[]
  >`
    SELECT r.notice_id, n.kind, coalesce(v.version, t.version) AS version,
           coalesce(v.effective_from, (t.effective_from::timestamp AT TIME ZONE 'Asia/Almaty')) AS effective_from,
           coalesce(v.summary_kk, n.summary_kk) AS summary_kk, coalesce(v.summary_ru, n.summary_ru) AS summary_ru
    FROM notice_recipient r JOIN notice n ON n.id = r.notice_id
      LEFT JOIN offer_version v ON v.id = n.offer_version_id LEFT JOIN tariff_version t ON t.id = n.tariff_version_id
    WHERE r.school_id = ${school.id}::uuid AND r.user_id = ${actor.id}::uuid AND r.read_at IS NULL AND n.kind IN ('offer_change', 'tariff_change')
    ORDER BY n.created_at DESC LIMIT 3`;
  return unread.map((u) => ({
    noticeId: u.notice_id,
    kind: u.kind,
    version: u.version,
    effectiveFrom: u.effective_from,
    summaryKk: u.summary_kk,
    summaryRu: u.summary_ru,
  }));
}

/** "Read": the banner goes away for this user. */
export async function markNoticeRead(tx: Tx, actor: Actor, input: { noticeId: string }) {
  await tx.noticeRecipient.updateMany({
    where: { noticeId: input.noticeId, userId: actor.id, readAt: null },
    data: { readAt: new Date() },
  });
  return { ok: true as const };
}

/**
 * "Hide" on a maintenance announcement: gone for this person in all their schools until the window begins.
 * A window that doesn't exist (or was cancelled) is nothing to hide: no row, no error.
 */
export async function dismissMaintenance(tx: Tx, actor: Actor, input: { maintenanceId: string }) {
  await tx.$executeRaw`
    INSERT INTO maintenance_dismissal (user_id, maintenance_id)
    SELECT ${actor.id}::uuid, w.id FROM maintenance_window w
     WHERE w.id = ${input.maintenanceId}::uuid AND w.cancelled_at IS NULL
    ON CONFLICT DO NOTHING`;
  return { ok: true as const };
}
