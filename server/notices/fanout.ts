// The durable fan-out of a notice (offer change, maintenance, reminder) to the users of every school — a
// maintenance notice to every member, an offer or tariff change to the directors, who accept the offer and
// pay (ADR 030): a document in each school's cabinet, one notice_recipient row (the in-app banner) and one
// e-mail in the outbox per recipient. It runs in the `notices` queue from an outbox row written with the event, works
// through the schools in batches (each batch one transaction) and may run any number of times: the
// document's (school, kind, number) key, the recipient's (notice, user) key and the e-mail's job id keep
// everything to one per school / recipient / event.
import { createHash, randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";
import { operatorDb } from "../db/client.ts";
import { config } from "../config.ts";
import { logger } from "../log.ts";
import { translator, formatDate, type Locale } from "../../domain/i18n/index.ts";
import type { MailTemplate } from "../mail/templates.ts";
import { almatyDate, almatyTime, isoDay } from "../../domain/kz/time.ts";
import { lineDiff } from "./diff.ts";

/** Writes the outbox row that starts the fan-out, in the caller's transaction (the event's own). */
export async function enqueueFanout(tx: Pick<Tx, "outboxEvent">, noticeId: string): Promise<void> {
  await tx.outboxEvent.createMany({
    data: [{ queue: "notices", jobName: "fanout", jobId: `notice-${noticeId}`, payload: { noticeId } }],
    skipDuplicates: true,
  });
}

/** What a notice announces: an offer version, a maintenance window or a tariff version (with its summary). */
type Announced =
  | { kind: "offer_change"; offerVersionId: string }
  | { kind: "maintenance"; maintenanceId: string }
  | { kind: "tariff_change"; tariffVersionId: string; summaryKk: string; summaryRu: string };

/** Creates the notice and, in the same transaction, the outbox row that fans it out; returns the notice's id. */
export async function announce(tx: Pick<Tx, "notice" | "outboxEvent">, notice: Announced): Promise<string> {
  const id = randomUUID();
  await tx.notice.create({ data: { id, ...notice } });
  await enqueueFanout(tx, id);
  return id;
}

/** `DD.MM.YYYY HH:MM` in Astana time. */
export const almatyDateTime = (d: Date) => `${formatDate(almatyDate(d))} ${almatyTime(d)}`;

type Plan = {
  template: MailTemplate;
  /** Who is told: the directors (offer and tariff changes) or every member (maintenance). */
  to: "directors" | "members";
  params: Record<Locale, Record<string, string>>;
  document: {
    kind: "offer_notice" | "maintenance_notice";
    number: string;
    titleKk: string;
    titleRu: string;
    fileName: string;
    content: Buffer;
  } | null;
};

/** What a notice says: the same for every school (only the school's name and link differ). */
async function planFor(db: Tx | ReturnType<typeof operatorDb>, noticeId: string): Promise<Plan | null> {
  const n = await db.notice.findUnique({ where: { id: noticeId } });
  if (!n) return null;
  const kk = translator("kk"),
    ru = translator("ru");
  if (n.kind === "offer_change") {
    const v = await db.offerVersion.findUniqueOrThrow({ where: { id: n.offerVersionId! } });
    const prev = await db.offerVersion.findFirst({
      where: { version: { lt: v.version } },
      orderBy: { version: "desc" },
    });
    const date = formatDate(almatyDate(v.effectiveFrom));
    const published = almatyDateTime(v.publishedAt);
    const section = (t: typeof kk, lang: "kk" | "ru", summary: string | null, next: string, before: string) =>
      [
        t("notices:doc.offerTitle", { version: v.version }),
        t("notices:doc.number", { number: `OFFER-${v.version}` }),
        t("notices:doc.published", { at: published }),
        t("notices:doc.effective", { date }),
        t("notices:doc.hash", { hash: v.sha256 }),
        "",
        t("notices:doc.summary"),
        summary ?? "—",
        "",
        t("notices:doc.diff", { from: prev?.version ?? "—", to: v.version }),
        lineDiff(before, next).join("\n") || "—",
        "",
        t("notices:doc.consent", { date }),
      ].join("\n") + (lang === "kk" ? "" : "");
    const content = Buffer.from(
      `${section(ru, "ru", v.summaryRu, v.textRu, prev?.textRu ?? "")}\n\n==========\n\n${section(kk, "kk", v.summaryKk, v.textKk, prev?.textKk ?? "")}\n`,
      "utf8",
    );
    return {
      template: "noticeOfferChange",
      to: "directors",
      params: {
        kk: { version: String(v.version), date, summary: v.summaryKk ?? "—" },
        ru: { version: String(v.version), date, summary: v.summaryRu ?? "—" },
      },
      document: {
        kind: "offer_notice",
        number: `OFFER-${v.version}`,
        fileName: `OFFER-${v.version}.txt`,
        content,
        titleKk: kk("notices:doc.offerTitle", { version: v.version }),
        titleRu: ru("notices:doc.offerTitle", { version: v.version }),
      },
    };
  }
  if (n.kind === "tariff_change") {
    const v = await db.tariffVersion.findUniqueOrThrow({ where: { id: n.tariffVersionId! }, include: { plan: true } });
    const date = formatDate(almatyDate(new Date(`${isoDay(v.effectiveFrom)}T00:00:00+05:00`)));
    const number = `TARIFF-${v.plan.code}-${v.version}`;
    const section = (t: typeof kk, summary: string | null) =>
      [
        t("notices:doc.tariffTitle", { plan: t === kk ? v.plan.nameKk : v.plan.nameRu }),
        t("notices:doc.number", { number }),
        t("notices:doc.published", { at: almatyDateTime(v.publishedAt) }),
        t("notices:doc.effective", { date }),
        "",
        summary ?? "—",
        "",
        t("notices:doc.consent", { date }),
      ].join("\n");
    return {
      template: "noticeTariffChange",
      to: "directors",
      params: { kk: { date, summary: n.summaryKk ?? "—" }, ru: { date, summary: n.summaryRu ?? "—" } },
      document: {
        kind: "offer_notice",
        number,
        fileName: `${number}.txt`,
        content: Buffer.from(`${section(ru, n.summaryRu)}\n\n==========\n\n${section(kk, n.summaryKk)}\n`, "utf8"),
        titleKk: kk("notices:doc.tariffTitle", { plan: v.plan.nameKk }),
        titleRu: ru("notices:doc.tariffTitle", { plan: v.plan.nameRu }),
      },
    };
  }
  const w = await db.maintenanceWindow.findUniqueOrThrow({ where: { id: n.maintenanceId! } });
  const from = almatyDateTime(w.startsAt),
    to = almatyDateTime(w.endsAt);
  const params = { kk: { from, to, reason: w.reasonKk }, ru: { from, to, reason: w.reasonRu } };
  if (n.kind === "maintenance_reminder")
    return { template: "noticeMaintenanceReminder", to: "members", params, document: null };
  const number = `MAINT-${almatyDate(w.startsAt).replaceAll("-", "")}-${w.id.slice(0, 8)}`;
  const section = (t: typeof kk, reason: string) =>
    [
      t("notices:doc.maintenanceTitle"),
      t("notices:doc.number", { number }),
      t("notices:doc.window", { from, to }),
      t("notices:doc.reason", { reason }),
      "",
      t("notices:doc.maintenanceBody"),
    ].join("\n");
  return {
    template: "noticeMaintenance",
    to: "members",
    params,
    document: {
      kind: "maintenance_notice",
      number,
      fileName: `${number}.txt`,
      content: Buffer.from(`${section(ru, w.reasonRu)}\n\n==========\n\n${section(kk, w.reasonKk)}\n`, "utf8"),
      titleKk: kk("notices:doc.maintenanceTitle"),
      titleRu: ru("notices:doc.maintenanceTitle"),
    },
  };
}

/** One batch of schools: their documents, recipients and e-mails, in three statements. */
async function fanOutBatch(tx: Tx, noticeId: string, schoolIds: string[], plan: Plan): Promise<number> {
  const base = config().publicUrl;
  if (plan.document) {
    const d = plan.document;
    const sha = createHash("sha256").update(d.content).digest("hex");
    await tx.$executeRaw`
      INSERT INTO school_document (id, school_id, kind, number, title_kk, title_ru, file_name, content, sha256, content_type)
      SELECT gen_random_uuid(), s, ${d.kind}, ${d.number}, ${d.titleKk}, ${d.titleRu}, ${d.fileName}, ${new Uint8Array(d.content)}, ${sha}, 'text/plain; charset=utf-8'
      FROM unnest(${schoolIds}::uuid[]) AS s
      ON CONFLICT (school_id, kind, number) DO NOTHING`;
  }
  // A user of several schools is one recipient: the first school (by id) in this batch takes them; one
  // already reached through another batch is skipped by the primary key, and so is their e-mail.
  const [row] = await tx.$queryRaw<{ n: bigint }[]>`
    WITH members AS (
      SELECT DISTINCT ON (m.user_id) m.user_id, m.school_id
      FROM membership m JOIN app_user u ON u.id = m.user_id
      WHERE m.school_id = ANY(${schoolIds}::uuid[]) AND u.deactivated_at IS NULL
        AND (${plan.to} = 'members' OR m.role = 'director')
      ORDER BY m.user_id, m.school_id
    ), ins AS (
      INSERT INTO notice_recipient (notice_id, user_id, school_id)
      SELECT ${noticeId}::uuid, user_id, school_id FROM members
      ON CONFLICT (notice_id, user_id) DO NOTHING
      RETURNING user_id, school_id
    ), mail AS (
      INSERT INTO outbox_event (queue, job_name, job_id, payload)
      SELECT 'mail', 'send', 'notice-' || ${noticeId} || '-' || u.id,
        jsonb_build_object('to', u.email, 'locale', u.locale, 'template', ${plan.template}::text,
          'params', (CASE WHEN u.locale = 'kk' THEN ${JSON.stringify(plan.params.kk)}::jsonb ELSE ${JSON.stringify(plan.params.ru)}::jsonb END)
            || jsonb_build_object('name', u.full_name, 'school', s.name, 'link', ${base}::text || '/s/' || s.slug || '/documents'))
      FROM ins JOIN app_user u ON u.id = ins.user_id JOIN school s ON s.id = ins.school_id
      ON CONFLICT (job_id) DO NOTHING
      RETURNING 1
    )
    SELECT count(*) AS n FROM mail`;
  return Number(row?.n ?? 0);
}

export const FANOUT_BATCH = 50;

/**
 * Runs the whole fan-out of a notice (idempotent). Returns how many e-mails this run wrote (0 on a
 * repeated run). Deactivated schools are left out.
 */
export async function fanOutNotice(
  noticeId: string,
  opts: { batch?: number; parallel?: number } = {},
): Promise<{ schools: number; emails: number }> {
  const db = operatorDb();
  const plan = await planFor(db as never, noticeId);
  if (!plan) return { schools: 0, emails: 0 };
  const schools = (
    await db.$queryRaw<{ id: string }[]>`SELECT id FROM school WHERE status <> 'deactivated' ORDER BY id`
  ).map((r) => r.id);
  const size = opts.batch ?? FANOUT_BATCH;
  const batches: string[][] = [];
  for (let i = 0; i < schools.length; i += size) batches.push(schools.slice(i, i + size));
  let emails = 0;
  // A few batches at once; they never touch the same school. A user of two schools in two concurrent
  // batches meets the primary key: one insert waits for the other and then skips.
  const parallel = Math.max(1, opts.parallel ?? 4);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, batches.length) }, async () => {
      while (next < batches.length) {
        const b = batches[next++]!;
        const n = await db.$transaction((tx) => fanOutBatch(tx, noticeId, b, plan), { timeout: 120_000 });
        emails += n;
      }
    }),
  );
  await db.notice.updateMany({ where: { id: noticeId, fannedOutAt: null }, data: { fannedOutAt: new Date() } });
  logger.info({ noticeId, schools: schools.length, emails }, "notice fanned out");
  return { schools: schools.length, emails };
}
