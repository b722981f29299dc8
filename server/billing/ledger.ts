// The billing ledger: document numbers, invoices, payments, acts and access transitions. Every function
// here runs inside a transaction of the operator role (the ledger is the operator's; a school reads its
// own part through RLS), takes the school's row lock first, and writes its e-mails to the outbox in the
// same transaction — so a state change and its notice commit together or not at all.
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";
import type { Prisma, TariffVersion } from "../db/generated/prisma/client.ts";
import type { PaymentMethod, SchoolStatus } from "../db/generated/prisma/enums.ts";
import { AppError } from "../errors.ts";
import { currentOffer } from "../offer/service.ts";
import { addDays, almatyDate, dbDay, isoDay } from "../../domain/kz/time.ts";
import type { Party, Requisites } from "./documents.ts";
import { addCredit, creditBalance, invoiceReceived, paymentCredit } from "./credit.ts";
import { billingSettings, operatorRequisites } from "./settings.ts";
import { suspensionOf } from "../schools/suspension.ts";
import {
  daysBetween,
  dueDate,
  escalation,
  nextPeriod,
  overdueStatus,
  RANK,
  settledStatus,
  type AccessStatus,
  type BillingSettings,
} from "./rules.ts";
import {
  ACCESS_TEMPLATE,
  directorNotice,
  directorNoticeFrom,
  factsOf,
  type Director,
  notifyDirectors,
  notifyOperator,
  type Notice,
} from "./notices.ts";

/**
 * Invoice numbers come from a sequence (unique and increasing; many schools are invoiced at once). Act and
 * credit note numbers are gapless per year: the counter row stays locked until the transaction ends.
 */
export async function nextNumber(tx: Tx, kind: "invoice" | "act" | "credit_note", year: number): Promise<string> {
  if (kind === "invoice") {
    const [row] = await tx.$queryRaw<{ n: bigint }[]>`SELECT nextval('invoice_number_seq') AS n`;
    return `AM-${year}-${String(row!.n).padStart(5, "0")}`;
  }
  const [row] = await tx.$queryRaw<{ last: number }[]>`
    INSERT INTO doc_counter (kind, year, last) VALUES (${kind}, ${year}, 1)
    ON CONFLICT (kind, year) DO UPDATE SET last = doc_counter.last + 1 RETURNING last`;
  return `${kind === "act" ? "AVR" : "KN"}-${year}-${String(row!.last).padStart(5, "0")}`;
}

/** Serialises all billing work on one school. Returns its state, or null when the school is gone. */
export async function lockSchool(tx: Tx, schoolId: string) {
  const [row] = await tx.$queryRaw<{ status: SchoolStatus; paid_through: Date | null; plan_id: string | null }[]>`
    SELECT s.status, sub.paid_through, sub.plan_id FROM school s LEFT JOIN subscription sub ON sub.school_id = s.id
    WHERE s.id = ${schoolId}::uuid FOR UPDATE OF s`;
  return row ?? null;
}

export type OpenInvoice = {
  id: string;
  number: string;
  dueOn: string;
  issuedOn: string;
  amountTiyn: number;
  creditTiyn: number;
  /** whether any payment stands on it (what is left to pay is then read from the payments) */
  hasPayments: boolean;
  reminders: number[];
  /** the access ladder's steps already taken for it (cause overdue) */
  ladder: SchoolStatus[];
};

/**
 * Everything a day's billing needs about each of a batch of schools, read in ONE query under the schools' row
 * locks (taken in the order of their ids, so two batches never wait on each other in a cycle): state,
 * subscription, open invoices with the reminders they had and the ladder steps taken for them, whether the next
 * period is invoiced, and the directors — the daily run touches 10,000 schools, round trips are what it costs.
 * A school that is gone is absent.
 */
