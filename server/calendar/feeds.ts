// Making and revoking calendar feeds (docs/decisions/033-calendar-feeds.md): an instructor's own in the
// workspace, a trainee's own in the cabinet, and the office revoking an instructor's. The address is shown
// once, when it is made; only the token's hash is kept. Making a new one revokes the old one in the same
// transaction (at most one live feed per owner: a partial unique index holds it). Both are audited.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import { config } from "../config.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { newToken } from "../auth/tokens.ts";
import type { instructorFeedInput } from "./schema.ts";

/** Whose feed: an instructor (a staff member) or a trainee. */
export type FeedOwner = { kind: "instructor"; userId: string } | { kind: "trainee"; traineeId: string };

const ownerWhere = (o: FeedOwner) =>
  o.kind === "instructor"
    ? { ownerKind: "instructor", userId: o.userId, revokedAt: null }
    : { ownerKind: "trainee", traineeId: o.traineeId, revokedAt: null };

const ownerDetails = (o: FeedOwner) => (o.kind === "instructor" ? { userId: o.userId } : { traineeId: o.traineeId });

/** The feed's addresses: https for copying, webcal:// for "subscribe" on a phone. */
export function feedUrls(token: string): { url: string; webcal: string } {
  const url = `${config().publicUrl.replace(/\/+$/, "")}/cal/${token}.ics`;
  return { url, webcal: url.replace(/^https?:\/\//, "webcal://") };
}

/** The owner's live feed, as the box shows it (never the address: it isn't kept). */
export async function feedStatus(tx: Tx, owner: FeedOwner) {
  const live = await tx.calendarFeed.findFirst({
    where: ownerWhere(owner),
    select: { createdAt: true, lastFetchedAt: true },
  });
  return { live };
}

/** Revokes the owner's live feed, if any; audited. Returns whether there was one. */
async function revokeLive(
  tx: Tx,
  schoolId: string,
  owner: FeedOwner,
  actorUserId: string,
  meta: RequestMeta,
  why: "revoked" | "replaced" | "member_removed",
): Promise<boolean> {
  const { count } = await tx.calendarFeed.updateMany({
    where: ownerWhere(owner),
    data: { revokedAt: new Date(), revokedBy: actorUserId },
  });
  if (count > 0)
    await audit(tx, meta, {
      action: "calendar.feed_revoked",
      schoolId,
      actorUserId,
      details: { owner: owner.kind, ...ownerDetails(owner), why },
    });
  return count > 0;
}

/** A new address for the owner (the old one, if any, stops working); shown once. */
export async function createFeed(tx: Tx, schoolId: string, owner: FeedOwner, actorUserId: string, meta: RequestMeta) {
  await revokeLive(tx, schoolId, owner, actorUserId, meta, "replaced");
  const { token, hash } = newToken();
  const row = await tx.calendarFeed.create({
    data: {
      id: randomUUID(),
      schoolId,
      ownerKind: owner.kind,
      userId: owner.kind === "instructor" ? owner.userId : null,
      traineeId: owner.kind === "trainee" ? owner.traineeId : null,
      tokenHash: hash,
      createdBy: actorUserId,
    },
    select: { createdAt: true },
  });
  await audit(tx, meta, {
    action: "calendar.feed_created",
    schoolId,
    actorUserId,
    details: { owner: owner.kind, ...ownerDetails(owner) },
  });
  return { ...feedUrls(token), createdAt: row.createdAt };
}

/** The owner turns their own feed off. */
export async function revokeFeed(tx: Tx, schoolId: string, owner: FeedOwner, actorUserId: string, meta: RequestMeta) {
  if (!(await revokeLive(tx, schoolId, owner, actorUserId, meta, "revoked")))
    throw new AppError("NOT_FOUND", "notFound");
  return { ok: true as const };
}

/** The office's list: instructors with a live feed, when it was made and last fetched. */
export async function instructorFeeds(tx: Tx) {
  const feeds = await tx.calendarFeed.findMany({
    where: { ownerKind: "instructor", revokedAt: null },
    orderBy: { createdAt: "asc" },
    take: 500,
    select: { userId: true, createdAt: true, lastFetchedAt: true },
  });
  const ids = feeds.map((f) => f.userId!);
  const users = await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, fullName: true } });
  const name = new Map(users.map((u) => [u.id, u.fullName]));
  return feeds.map((f) => ({
    userId: f.userId!,
    fullName: name.get(f.userId!) ?? "",
    createdAt: f.createdAt,
    lastFetchedAt: f.lastFetchedAt,
  }));
}

/** The office revokes an instructor's feed (they left, lost their phone). */
export async function revokeInstructorFeed(
  tx: Tx,
  schoolId: string,
  actorUserId: string,
  input: z.infer<typeof instructorFeedInput>,
  meta: RequestMeta,
) {
  return revokeFeed(tx, schoolId, { kind: "instructor", userId: input.userId }, actorUserId, meta);
}

/** A member leaves the school: their feed stops at once (the feed also checks membership on every fetch). */
export async function revokeOnRemoval(
  tx: Tx,
  schoolId: string,
  userId: string,
  actorUserId: string,
  meta: RequestMeta,
) {
  await revokeLive(tx, schoolId, { kind: "instructor", userId }, actorUserId, meta, "member_removed");
}
