import { createHash } from "node:crypto";
import type { PrismaClient } from "../db/generated/prisma/client.ts";
import type { Tx } from "../db/client.ts";

/** The hash a school accepts: both language texts, each length-prefixed so no two pairs collide. */
export function offerSha256(textKk: string, textRu: string): string {
  return createHash("sha256")
    .update(`kk:${Buffer.byteLength(textKk)}:${textKk}\nru:${Buffer.byteLength(textRu)}:${textRu}`)
    .digest("hex");
}

/** The version in force now: the newest one whose effective date has come. */
export function currentOffer(db: Pick<PrismaClient | Tx, "offerVersion">, now = new Date()) {
  return db.offerVersion.findFirst({
    where: { effectiveFrom: { lte: now } },
    orderBy: { version: "desc" },
    select: { id: true, version: true, textKk: true, textRu: true, sha256: true, effectiveFrom: true },
  });
}