export async function loadSchoolsBilling(tx: Tx, schoolIds: readonly string[]) {
  if (schoolIds.length === 0) return [];
  const rows = await tx.$queryRaw<
    {
      id: string;
      status: SchoolStatus;
      name: string;
      slug: string;
      bin_iin: string;
      address: string | null;
      director_name: string;
      paid_through: Date | null;
      plan_id: string | null;
      next_issued: boolean;
      pending: { id: string; to_plan_id: string; effective_on: string } | null;
      open: {
        id: string;
        number: string;
        due_on: string;
        issued_on: string;
        amount: number;
        credit: number;
        has_payments: boolean;
        reminders: number[];
        ladder: SchoolStatus[];
      }[];
      directors: { id: string; email: string; full_name: string; locale: "kk" | "ru" }[];
    }[]
  >`
    SELECT s.id::text AS id, s.status, s.name, s.slug, s.bin_iin, s.address, s.director_name, sub.paid_through, sub.plan_id,
      EXISTS (SELECT 1 FROM invoice i WHERE i.school_id = s.id AND i.period_start = sub.paid_through + 1 AND i.status <> 'void' AND i.plan_change_id IS NULL) AS next_issued,
      (SELECT json_build_object('id', pc.id, 'to_plan_id', pc.to_plan_id, 'effective_on', pc.effective_on) FROM plan_change pc
        WHERE pc.school_id = s.id AND pc.applied_at IS NULL AND pc.cancelled_at IS NULL) AS pending,
      coalesce((SELECT json_agg(json_build_object('id', i.id, 'number', i.number, 'due_on', i.due_on, 'issued_on', i.issued_on, 'amount', i.amount_tiyn,
                  'credit', i.credit_tiyn, 'has_payments', EXISTS (SELECT 1 FROM payment p WHERE p.invoice_id = i.id),
                  'reminders', (SELECT coalesce(json_agg(r.offset_days), '[]') FROM billing_reminder r WHERE r.invoice_id = i.id),
                  'ladder', (SELECT coalesce(json_agg(t.to_status), '[]') FROM access_transition t WHERE t.invoice_id = i.id AND t.cause = 'overdue')) ORDER BY i.due_on)
                FROM invoice i WHERE i.school_id = s.id AND i.status = 'open'), '[]') AS open,
      coalesce((SELECT json_agg(json_build_object('id', u.id, 'email', u.email, 'full_name', u.full_name, 'locale', u.locale))
                FROM membership m JOIN app_user u ON u.id = m.user_id
                WHERE m.school_id = s.id AND m.role = 'director' AND u.deactivated_at IS NULL), '[]') AS directors
    FROM school s LEFT JOIN subscription sub ON sub.school_id = s.id
    WHERE s.id = ANY(${schoolIds as string[]}::uuid[]) ORDER BY s.id FOR UPDATE OF s`;
  return rows.map((row) => {
    const facts = factsOf({ name: row.name, slug: row.slug, binIin: row.bin_iin });
    const directors: Director[] = row.directors.map((d) => ({
      id: d.id,
      email: d.email,
      fullName: d.full_name,
      locale: d.locale,
    }));
    return {
      schoolId: row.id,
      status: row.status,
      facts,
      paidThrough: row.paid_through ? isoDay(row.paid_through) : null,
      planId: row.plan_id,
      nextIssued: row.next_issued,
      pending: row.pending
        ? { id: row.pending.id, toPlanId: row.pending.to_plan_id, effectiveOn: row.pending.effective_on }
        : null,
      party: { name: row.name, binIin: row.bin_iin, address: row.address } as Party,
      open: row.open.map(
        (i): OpenInvoice => ({
          id: i.id,
          number: i.number,
          dueOn: i.due_on,
          issuedOn: i.issued_on,
          amountTiyn: Number(i.amount),
          creditTiyn: Number(i.credit),
          hasPayments: i.has_payments,
          reminders: i.reminders,
          ladder: i.ladder,
        }),
      ),
      directors,
      notice: directorNoticeFrom(tx, facts, directors),
    };
  });
}

/** loadSchoolBilling for one school (null when it is gone). */
export async function loadSchoolBilling(tx: Tx, schoolId: string) {
  return (await loadSchoolsBilling(tx, [schoolId]))[0] ?? null;
}
export type SchoolBilling = NonNullable<Awaited<ReturnType<typeof loadSchoolBilling>>>;

/** The tariff version in force on a date: the latest published one effective by then (else the first). */
export async function versionAt(tx: Pick<Tx, "tariffVersion">, planId: string, on: string) {
  return (
    (await tx.tariffVersion.findFirst({
      where: { planId, effectiveFrom: { lte: dbDay(on) } },
      orderBy: { effectiveFrom: "desc" },
    })) ?? (await tx.tariffVersion.findFirstOrThrow({ where: { planId }, orderBy: { effectiveFrom: "asc" } }))
  );
}

/** What every invoice of a run shares: the offer in force, the operator's requisites, the tariff versions. */
export type RunFacts = {
  offer: { version: number; effectiveFrom: Date } | null;
  supplier: Requisites;
  versions: TariffVersion[];
};
export async function runFacts(
  db: Pick<Tx, "offerVersion" | "platformSetting" | "tariffVersion">,
  settings: BillingSettings,
): Promise<RunFacts> {
  return {
    offer: await currentOffer(db),
    supplier: await operatorRequisites(db, settings),
    versions: await db.tariffVersion.findMany({ orderBy: { effectiveFrom: "asc" } }),
  };
}

function versionFrom(versions: TariffVersion[], planId: string, on: string): TariffVersion | undefined {
  const mine = versions.filter((v) => v.planId === planId);
  return [...mine].reverse().find((v) => isoDay(v.effectiveFrom) <= on) ?? mine[0];
}

type SchoolForDocs = { name: string; binIin: string; address: string | null; directorName: string };

