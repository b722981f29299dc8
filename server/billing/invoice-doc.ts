// An invoice as its PDF, from the snapshot taken when it was issued (supplier, buyer, offer): printing
// it again next year gives the same document.
import type { Invoice, TariffPlan } from "../db/generated/prisma/client.ts";
import { PDF } from "../documents/pdf.ts";
import { invoicePdf, type Party, type Requisites } from "./documents.ts";
import { invoiceLine } from "./ledger.ts";
import type { FileDownload } from "../../domain/files.ts";
import { isoDay } from "../../domain/kz/time.ts";

export async function invoiceDocument(
  inv: Invoice & { plan: TariffPlan; planChange?: { fromPlan: TariffPlan } | null },
): Promise<FileDownload> {
  const pdf = await invoicePdf({
    number: inv.number,
    issuedOn: isoDay(inv.issuedOn),
    dueOn: isoDay(inv.dueOn),
    supplier: inv.supplier as unknown as Requisites,
    buyer: inv.buyer as unknown as Party,
    offer: inv.offer as { version: number; date: string },
    lines: [invoiceLine({ ...inv, upgradeFrom: inv.planChange?.fromPlan ?? null })],
    totalTiyn: Number(inv.amountTiyn),
    vat: inv.vatRateBp ? { rateBp: inv.vatRateBp } : null,
    periodStart: isoDay(inv.periodStart),
    periodEnd: isoDay(inv.periodEnd),
    creditTiyn: Number(inv.creditTiyn),
  });
  return { fileName: `${inv.number}.pdf`, contentType: PDF, base64: pdf.toString("base64") };
}
