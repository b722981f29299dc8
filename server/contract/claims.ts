// Claims (offer 9.1, 10.7) and force-majeure notices (8.2). A claim is registered with its receipt date
// (filed from the school's cabinet, or a paper one entered by the operator); the operator reviews it within
// 7 working days and answers in writing within 10 — an answer is a document in the school's cabinet; no answer
// in time is acceptance by silence. The daily job (runClaimDeadlines) warns the operator and marks silence.
// Writes run on the operator role: claims and cabinet documents are written by the platform, read by schools.
import { randomUUID } from "node:crypto";
import { operatorDb, type Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { config } from "../config.ts";
import { logger } from "../log.ts";
import { almatyDate, isoDay } from "../../domain/kz/time.ts";
import { breakLongWords, createPdf, pdfBuffer } from "../documents/pdf.ts";
import { storeDocument } from "../documents/cabinet.ts";
import { operatorAddress } from "../billing/settings.ts";
import { notifyDirectors } from "../billing/notices.ts";
import { formatDate, translator } from "../../domain/i18n/index.ts";
import type { MailTemplate } from "../mail/templates.ts";
import { addWorkingDays, ensureCalendar } from "./calendar.ts";

export const REVIEW_DAYS = 7;
export const ANSWER_DAYS = 10;
/** The operator is warned this many working days before a deadline, and again on the day. */
export const WARN_DAYS = 2;
export const FORCE_MAJEURE_DAYS = 4;

export const date = (s: string): Date => new Date(`${s}T00:00:00Z`);

export function claimDeadlines(receivedOn: string): { reviewDue: string; answerDue: string } {
  return { reviewDue: addWorkingDays(receivedOn, REVIEW_DAYS), answerDue: addWorkingDays(receivedOn, ANSWER_DAYS) };
}

export type DeadlineState = "done" | "overdue" | "today" | "soon" | "ok";

/** How close a deadline is: "soon" from 2 working days before it, "today" on it, "overdue" after it. */
export function deadlineState(due: string, today: string, done: boolean): DeadlineState {
  if (done) return "done";
  if (today > due) return "overdue";
  if (today === due) return "today";
  return today >= addWorkingDays(due, -WARN_DAYS) ? "soon" : "ok";
}

/** A force-majeure notice is in time when given within 4 working days of the event's start. */
export function forceMajeureInTime(eventStartedOn: string, notifiedOn: string): boolean {
  return notifiedOn <= addWorkingDays(eventStartedOn, FORCE_MAJEURE_DAYS);
}

type ClaimRow = Awaited<ReturnType<Tx["claim"]["findFirstOrThrow"]>>;

/** What the screens show of a claim, with each deadline's state for today. */
export function claimView(c: ClaimRow, today: string) {
  const answered = c.status !== "open";
  return {
    id: c.id,
    number: c.number,
    subject: c.subject,
    text: c.text,
    source: c.source,
    status: c.status,
    receivedOn: isoDay(c.receivedOn),
    reviewDue: isoDay(c.reviewDue),
    answerDue: isoDay(c.answerDue),
    reviewedAt: c.reviewedAt,
    answeredAt: c.answeredAt,
    answer: c.answer,
    silenceAt: c.silenceAt,
    documentId: c.documentId,
    answerDocumentId: c.answerDocumentId,
    reviewState: deadlineState(isoDay(c.reviewDue), today, answered || c.reviewedAt !== null),
    answerState: deadlineState(isoDay(c.answerDue), today, answered),
  };
}
export type ClaimView = ReturnType<typeof claimView>;

/** A bilingual PDF of a claim or an answer for the cabinet. */
async function claimPdf(
  kind: "claim" | "answer",
  f: { school: string; number: number; receivedOn: string; subject: string; text: string },
): Promise<Buffer> {
  const kk = translator("kk");
  const ru = translator("ru");
  const doc = createPdf({ title: `${ru(`contract:pdf.${kind}Title`, { number: f.number })}` });
  doc
    .font("bold")
    .fontSize(14)
    .text(kk(`contract:pdf.${kind}Title`, { number: f.number }));
  doc.text(ru(`contract:pdf.${kind}Title`, { number: f.number }));
  doc.moveDown().font("regular").fontSize(10);
  for (const t of [kk, ru]) doc.text(t("contract:pdf.facts", { school: f.school, received: formatDate(f.receivedOn) }));
  doc
    .moveDown()
    .font("bold")
    .fontSize(11)
    .text(breakLongWords(f.subject))
    .moveDown(0.5)
    .font("regular")
    .fontSize(11)
    .text(breakLongWords(f.text));
  return pdfBuffer(doc);
}

async function operatorMail(
  tx: Tx,
  jobId: string,
  template: MailTemplate,
  params: Record<string, string>,
): Promise<void> {
  const to = await operatorAddress(tx);
  await tx.outboxEvent.createMany({
    data: [
      {
        queue: "mail",
        jobName: "send",
        jobId,
        payload: { to, locale: "ru", template, params: { ...params, link: `${config().publicUrl}/admin/claims` } },
      },
    ],
    skipDuplicates: true,
  });
}

export type NewClaim = {
  schoolId: string;
  subject: string;
  text: string;
  receivedOn: string;
  source: "cabinet" | "paper";
  filedBy: string;
  meta: RequestMeta;
};

/** Registers a claim with its deadlines and stores it in the school's cabinet, in one operator transaction. */
export async function registerClaim(input: NewClaim): Promise<ClaimView> {
  await ensureCalendar(operatorDb());
  const today = almatyDate(new Date());
  if (input.receivedOn > today) throw new AppError("BAD_REQUEST", "contract.receivedInFuture", {}, "receivedOn");
  const { reviewDue, answerDue } = claimDeadlines(input.receivedOn);
  return operatorDb().$transaction(async (tx) => {
    const school = await tx.school.findUnique({ where: { id: input.schoolId }, select: { name: true, binIin: true } });
    if (!school) throw new AppError("NOT_FOUND", "notFound", {}, "schoolId");
    // Numbers per school, one after another: concurrent filings of one school wait for each other.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('claim:' || ${input.schoolId}))`;
    const last = await tx.claim.aggregate({ where: { schoolId: input.schoolId }, _max: { number: true } });
    const number = (last._max.number ?? 0) + 1;
    const id = randomUUID();
    const content = await claimPdf("claim", {
      school: school.name,
      number,
      receivedOn: input.receivedOn,
      subject: input.subject,
      text: input.text,
    });
    const kk = translator("kk");
    const ru = translator("ru");
    const stored = await storeDocument(tx, {
      schoolId: input.schoolId,
      kind: "claim",
      number: String(number),
      fileName: `claim-${number}.pdf`,
      content,
      titleKk: kk("contract:pdf.claimTitle", { number }),
      titleRu: ru("contract:pdf.claimTitle", { number }),
    });
    const row = await tx.claim.create({
      data: {
        id,
        schoolId: input.schoolId,
        number,
        subject: input.subject,
        text: input.text,
        receivedOn: date(input.receivedOn),
        source: input.source,
        filedBy: input.filedBy,
        reviewDue: date(reviewDue),
        answerDue: date(answerDue),
        documentId: stored.id,
      },
    });
    await audit(tx, input.meta, {
      action: input.source === "cabinet" ? "claim.filed" : "claim.registered",
      schoolId: input.schoolId,
      actorUserId: input.filedBy,
      details: { number, receivedOn: input.receivedOn, reviewDue, answerDue },
    });
    await operatorMail(tx, `claim-new-${id}`, "claimReceived", {
      school: school.name,
      bin: school.binIin,
      number: String(number),
      subject: input.subject,
      received: formatDate(input.receivedOn),
      reviewDue: formatDate(reviewDue),
      answerDue: formatDate(answerDue),
    });
    return claimView(row, today);
  });
}

/** The operator marks a claim reviewed (the 7-day deadline is met). */
export async function markReviewed(claimId: string, userId: string, meta: RequestMeta): Promise<void> {
  await operatorDb().$transaction(async (tx) => {
    const c = await tx.claim.findUnique({ where: { id: claimId } });
    if (!c) throw new AppError("NOT_FOUND", "notFound");
    const { count } = await tx.claim.updateMany({
      where: { id: claimId, reviewedAt: null },
      data: { reviewedAt: new Date(), reviewedBy: userId },
    });
    if (count)
      await audit(tx, meta, {
        action: "claim.reviewed",
        schoolId: c.schoolId,
        actorUserId: userId,
        details: { number: c.number },
      });
  });
}

/** The written answer: stored in the school's cabinet as a document and e-mailed to the school's directors. */
export async function answerClaim(claimId: string, answer: string, userId: string, meta: RequestMeta): Promise<void> {
  await operatorDb().$transaction(async (tx) => {
    const c = await tx.claim.findUnique({ where: { id: claimId } });
    if (!c) throw new AppError("NOT_FOUND", "notFound");
    if (c.status !== "open")
      throw new AppError(
        "CONFLICT",
        c.status === "answered" ? "contract.alreadyAnswered" : "contract.acceptedBySilence",
      );
    const school = await tx.school.findUniqueOrThrow({ where: { id: c.schoolId }, select: { name: true, slug: true } });
    const content = await claimPdf("answer", {
      school: school.name,
      number: c.number,
      receivedOn: isoDay(c.receivedOn),
      subject: c.subject,
      text: answer,
    });
    const stored = await storeDocument(tx, {
      schoolId: c.schoolId,
      kind: "claim_answer",
      number: String(c.number),
      fileName: `claim-${c.number}-answer.pdf`,
      content,
      titleKk: translator("kk")("contract:pdf.answerTitle", { number: c.number }),
      titleRu: translator("ru")("contract:pdf.answerTitle", { number: c.number }),
    });
    const now = new Date();
    const { count } = await tx.claim.updateMany({
      where: { id: claimId, status: "open" },
      data: {
        status: "answered",
        answer,
        answeredAt: now,
        answeredBy: userId,
        answerDocumentId: stored.id,
        reviewedAt: c.reviewedAt ?? now,
        reviewedBy: c.reviewedBy ?? userId,
      },
    });
    if (count !== 1) throw new AppError("CONFLICT", "contract.alreadyAnswered");
    await audit(tx, meta, {
      action: "claim.answered",
      schoolId: c.schoolId,
      actorUserId: userId,
      details: { number: c.number, documentId: stored.id },
    });
    await notifyDirectors(tx, c.schoolId, `claim-answer-${c.id}`, "claimAnswered", {
      number: c.number,
      subject: c.subject,
      answer,
      link: `${config().publicUrl}/s/${school.slug}/claims`,
    });
  });
}

type Deadline = "review" | "answer";
const WARN_COLUMN = {
  review: { soon: "warnReviewSoon", due: "warnReviewDue" },
  answer: { soon: "warnAnswerSoon", due: "warnAnswerDue" },
} as const;

/**
 * The daily check (jobs/contract.ts): claims unanswered past the answer deadline become accepted by silence
 * (once: audited, e-mailed to both sides); the operator is warned 2 working days before each deadline and on
 * its day — once per claim, deadline and kind (a conditional UPDATE of its warn_* column, plus the outbox
 * job id). Returns what it did, for the job's result and the tests.
 */
export async function runClaimDeadlines(today: string): Promise<{ silence: number; warnings: number }> {
  const db = operatorDb();
  await ensureCalendar(db);
  const open = await db.claim.findMany({ where: { status: "open" }, select: { id: true } });
  let silence = 0;
  let warnings = 0;
  for (const { id } of open) {
    await db.$transaction(async (tx) => {
      const c = await tx.claim.findUnique({ where: { id } });
      if (c?.status !== "open") return;
      const school = await tx.school.findUniqueOrThrow({
        where: { id: c.schoolId },
        select: { name: true, binIin: true, slug: true },
      });
      const facts = {
        school: school.name,
        bin: school.binIin,
        number: String(c.number),
        subject: c.subject,
        received: formatDate(isoDay(c.receivedOn)),
        reviewDue: formatDate(isoDay(c.reviewDue)),
        answerDue: formatDate(isoDay(c.answerDue)),
      };
      if (isoDay(c.answerDue) < today) {
        const { count } = await tx.claim.updateMany({
          where: { id, status: "open" },
          data: { status: "accepted_by_silence", silenceAt: new Date() },
        });
        if (count !== 1) return;
        silence++;
        await audit(
          tx,
          { ip: null, userAgent: null },
          {
            action: "claim.acceptedBySilence",
            schoolId: c.schoolId,
            details: { number: c.number, answerDue: isoDay(c.answerDue) },
          },
        );
        await operatorMail(tx, `claim-silence-${id}`, "claimSilenceOperator", facts);
        await notifyDirectors(tx, c.schoolId, `claim-silence-${id}`, "claimSilence", {
          number: c.number,
          subject: c.subject,
          answerDue: formatDate(isoDay(c.answerDue)),
          link: `${config().publicUrl}/s/${school.slug}/claims`,
        });
        return;
      }
      const deadlines: [Deadline, string, boolean][] = [
        ["review", isoDay(c.reviewDue), c.reviewedAt !== null],
        ["answer", isoDay(c.answerDue), false],
      ];
      for (const [deadline, due, done] of deadlines) {
        const state = deadlineState(due, today, done);
        const kind = state === "soon" ? "soon" : state === "today" || state === "overdue" ? "due" : null;
        if (!kind) continue;
        const column = WARN_COLUMN[deadline][kind];
        const { count } = await tx.claim.updateMany({ where: { id, [column]: null }, data: { [column]: new Date() } });
        if (count !== 1) continue;
        warnings++;
        const t = translator("ru");
        await operatorMail(tx, `claim-warn-${id}-${deadline}-${kind}`, "claimDeadline", {
          ...facts,
          deadline: t(`contract:deadline.${deadline}`),
          due: formatDate(due),
          state: t(`contract:state.${state}`),
        });
      }
    });
  }
  if (silence || warnings) logger.info({ today, silence, warnings }, "claim deadlines checked");
  return { silence, warnings };
}

export type NewForceMajeure = {
  schoolId: string | null;
  what: string;
  eventStartedOn: string;
  notifiedOn: string;
  documents: string;
  registeredBy: string;
  meta: RequestMeta;
};

/** Registers a force-majeure notice, with whether it came within 4 working days of the event's start. */
export async function registerForceMajeure(input: NewForceMajeure) {
  await ensureCalendar(operatorDb());
  const today = almatyDate(new Date());
  if (input.eventStartedOn > today) throw new AppError("BAD_REQUEST", "contract.dateInFuture", {}, "eventStartedOn");
  if (input.notifiedOn > today) throw new AppError("BAD_REQUEST", "contract.dateInFuture", {}, "notifiedOn");
  if (input.notifiedOn < input.eventStartedOn)
    throw new AppError("BAD_REQUEST", "contract.notifiedBeforeEvent", {}, "notifiedOn");
  const withinDeadline = forceMajeureInTime(input.eventStartedOn, input.notifiedOn);
  return operatorDb().$transaction(async (tx) => {
    const row = await tx.forceMajeureNotice.create({
      data: {
        id: randomUUID(),
        schoolId: input.schoolId,
        side: input.schoolId ? "school" : "operator",
        what: input.what,
        eventStartedOn: date(input.eventStartedOn),
        notifiedOn: date(input.notifiedOn),
        documents: input.documents,
        withinDeadline,
        registeredBy: input.registeredBy,
      },
    });
    await audit(tx, input.meta, {
      action: "forceMajeure.registered",
      schoolId: input.schoolId,
      actorUserId: input.registeredBy,
      details: { eventStartedOn: input.eventStartedOn, notifiedOn: input.notifiedOn, withinDeadline },
    });
    if (input.schoolId) {
      const school = await tx.school.findUniqueOrThrow({
        where: { id: input.schoolId },
        select: { name: true, binIin: true },
      });
      // The school's copy in its cabinet, as a document with legal force (10.8).
      const number = `FM-${row.id.slice(0, 8)}`;
      const text = (["kk", "ru"] as const)
        .map((l) => {
          const t = translator(l);
          return [
            t("contract:fm.docTitle"),
            `${school.name}, ${school.binIin}`,
            t("contract:fm.docWhat", { what: input.what }),
            t("contract:fm.docDates", {
              since: formatDate(input.eventStartedOn),
              notified: formatDate(input.notifiedOn),
            }),
            t("contract:fm.docInTime", { answer: t(withinDeadline ? "contract:fm.yes" : "contract:fm.no") }),
            input.documents,
          ].join("\n");
        })
        .join("\n\n==========\n\n");
      await storeDocument(tx, {
        schoolId: input.schoolId,
        kind: "force_majeure",
        number,
        fileName: `${number}.txt`,
        content: Buffer.from(`${text}\n`, "utf8"),
        contentType: "text/plain; charset=utf-8",
        titleKk: translator("kk")("contract:fm.docTitle"),
        titleRu: translator("ru")("contract:fm.docTitle"),
      });
      await operatorMail(tx, `force-majeure-${row.id}`, "forceMajeureReceived", {
        school: school.name,
        bin: school.binIin,
        what: input.what,
        since: formatDate(input.eventStartedOn),
        notified: formatDate(input.notifiedOn),
        inTime: translator("ru")(withinDeadline ? "contract:fm.yes" : "contract:fm.no"),
      });
    }
    return fmView(row);
  });
}

export function fmView(r: Awaited<ReturnType<Tx["forceMajeureNotice"]["findFirstOrThrow"]>>) {
  return {
    id: r.id,
    schoolId: r.schoolId,
    side: r.side,
    what: r.what,
    eventStartedOn: isoDay(r.eventStartedOn),
    notifiedOn: isoDay(r.notifiedOn),
    documents: r.documents,
    withinDeadline: r.withinDeadline,
    deadline: addWorkingDays(isoDay(r.eventStartedOn), FORCE_MAJEURE_DAYS),
    createdAt: r.createdAt,
  };
}