function party(s: SchoolForDocs): Party {
  return { name: s.name, binIin: s.binIin, address: s.address };
}

/**
 * Issues the invoice for the period after the school's paid-through date, unless one exists (the unique
 * key on school and period start makes a second one impossible anyway). The price is the tariff version
 * in force on the period's first day, so a published price change applies from its effective date.
 */
export async function issueNextInvoice(
  tx: Tx,
  schoolId: string,
  today: string,
  settings: BillingSettings,
  run?: RunFacts,
  loaded?: SchoolBilling,
) {
  let paidThrough: string, planId: string, buyer: Party, notice: Notice;
  if (loaded?.paidThrough && loaded.planId && !loaded.nextIssued) {
    ({
      paidThrough,
      planId,
      party: buyer,
      notice,
    } = { ...loaded, paidThrough: loaded.paidThrough, planId: loaded.planId });
  } else {
    const sub = await tx.subscription.findUniqueOrThrow({ where: { schoolId } });
    paidThrough = isoDay(sub.paidThrough);
    planId = sub.planId;
    const existing = await tx.invoice.findFirst({
      where: { schoolId, periodStart: dbDay(addDays(paidThrough, 1)), status: { not: "void" }, planChangeId: null },
      select: { id: true, number: true },
    });
    if (existing) return { ...existing, created: false };
    buyer = party(
      await tx.school.findUniqueOrThrow({
        where: { id: schoolId },
        select: { name: true, binIin: true, address: true, directorName: true },
      }),
    );
    notice = await directorNotice(tx, schoolId);
  }
  const firstDay = addDays(paidThrough, 1);
  // A downgrade waiting for this period prices it (plan-change.ts, ADR 043).
  const pending = loaded ? loaded.pending : await pendingChange(tx, schoolId);
  if (pending && pending.effectiveOn <= firstDay) planId = pending.toPlanId;
  const version = (run && versionFrom(run.versions, planId, firstDay)) ?? (await versionAt(tx, planId, firstDay));
  const period = nextPeriod(paidThrough, version.period);
  return createInvoice(tx, {
    schoolId,
    planId,
    tariffVersionId: version.id,
    period,
    amountTiyn: Number(version.priceTiyn),
    // Due on the period's first day — or, for an invoice issued late (pay-ahead aside: a school back
    // from suspension, a changed plan), no sooner than the usual notice after issue.
    dueOn: dueDate(period.start, today, settings),
    today,
    settings,
    run,
    buyer,
    notice,
  });
}

/** The plan change a school has waiting (a downgrade from its next unpaid period), if any. */
export async function pendingChange(tx: Tx, schoolId: string) {
  const row = await tx.planChange.findFirst({
    where: { schoolId, appliedAt: null, cancelledAt: null },
    select: { id: true, toPlanId: true, effectiveOn: true },
  });
  return row ? { id: row.id, toPlanId: row.toPlanId, effectiveOn: isoDay(row.effectiveOn) } : null;
}

/**
 * An upgrade's invoice (ADR 043): the difference between the plans for the days from the change to the end of
 * what is invoiced, issued today and due after the usual notice; one per change (a unique key).
 */
export async function issueChangeInvoice(
  tx: Tx,
  input: {
    schoolId: string;
    planChangeId: string;
    planId: string;
    period: { start: string; end: string };
    amountTiyn: number;
    today: string;
  },
) {
  const settings = await billingSettings(tx);
  const version = await versionAt(tx, input.planId, input.today);
  const school = await tx.school.findUniqueOrThrow({
    where: { id: input.schoolId },
    select: { name: true, binIin: true, address: true, directorName: true },
  });
  return createInvoice(tx, {
    schoolId: input.schoolId,
    planId: input.planId,
    tariffVersionId: version.id,
    period: input.period,
    amountTiyn: input.amountTiyn,
    dueOn: dueDate(input.today, input.today, settings),
    today: input.today,
    settings,
    buyer: party(school),
    notice: await directorNotice(tx, input.schoolId),
    planChangeId: input.planChangeId,
  });
}

