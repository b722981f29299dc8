// A school's tuition as a Kaspi payee (docs/decisions/042-tuition-instalments.md): /pay/kaspi/school-<slug>. The
// payer enters the trainee's contract number (any case) or 12-digit IIN — within that school only. `check` answers
// what is due now (the overdue amount plus the next instalment); `pay` must bring exactly that and is recorded
// as a trainee_payment with method kaspi and the txn_id as its reference, through the rail-neutral biller (once
// per txn_id, under the trainee's row lock), as the invoice payee does for the operator's invoices.
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";
import { audit } from "../audit/log.ts";
import { dbDay } from "../../domain/kz/time.ts";
import { tuitionOf } from "../training/instalments.ts";
import type { Found, PayeeLedger, Rail } from "../billing/rails/rail.ts";
import { kaspiTuitionWords } from "../billing/rails/kaspi.ts";

/** The payee name of a school's tuition: `school-<slug>`. */
export const SCHOOL_PAYEE_PREFIX = "school-";

/** The school's slug a payee name stands for, or null when it names no school's tuition. */
export function schoolSlugOf(payee: string): string | null {
  if (!payee.startsWith(SCHOOL_PAYEE_PREFIX)) return null;
  const slug = payee.slice(SCHOOL_PAYEE_PREFIX.length);
  return /^[a-z0-9][a-z0-9-]{0,62}$/.test(slug) ? slug : null;
}

const RAIL_META = { ip: null, userAgent: "kaspi" };

/** The ledger of one school's trainees' tuition. */
export function schoolTuition(schoolId: string): PayeeLedger {
  return {
    async find(tx, raw, { lock }): Promise<Found> {
      const typed = raw.trim().replace(/\s+/g, " ");
      const digits = typed.replace(/\s/g, "");
      if (typed === "" || typed.length > 64) return { ok: false, decision: { verdict: "unknownAccount" } };
      const where = /^\d{12}$/.test(digits)
        ? { schoolId, iin: digits }
        : { schoolId, contractNumber: { equals: typed, mode: "insensitive" as const } };
      const trainee = await tx.trainee.findFirst({
        where,
        select: { id: true, contractNumber: true, iin: true },
      });
      if (!trainee) return { ok: false, decision: { verdict: "unknownAccount" } };
      // Under the trainee's row lock the price is read again (an office payment takes the same lock).
      const rows = lock
        ? await tx.$queryRaw<{ contract_price_tiyn: bigint }[]>`
            SELECT contract_price_tiyn FROM trainee WHERE id = ${trainee.id}::uuid FOR UPDATE`
        : await tx.$queryRaw<{ contract_price_tiyn: bigint }[]>`
            SELECT contract_price_tiyn FROM trainee WHERE id = ${trainee.id}::uuid`;
      const price = rows[0]?.contract_price_tiyn ?? 0n;
      const label = trainee.contractNumber ?? trainee.iin;
      const standing = await tuitionOf(tx, { id: trainee.id, contractPriceTiyn: price });
      if (standing.balanceTiyn <= 0) return { ok: false, decision: { verdict: "alreadyPaid", label } };
      if (standing.dueNowTiyn <= 0) return { ok: false, decision: { verdict: "nothingDue", label } };
      return {
        ok: true,
        debt: { invoiceId: null, traineeId: trainee.id, label, schoolId, owedTiyn: standing.dueNowTiyn },
      };
    },

    async settle(tx: Tx, debt, receipt) {
      if (!debt.traineeId) throw new Error("the tuition payee settles trainees' tuition only");
      const id = randomUUID();
      await tx.traineePayment.create({
        data: {
          id,
          schoolId: debt.schoolId,
          traineeId: debt.traineeId,
          amountTiyn: receipt.amountTiyn,
          paidOn: dbDay(receipt.receivedOn),
          note: receipt.note,
          method: receipt.rail,
          externalRef: receipt.txnId,
          createdBy: null,
        },
        select: { id: true },
      });
      await tx.trainee.update({
        where: { id: debt.traineeId },
        data: { paidTiyn: { increment: receipt.amountTiyn } },
        select: { id: true },
      });
      await audit(tx, RAIL_META, {
        action: "trainee.payment_added",
        schoolId: debt.schoolId,
        actorUserId: null,
        details: {
          traineeId: debt.traineeId,
          amountTiyn: receipt.amountTiyn,
          method: receipt.rail,
          txnId: receipt.txnId,
        },
      });
      return { paymentId: null, traineePaymentId: id };
    },
  };
}

/** The rail of a school's tuition payee, or null when the payee names no school that takes tuition through Kaspi. */
export async function schoolTuitionRail(
  tx: Pick<Tx, "school">,
  payee: string,
): Promise<{ rail: Rail; schoolId: string } | null> {
  const slug = schoolSlugOf(payee);
  if (!slug) return null;
  const school = await tx.school.findUnique({ where: { slug }, select: { id: true } });
  if (!school) return null;
  return {
    schoolId: school.id,
    rail: { id: "kaspi", payee, ledger: schoolTuition(school.id), words: kaspiTuitionWords },
  };
}
