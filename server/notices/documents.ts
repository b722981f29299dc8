// The school's cabinet of documents (offer 10.8): the list with delivery and first-read times, the offer
// versions announced, the director's disagreements, and one document's file with its reading recorded.
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import type { SchoolCtx } from "../trpc.ts";
import { documentRowSelect, recordReading } from "../documents/cabinet.ts";
import type { FileDownload } from "../../domain/files.ts";

type Actor = { id: string };

/** Every document of the cabinet, newest first, with when it was delivered and when this user first opened it. */
export async function cabinetDocuments(tx: Tx, school: SchoolCtx, actor: Actor) {
  const [docs, mine, offers, disagreements] = await Promise.all([
    tx.schoolDocument.findMany({
      orderBy: { deliveredAt: "desc" },
      take: 500,
      select: { ...documentRowSelect, deliveredAt: true, contentType: true },
    }),
    tx.documentRead.findMany({ where: { userId: actor.id }, select: { documentId: true, readAt: true } }),
    tx.$queryRaw<{ id: string; version: number; effective_from: Date }[]>`
      SELECT v.id, v.version, v.effective_from FROM offer_version v JOIN notice n ON n.offer_version_id = v.id AND n.kind = 'offer_change'
      ORDER BY v.version DESC LIMIT 5`,
    // Each disagreement with the version it disagrees with: that version's number and effective date.
    school.roles.includes("director")
      ? tx.$queryRaw<
          {
            id: string;
            offer_version_id: string;
            version: number;
            effective_from: Date;
            text: string;
            created_at: Date;
            answer: string | null;
            answered_at: Date | null;
          }[]
        >`
          SELECT d.id, d.offer_version_id, v.version, v.effective_from, d.text, d.created_at, d.answer, d.answered_at
          FROM offer_disagreement d JOIN offer_version v ON v.id = d.offer_version_id
          ORDER BY d.created_at DESC LIMIT 50`
      : Promise.resolve([]),
  ]);
  const readAt = new Map(mine.map((r) => [r.documentId, r.readAt]));
  return {
    documents: docs.map((d) => ({ ...d, myReadAt: readAt.get(d.id) ?? null })),
    offers: offers.map((o) => ({ id: o.id, version: o.version, effectiveFrom: o.effective_from })),
    disagreements: disagreements.map((d) => ({
      id: d.id,
      offerVersionId: d.offer_version_id,
      version: d.version,
      effectiveFrom: d.effective_from,
      text: d.text,
      createdAt: d.created_at,
      answer: d.answer,
      answeredAt: d.answered_at,
    })),
  };
}

/** One document's file (an act, an answer to a claim, …); its first opening by this user is recorded (10.8). */
export async function openDocument(
  tx: Tx,
  school: SchoolCtx,
  actor: Actor,
  input: { id: string },
): Promise<FileDownload> {
  const doc = await tx.schoolDocument.findUnique({ where: { id: input.id } });
  if (!doc) throw new AppError("NOT_FOUND", "notFound");
  await recordReading(tx, doc.id, school.id, actor.id);
  return {
    fileName: doc.fileName,
    contentType: doc.contentType,
    base64: Buffer.from(doc.content).toString("base64"),
  };
}