async function createInvoice(
  tx: Tx,
  d: {
    schoolId: string;
    planId: string;
    tariffVersionId: string;
    period: { start: string; end: string };
    amountTiyn: number;
    dueOn: string;
    today: string;
    settings: BillingSettings;
    run?: RunFacts;
    buyer: Party;
    notice: Notice;
    planChangeId?: string;
  },
) {
  const { offer, supplier } = d.run ?? (await runFacts(tx, d.settings));
  const number = await nextNumber(tx, "invoice", Number(d.today.slice(0, 4)));
  const invoice = await tx.invoice.create({
    data: {
      id: randomUUID(),
      schoolId: d.schoolId,
      number,
      planId: d.planId,
      tariffVersionId: d.tariffVersionId,
      periodStart: dbDay(d.period.start),
      periodEnd: dbDay(d.period.end),
      amountTiyn: d.amountTiyn,
      vatRateBp: d.settings.vatRateBp,
      issuedOn: dbDay(d.today),
      dueOn: dbDay(d.dueOn),
      planChangeId: d.planChangeId ?? null,
      supplier: supplier as unknown as Prisma.InputJsonValue,
      buyer: d.buyer as unknown as Prisma.InputJsonValue,
      offer: { version: offer?.version ?? 1, date: offer ? almatyDate(offer.effectiveFrom) : d.today },
    },
    select: { id: true, number: true, amountTiyn: true, dueOn: true, periodStart: true, periodEnd: true },
  });
  const credit = await applyCreditBalance(tx, d.schoolId, invoice.id, Number(invoice.amountTiyn));
  await d.notice(`invoice-${invoice.id}`, "invoiceIssued", {
    number: invoice.number,
    amount: Number(invoice.amountTiyn) - credit,
    due: isoDay(invoice.dueOn),
    from: d.period.start,
    to: d.period.end,
  });
  return { id: invoice.id, number: invoice.number, created: true };
}

/**
 * The school's credit balance taken off a newly issued invoice (a line of its own on the invoice), once per
 * invoice by the entry's key; an invoice the credit covers whole is paid at once. Returns the credit taken.
 */
async function applyCreditBalance(tx: Tx, schoolId: string, invoiceId: string, amountTiyn: number): Promise<number> {
  const take = Math.min(await creditBalance(tx, schoolId), amountTiyn);
  if (take <= 0) return 0;
  if (!(await addCredit(tx, { key: `applied:${invoiceId}`, schoolId, kind: "applied", amountTiyn: -take, invoiceId })))
    return 0;
  await tx.invoice.update({ where: { id: invoiceId }, data: { creditTiyn: take } });
  if (take === amountTiyn) await settlePaid(tx, invoiceId, schoolId, null);
  return take;
}

/** Records a step of the access ladder and e-mails it. False when this step was already taken for the invoice. */
async function transition(
  tx: Tx,
  schoolId: string,
  from: AccessStatus | SchoolStatus,
  to: AccessStatus,
  cause:
    | { kind: "overdue"; invoiceId: string }
    | { kind: "payment" | "refund"; paymentId: string }
    | { kind: "operator"; actorUserId: string; reason: string },
): Promise<string> {
  const id = randomUUID();
  await tx.accessTransition.create({
    data: {
      id,
      schoolId,
      fromStatus: from as SchoolStatus,
      toStatus: to,
      cause: cause.kind,
      invoiceId: cause.kind === "overdue" ? cause.invoiceId : null,
      paymentId: cause.kind === "payment" || cause.kind === "refund" ? cause.paymentId : null,
      actorUserId: cause.kind === "operator" ? cause.actorUserId : null,
      reason: cause.kind === "operator" ? cause.reason : null,
    },
  });
  return id;
}

/** The overdue state of the school's oldest unpaid invoice on `today` (null when nothing is overdue). */
async function overdueTarget(tx: Tx, schoolId: string, today: string, settings: BillingSettings) {
  const oldest = await tx.invoice.findFirst({
    where: { schoolId, status: "open", dueOn: { lt: dbDay(today) } },
    orderBy: { dueOn: "asc" },
    select: { id: true, dueOn: true, number: true },
  });
  if (!oldest) return null;
  const status = overdueStatus(daysBetween(isoDay(oldest.dueOn), today), settings);
  return status ? { invoice: oldest, status } : null;
}

export function overdueFrom(open: OpenInvoice[], today: string, settings: BillingSettings) {
  const oldest = open.filter((i) => i.dueOn < today).sort((a, b) => (a.dueOn < b.dueOn ? -1 : 1))[0];
  if (!oldest) return null;
  const status = overdueStatus(daysBetween(oldest.dueOn, today), settings);
  return status ? { invoice: { id: oldest.id, number: oldest.number, dueOn: dbDay(oldest.dueOn) }, status } : null;
}

/** The ladder's steps up from `current` to `target` not yet taken for the invoice, each from where the last one left. */
export function ladderSteps(
  current: SchoolStatus,
  target: AccessStatus,
  taken: readonly SchoolStatus[],
): { from: SchoolStatus; to: AccessStatus }[] {
  const steps: { from: SchoolStatus; to: AccessStatus }[] = [];
  let from = current;
  for (const to of escalation(current as AccessStatus, target)) {
    if (taken.includes(to)) continue;
    steps.push({ from, to });
    from = to;
  }
  return steps;
}

/**
 * Moves the school up the ladder for its oldest overdue invoice, one recorded step per invoice and state
 * (a step the operator has already undone by hand is not taken again). E-mails the director and the
 * operator about the step it ends on.
 */
