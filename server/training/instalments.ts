// The trainee's tuition as a schedule of instalments (docs/decisions/042-tuition-instalments.md): the registrar
// sets it on the trainee card; what is paid, owed and overdue is read from the payments (the ledger) against it.
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import type { SchoolCtx } from "../trpc.ts";
import { almatyDate, dbDay, isoDay, parseDay } from "../../domain/kz/time.ts";
import { parseTenge } from "../../domain/kz/money.ts";
import { formatTiyn } from "../../domain/i18n/index.ts";
import {
  type InstalmentLine,
  parseScheduleText,
  type Standing,
  scheduleProblem,
  splitEvenly,
  standing,
} from "../../domain/tuition.ts";

type Plan =
  | { kind: "even"; count: number; firstDue: string }
  | { kind: "lines"; lines: InstalmentLine[] }
  | { kind: "text"; text: string };

/** What the trainees' payments add up to (net of refunds), by trainee: the ledger's word on what is paid. */
export async function paidByTrainee(tx: Tx, traineeIds: string[]): Promise<Map<string, number>> {
  if (traineeIds.length === 0) return new Map();
  const rows = await tx.traineePayment.groupBy({
    by: ["traineeId"],
    where: { traineeId: { in: traineeIds } },
    _sum: { amountTiyn: true },
  });
  return new Map(rows.map((r) => [r.traineeId, Number(r._sum.amountTiyn ?? 0n)]));
}

/** Where one trainee's tuition stands on `today` (Almaty), from the schedule and the payments. */
export async function tuitionOf(
  tx: Tx,
  trainee: { id: string; contractPriceTiyn: bigint | number },
  today: string = almatyDate(new Date()),
): Promise<Standing> {
  const [rows, paid] = await Promise.all([
    tx.tuitionInstalment.findMany({
      where: { traineeId: trainee.id },
      orderBy: { seq: "asc" },
      select: { seq: true, dueOn: true, amountTiyn: true },
    }),
    paidByTrainee(tx, [trainee.id]),
  ]);
  return standing(
    rows.map((r) => ({ seq: r.seq, dueOn: isoDay(r.dueOn), amountTiyn: Number(r.amountTiyn) })),
    Number(trainee.contractPriceTiyn),
    paid.get(trainee.id) ?? 0,
    today,
  );
}

function linesOf(plan: Plan, priceTiyn: number): InstalmentLine[] {
  if (plan.kind === "even") return splitEvenly(priceTiyn, plan.count, plan.firstDue);
  if (plan.kind === "lines") return plan.lines;
  const parsed = parseScheduleText(plan.text, parseDay, parseTenge);
  if (!parsed.ok) throw new AppError("BAD_REQUEST", "training.scheduleLine", { line: parsed.line }, "lines");
  return parsed.lines;
}

/** Sets (or replaces) the trainee's schedule; the amounts must add up to the contract price exactly. */
export async function setSchedule(
  tx: Tx,
  school: SchoolCtx,
  actor: { id: string },
  input: { traineeId: string; plan: Plan },
  meta: RequestMeta,
) {
  // The trainee's row lock: two registrars setting the schedule at once replace it one after the other.
  const locked = await tx.$queryRaw<{ contract_price_tiyn: bigint }[]>`
    SELECT contract_price_tiyn FROM trainee WHERE id = ${input.traineeId}::uuid FOR UPDATE`;
  const trainee = locked[0];
  if (!trainee) throw new AppError("NOT_FOUND", "notFound");
  const price = Number(trainee.contract_price_tiyn);
  if (price <= 0) throw new AppError("BAD_REQUEST", "training.scheduleNoPrice", {}, "lines");
  const lines = linesOf(input.plan, price);
  const problem = scheduleProblem(lines, price);
  if (problem) {
    const sum = lines.reduce((s, l) => s + l.amountTiyn, 0);
    throw new AppError(
      "BAD_REQUEST",
      `training.${problem}`,
      { sum: formatTiyn(sum), price: formatTiyn(price) },
      input.plan.kind === "even" ? "count" : "lines",
    );
  }
  await tx.tuitionInstalment.deleteMany({ where: { traineeId: input.traineeId } });
  await tx.tuitionInstalment.createMany({
    data: lines.map((l, i) => ({
      id: randomUUID(),
      schoolId: school.id,
      traineeId: input.traineeId,
      seq: i + 1,
      dueOn: dbDay(l.dueOn),
      amountTiyn: l.amountTiyn,
      createdBy: actor.id,
    })),
  });
  await audit(tx, meta, {
    action: "trainee.schedule_set",
    schoolId: school.id,
    actorUserId: actor.id,
    details: { traineeId: input.traineeId, count: lines.length },
  });
  return { count: lines.length };
}
