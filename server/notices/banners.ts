// What the workspace shows every member: the unread offer- and tariff-change banners and the maintenance
// announcements — and the first request after a change took effect recorded as consent (10.4).
import type { Tx } from "../db/client.ts";
import type { RequestMeta } from "../audit/log.ts";
import type { SchoolCtx } from "../trpc.ts";
import { announcements } from "./maintenance.ts";
import { recordContinuedUse } from "./offers.ts";

type Actor = { id: string };

/** For the workspace layout: unread offer-change banners of this user (the latest 3) and the maintenance announcements. */
export async function workspaceNotices(tx: Tx, school: SchoolCtx, actor: Actor, meta: RequestMeta) {
  await recordContinuedUse(tx, school.id, actor.id, meta);
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
  return {
    banners: unread.map((u) => ({
      noticeId: u.notice_id,
      kind: u.kind,
      version: u.version,
      effectiveFrom: u.effective_from,
      summaryKk: u.summary_kk,
      summaryRu: u.summary_ru,
    })),
    announcements: await announcements(tx),
  };
}

/** "Read": the banner goes away for this user. */
export async function markNoticeRead(tx: Tx, actor: Actor, input: { noticeId: string }) {
  await tx.noticeRecipient.updateMany({
    where: { noticeId: input.noticeId, userId: actor.id, readAt: null },
    data: { readAt: new Date() },
  });
  return { ok: true as const };
}