export async function escalate(
  tx: Tx,
  schoolId: string,
  current: SchoolStatus,
  today: string,
  settings: BillingSettings,
  loaded?: SchoolBilling,
) {
  if (current === "deactivated") return current;
  const target = loaded
    ? overdueFrom(loaded.open, today, settings)
    : await overdueTarget(tx, schoolId, today, settings);
  if (!target || RANK[target.status] <= RANK[current as AccessStatus]) return current;
  // the steps taken for the invoice were read with the school, under its lock, when it was loaded
  const taken = loaded
    ? (loaded.open.find((i) => i.id === target.invoice.id)?.ladder ?? [])
    : (
        await tx.accessTransition.findMany({
          where: { invoiceId: target.invoice.id, cause: "overdue" },
          select: { toStatus: true },
        })
      ).map((t) => t.toStatus);
  const plan = escalationPlan(current, target, taken, schoolId);
  if (!plan) return current;
  for (const step of plan.steps)
    await transition(tx, schoolId, step.from, step.to, { kind: "overdue", invoiceId: target.invoice.id });
  await tx.school.update({ where: { id: schoolId }, data: { status: plan.status } });
  const { director, operator } = plan.notices;
  if (loaded) await loaded.notice(director.jobId, director.template, director.params);
  else await notifyDirectors(tx, schoolId, director.jobId, director.template, director.params);
  await notifyOperator(tx, operator.jobId, operator.template, operator.params, { facts: loaded?.facts, settings });
  return plan.status;
}

/**
 * What moving up the ladder to `target` means for the school: the steps not yet taken for the invoice, the state it
 * ends on, and the two e-mails about that state (the directors', the operator's). Null when there is no step left.
 */
export function escalationPlan(
  current: SchoolStatus,
  target: { invoice: { id: string; number: string; dueOn: Date }; status: AccessStatus },
  taken: readonly SchoolStatus[],
  schoolId: string,
) {
  const steps = ladderSteps(current, target.status, taken);
  const last = steps.at(-1);
  if (!last) return null;
  const status = last.to;
  const params = { status, number: target.invoice.number, due: isoDay(target.invoice.dueOn) };
  const jobId = `access-${target.invoice.id}-${status}`;
  return {
    steps,
    status,
    notices: {
      director: { jobId, template: ACCESS_TEMPLATE[status], params },
      operator: {
        jobId: `${jobId}-operator`,
        template: "operatorAccessChanged" as const,
        params: { ...params, schoolId },
      },
    },
  };
}

/** paid_through = the later of the trial's last day and the last paid period's end. */
async function recomputePaidThrough(tx: Tx, schoolId: string): Promise<string> {
  const [school, lastPaid] = await Promise.all([
    tx.school.findUniqueOrThrow({ where: { id: schoolId }, select: { trialEndsAt: true, createdAt: true } }),
    tx.invoice.findFirst({
      where: { schoolId, status: "paid", planChangeId: null },
      orderBy: { periodEnd: "desc" },
      select: { periodEnd: true },
    }),
  ]);
  const trialEnd = almatyDate(school.trialEndsAt ?? school.createdAt);
  const paidThrough = lastPaid && isoDay(lastPaid.periodEnd) > trialEnd ? isoDay(lastPaid.periodEnd) : trialEnd;
  await tx.subscription.update({ where: { schoolId }, data: { paidThrough: dbDay(paidThrough) } });
  return paidThrough;
}

export type PaymentInput = {
  invoiceId: string;
  method: PaymentMethod;
  externalRef: string;
  amountTiyn: number;
  receivedOn: string;
  payerName?: string | null;
  payerBin?: string | null;
  note?: string | null;
  statementId?: string | null;
  recordedBy?: string | null;
};
export type PaymentOutcome = {
  outcome: "paid" | "partial" | "overpaid" | "duplicate";
  paymentId: string | null;
  restoredTo: SchoolStatus | null;
};

/**
 * Applies money received against an invoice, once per source reference. When the invoice is covered it
 * is marked paid, the access period extends to its end, and the school's access is restored at once from
 * whatever state non-payment had put it in. The period's acts of completed work follow month by month, for the
 * days served (acts.ts, ADR 041).
 */
