// Documents with legal force in the school's cabinet (offer 10.8): stored once with their bytes and
// SHA-256 (a trigger keeps them immutable), delivered at a recorded time, and each recipient's first
// reading kept. Acts, offer-change and maintenance notices, claims and answers all come through here.
import { createHash, randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";

export type CabinetDocumentKind =
  | "act"
  | "offer_notice"
  | "maintenance_notice"
  | "claim"
  | "claim_answer"
  | "force_majeure"
  | "credit_note";

/** The columns that list a cabinet document: what it is, its number and two titles, and when it was first read. */
export const documentRowSelect = {
  id: true,
  kind: true,
  number: true,
  titleKk: true,
  titleRu: true,
  firstReadAt: true,
} as const;

export type NewDocument = {
  schoolId: string;
  kind: CabinetDocumentKind;
  number: string;
  titleKk: string;
  titleRu: string;
  fileName: string;
  content: Buffer;
  contentType?: "application/pdf" | "text/plain; charset=utf-8";
  invoiceId?: string | null;
};

/**
 * Stores a document once per school, kind and number (operator-role transaction). A second call with the
 * same key — a retried job — returns the first one untouched.
 */
export async function storeDocument(tx: Tx, doc: NewDocument): Promise<{ id: string; created: boolean }> {
  const id = randomUUID();
  const { count } = await tx.schoolDocument.createMany({
    data: [
      {
        id,
        schoolId: doc.schoolId,
        kind: doc.kind,
        number: doc.number,
        titleKk: doc.titleKk,
        titleRu: doc.titleRu,
        fileName: doc.fileName,
        content: new Uint8Array(doc.content),
        sha256: createHash("sha256").update(doc.content).digest("hex"),
        contentType: doc.contentType ?? "application/pdf",
        invoiceId: doc.invoiceId ?? null,
      },
    ],
    skipDuplicates: true,
  });
  if (count === 1) return { id, created: true };
  const existing = await tx.schoolDocument.findUniqueOrThrow({
    where: { schoolId_kind_number: { schoolId: doc.schoolId, kind: doc.kind, number: doc.number } },
    select: { id: true },
  });
  return { id: existing.id, created: false };
}

/** Records that a user opened a document (school-scoped transaction): the first time counts, once per user. */
export async function recordReading(tx: Tx, documentId: string, schoolId: string, userId: string): Promise<void> {
  await tx.documentRead.createMany({ data: [{ documentId, userId, schoolId }], skipDuplicates: true });
  await tx.schoolDocument.updateMany({
    where: { id: documentId, firstReadAt: null },
    data: { firstReadAt: new Date(), firstReadBy: userId },
  });
}