export async function applyPayment(tx: Tx, input: PaymentInput): Promise<PaymentOutcome> {
  const invoice = await tx.invoice.findUnique({ where: { id: input.invoiceId } });
  if (!invoice) throw new AppError("NOT_FOUND", "notFound");
  const school = await lockSchool(tx, invoice.schoolId);
  if (!school) throw new AppError("NOT_FOUND", "notFound");
  const seen = await tx.payment.findUnique({
    where: { method_externalRef: { method: input.method, externalRef: input.externalRef } },
    select: { id: true },
  });
  if (seen) return { outcome: "duplicate", paymentId: seen.id, restoredTo: null };

  const paymentId = randomUUID();
  await tx.payment.create({
    data: {
      id: paymentId,
      schoolId: invoice.schoolId,
      invoiceId: invoice.id,
      method: input.method,
      externalRef: input.externalRef,
      amountTiyn: input.amountTiyn,
      receivedOn: dbDay(input.receivedOn),
      payerName: input.payerName ?? null,
      payerBin: input.payerBin ?? null,
      note: input.note ?? null,
      statementId: input.statementId ?? null,
      recordedBy: input.recordedBy ?? null,
    },
  });
  if (invoice.status !== "open") {
    // Money for an invoice already paid or voided is the school's credit, taken off its next invoice.
    await addCredit(tx, {
      key: `overpayment:${paymentId}`,
      schoolId: invoice.schoolId,
      kind: "overpayment",
      amountTiyn: input.amountTiyn,
      invoiceId: invoice.id,
      paymentId,
    });
    await notifyOperator(tx, `overpaid-${paymentId}`, "operatorOverpaid", {
      number: invoice.number,
      amount: input.amountTiyn,
      schoolId: invoice.schoolId,
    });
    return { outcome: "overpaid", paymentId, restoredTo: null };
  }
  const due = Number(invoice.amountTiyn) - Number(invoice.creditTiyn);
  const received = await invoiceReceived(tx, invoice.id);
  if (received < due) {
    await notifyDirectors(tx, invoice.schoolId, `partial-${paymentId}`, "paymentPartial", {
      number: invoice.number,
      amount: input.amountTiyn,
      left: due - received,
    });
    return { outcome: "partial", paymentId, restoredTo: null };
  }
  // Paid more than was left to pay: the excess is the school's credit.
  await addCredit(tx, {
    key: `overpayment:${paymentId}`,
    schoolId: invoice.schoolId,
    kind: "overpayment",
    amountTiyn: Math.min(received - due, input.amountTiyn),
    invoiceId: invoice.id,
    paymentId,
  });

  const { paidThrough, restoredTo } = await settlePaid(tx, invoice.id, invoice.schoolId, {
    kind: "payment",
    paymentId,
  });
  await notifyDirectors(tx, invoice.schoolId, `paid-${paymentId}`, "paymentReceived", {
    number: invoice.number,
    amount: Number(invoice.amountTiyn),
    paidThrough,
  });
  return { outcome: "paid", paymentId, restoredTo };
}

/**
 * An invoice covered (by payments, credit or both): marked paid, the access period extends to its end (its acts
 * follow month by month, acts.ts), and the school's access is restored at once from whatever state non-payment had put it in — a step
 * caused by the payment or the operator's credit note (none for a credit taken off a new invoice: nothing was
 * owed yet). A suspension by the operator's hand stays: only the operator lifts it.
 */
export async function settlePaid(
  tx: Tx,
  invoiceId: string,
  schoolId: string,
  cause: { kind: "payment"; paymentId: string } | { kind: "operator"; actorUserId: string; reason: string } | null,
): Promise<{ paidThrough: string; restoredTo: SchoolStatus | null }> {
  const school = await lockSchool(tx, schoolId);
  const invoice = await tx.invoice.update({
    where: { id: invoiceId },
    data: { status: "paid", paidAt: new Date() },
    select: { number: true },
  });
  const paidThrough = await recomputePaidThrough(tx, schoolId);

  let restoredTo: SchoolStatus | null = null;
  // A suspension by the operator's hand (contract 4.2.6, ADR 039) is lifted only by the operator: the payment
  // settles the invoice, the school stays suspended, and the operator is told it paid.
  if (cause && school?.status === "suspended" && (await suspensionOf(tx, schoolId))?.byOperator) {
    await notifyOperator(
      tx,
      `paid-suspended-${cause.kind === "payment" ? cause.paymentId : invoiceId}-operator`,
      "operatorPaidWhileSuspended",
      { schoolId, number: invoice.number },
    );
  } else if (cause && school && school.status !== "deactivated") {
    const today = almatyDate(new Date());
    const settings = await billingSettings(tx);
    const still = await overdueTarget(tx, schoolId, today, settings);
    const next: AccessStatus = still?.status ?? settledStatus(true);
    if (RANK[next] < RANK[school.status as AccessStatus] || (school.status === "trial" && next === "active")) {
      const stepId = await transition(tx, schoolId, school.status, next, cause);
      await tx.school.update({ where: { id: schoolId }, data: { status: next } });
      restoredTo = next;
      if (RANK[school.status as AccessStatus] > 0) {
        await notifyOperator(
          tx,
          `restored-${cause.kind === "payment" ? cause.paymentId : stepId}-operator`,
          "operatorRestored",
          { schoolId, number: invoice.number, status: next },
        );
      }
    }
  }
  return { paidThrough, restoredTo };
}

/**
 * The one line of an invoice or act: access to the system under the tariff, for the period — or, for an upgrade's
 * invoice (ADR 043), the difference for moving from one tariff to another for those days.
 */
export function invoiceLine(
  inv: {
    periodStart: Date;
    periodEnd: Date;
    amountTiyn: bigint;
    plan: { nameKk: string; nameRu: string };
    upgradeFrom?: { nameKk: string; nameRu: string } | null;
  },
  performedOn?: string,
) {
  const from = isoDay(inv.periodStart).split("-").reverse().join(".");
  const to = isoDay(inv.periodEnd).split("-").reverse().join(".");
  const up = inv.upgradeFrom;
  return {
    descriptionKk: up
      ? `Avtomektep жүйесіне қол жеткізу: «${up.nameKk}» тарифінен «${inv.plan.nameKk}» тарифіне ауысу үшін айырма, ${from}–${to}`
      : `Avtomektep жүйесіне қол жеткізу, «${inv.plan.nameKk}» тарифі, ${from}–${to}`,
    descriptionRu: up
      ? `Доступ к системе Avtomektep: разница за переход с тарифа «${up.nameRu}» на тариф «${inv.plan.nameRu}», ${from}–${to}`
      : `Доступ к системе Avtomektep, тариф «${inv.plan.nameRu}», ${from}–${to}`,
    unitKk: "қызмет",
    unitRu: "услуга",
    quantity: 1,
    priceTiyn: Number(inv.amountTiyn),
    amountTiyn: Number(inv.amountTiyn),
    ...(performedOn ? { performedOn } : {}),
  };
}

/**
 * A refund (Stripe's charge.refunded) or a chargeback: the payment keeps its record with the refunded sum.
 * A FULL refund of a payment means the money never arrived: an invoice it no longer covers is open again,
 * the access period shrinks back, and the school goes where the access ladder puts it had the invoice never
 * been paid — past due, restricted or suspended by the invoice's dates (or back on its trial when nothing is
 * overdue yet) — with the ladder's notices. A PARTIAL refund is a concession the operator granted in Stripe:
 * the invoice stays paid and access is unchanged (docs/decisions/024-auth-hardening.md). Either way the acts
 * already drawn up stay (they are immutable), no further ones follow for an invoice open again, and the operator is
 * told, to settle the documents by hand.
 */
export async function applyRefund(tx: Tx, paymentId: string, refundedTiyn: number): Promise<"refunded" | "unchanged"> {
  const payment = await tx.payment.findUniqueOrThrow({ where: { id: paymentId }, include: { invoice: true } });
  const school = await lockSchool(tx, payment.schoolId);
  const capped = Math.min(refundedTiyn, Number(payment.amountTiyn));
  if (capped <= Number(payment.refundedTiyn)) return "unchanged";
  await tx.payment.update({ where: { id: paymentId }, data: { refundedTiyn: capped, refundedAt: new Date() } });
  // Money of this payment that sits on the credit balance (its overpayment) goes back first.
  const fromCredit = Math.min(
    capped - Number(payment.refundedTiyn),
    await paymentCredit(tx, paymentId),
    await creditBalance(tx, payment.schoolId),
  );
  if (fromCredit > 0)
    await addCredit(tx, {
      key: `refund:${paymentId}:${capped}`,
      schoolId: payment.schoolId,
      kind: "refund",
      amountTiyn: -fromCredit,
      invoiceId: payment.invoiceId,
      paymentId,
    });
  const full = capped >= Number(payment.amountTiyn);
  const net = (await invoiceReceived(tx, payment.invoiceId)) + Number(payment.invoice.creditTiyn);
  if (full && payment.invoice.status === "paid" && net < Number(payment.invoice.amountTiyn)) {
    await tx.invoice.update({ where: { id: payment.invoiceId }, data: { status: "open", paidAt: null } });
    await recomputePaidThrough(tx, payment.schoolId);
    if (school && school.status !== "deactivated")
      await settleAfterRefund(tx, payment.schoolId, school.status, paymentId);
  }
  await notifyOperator(tx, `refund-${paymentId}-${capped}`, "operatorRefund", {
    number: payment.invoice.number,
    amount: capped,
    schoolId: payment.schoolId,
  });
  return "refunded";
}

/**
 * The access state after a full refund: the ladder's state for the oldest overdue invoice today, else the
 * settled state (trial until a payment, active after). Recorded as one step caused by the refund, with the
 * e-mail that step of the ladder sends (to the directors and the operator); no e-mail when nothing is overdue.
 */
async function settleAfterRefund(tx: Tx, schoolId: string, current: SchoolStatus, paymentId: string): Promise<void> {
  const today = almatyDate(new Date());
  const settings = await billingSettings(tx);
  const overdue = await overdueTarget(tx, schoolId, today, settings);
  const everPaid = (await tx.invoice.count({ where: { schoolId, status: "paid" } })) > 0;
  const next: AccessStatus = overdue?.status ?? settledStatus(everPaid);
  if (next === current) return;
  await transition(tx, schoolId, current, next, { kind: "refund", paymentId });
  await tx.school.update({ where: { id: schoolId }, data: { status: next } });
  if (!overdue) return;
  const params = { status: next, number: overdue.invoice.number, due: isoDay(overdue.invoice.dueOn) };
  const jobId = `access-refund-${paymentId}-${next}`;
  await notifyDirectors(tx, schoolId, jobId, ACCESS_TEMPLATE[next], params);
  await notifyOperator(tx, `${jobId}-operator`, "operatorAccessChanged", { ...params, schoolId }, { settings });
}

/** The operator suspends or restores a school by hand, with a reason (audited by the caller). */
export async function setAccessByOperator(
  tx: Tx,
  schoolId: string,
  to: "suspended" | "restore",
  actorUserId: string,
  reason: string,
) {
  const school = await lockSchool(tx, schoolId);
  if (!school) throw new AppError("NOT_FOUND", "notFound");
  if (school.status === "deactivated") throw new AppError("CONFLICT", "billing.deactivated");
  const everPaid = (await tx.invoice.count({ where: { schoolId, status: "paid" } })) > 0;
  const next: AccessStatus = to === "suspended" ? "suspended" : settledStatus(everPaid);
  if (next === school.status) throw new AppError("CONFLICT", "billing.alreadyInState");
  const id = await transition(tx, schoolId, school.status, next, { kind: "operator", actorUserId, reason });
  await tx.school.update({ where: { id: schoolId }, data: { status: next } });
  await notifyDirectors(
    tx,
    schoolId,
    `access-operator-${id}`,
    to === "suspended" ? "accessSuspendedByOperator" : "accessRestored",
    { reason },
  );
  return { from: school.status, to: next };
}

/**
 * The operator voids an open invoice with a reason. Nothing received may stand on it (refund that first); a
 * credit taken off it goes back to the school's balance. The period it billed is unpaid again, so the next
 * daily run issues a new invoice for it. If this invoice had moved the school down the access ladder and
 * nothing else is overdue, the school goes back where the ladder puts it, as the operator's recorded step.
 * Voiding a voided invoice changes nothing ("already").
 */
export async function voidInvoice(
  tx: Tx,
  invoiceId: string,
  actorUserId: string,
  reason: string,
): Promise<{ outcome: "voided" | "already"; number: string; schoolId: string; restoredTo: SchoolStatus | null }> {
  const found = await tx.invoice.findUnique({ where: { id: invoiceId }, select: { schoolId: true } });
  if (!found) throw new AppError("NOT_FOUND", "notFound");
  const school = await lockSchool(tx, found.schoolId);
  const invoice = await tx.invoice.findUniqueOrThrow({ where: { id: invoiceId } });
  const base = { number: invoice.number, schoolId: invoice.schoolId, restoredTo: null };
  if (invoice.status === "void") return { outcome: "already", ...base };
  if (invoice.status === "paid") throw new AppError("CONFLICT", "billing.desk.voidPaid");
  if ((await invoiceReceived(tx, invoiceId)) > 0) throw new AppError("CONFLICT", "billing.desk.voidHasPayments");
  await addCredit(tx, {
    key: `void:${invoiceId}`,
    schoolId: invoice.schoolId,
    kind: "applied",
    amountTiyn: Number(invoice.creditTiyn),
    invoiceId,
  });
  await tx.invoice.update({
    where: { id: invoiceId },
    data: { status: "void", voidedReason: reason, voidedAt: new Date(), voidedBy: actorUserId },
  });
  if (!school || school.status === "deactivated" || RANK[school.status as AccessStatus] === 0)
    return { outcome: "voided", ...base };
  const ladderStep = await tx.accessTransition.count({
    where: { invoiceId, cause: "overdue", toStatus: school.status },
  });
  if (ladderStep === 0) return { outcome: "voided", ...base };
  const overdue = await overdueTarget(tx, invoice.schoolId, almatyDate(new Date()), await billingSettings(tx));
  const everPaid = (await tx.invoice.count({ where: { schoolId: invoice.schoolId, status: "paid" } })) > 0;
  const next: AccessStatus = overdue?.status ?? settledStatus(everPaid);
  if (RANK[next] >= RANK[school.status as AccessStatus]) return { outcome: "voided", ...base };
  const id = await transition(tx, invoice.schoolId, school.status, next, { kind: "operator", actorUserId, reason });
  await tx.school.update({ where: { id: invoice.schoolId }, data: { status: next } });
  await notifyDirectors(tx, invoice.schoolId, `access-operator-${id}`, "accessRestored", { reason });
  return { outcome: "voided", ...base, restoredTo: next };
}
