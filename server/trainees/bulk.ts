// Many trainees at once — change the status, move to a group, give an instructor, invite to the cabinet — in one
// transaction. Each trainee goes through the same use case as one at a time (one copy of each rule); a trainee
// that use case refuses is rolled back alone and reported with the reason, the others are applied.
import type { z } from "zod";
import type { Tx } from "../db/client.ts";
import type { SchoolCtx } from "../trpc.ts";
import { AppError } from "../errors.ts";
import { audit, type RequestMeta } from "../audit/log.ts";
import { refusalOf } from "../db/savepoint.ts";
import { translator, type Locale } from "../../domain/i18n/index.ts";
import { changeStatus } from "../training/status.ts";
import { assignToGroup } from "../resources/groups.ts";
import { assignInstructor } from "../booking/assign.ts";
import { inviteTrainee } from "../training/invite.ts";
import { traineeFilters, viewOf } from "./access.ts";
import { byName } from "./select.ts";
import { BULK_MAX, type bulkInput } from "./schema.ts";

type Actor = { id: string; locale: Locale };
type Input = z.infer<typeof bulkInput>;

/** The trainees a bulk action is about: the ticked ones, or all the register's filters match (as the caller sees them). */
async function selected(tx: Tx, school: SchoolCtx, actor: Actor, selection: Input["selection"]) {
  const where =
    "ids" in selection
      ? { id: { in: [...new Set(selection.ids)] } }
      : { AND: await traineeFilters(tx, selection.filter, viewOf({ school, user: actor })) };
  const rows = await tx.trainee.findMany({
    where,
    orderBy: byName(actor.locale),
    take: BULK_MAX + 1,
    select: { id: true, lastName: true, firstName: true, middleName: true },
  });
  if (rows.length > BULK_MAX) throw new AppError("BAD_REQUEST", "trainees.bulkTooMany");
  if (rows.length === 0) throw new AppError("BAD_REQUEST", "trainees.pickTrainees");
  return rows;
}

export async function bulkTrainees(tx: Tx, school: SchoolCtx, actor: Actor, input: Input, meta: RequestMeta) {
  const trainees = await selected(tx, school, actor, input.selection);
  const a = input.action;
  const apply = (traineeId: string) => {
    switch (a.kind) {
      case "status":
        return changeStatus(tx, school.id, actor.id, { traineeId, to: a.to, reason: a.reason || null });
      case "group":
        return assignToGroup(tx, school, actor, { traineeIds: [traineeId], groupId: a.groupId }, meta);
      case "instructor":
        return assignInstructor(tx, school, { traineeId, instructorId: a.instructorId });
      case "invite":
        return inviteTrainee(tx, school, actor, { traineeId }, meta);
    }
  };
  const t = translator(actor.locale);
  const refused: { id: string; name: string; reason: string }[] = [];
  for (const trainee of trainees) {
    const refusal = await refusalOf(tx, () => apply(trainee.id));
    if (refusal) {
      refused.push({
        id: trainee.id,
        name: [trainee.lastName, trainee.firstName, trainee.middleName].filter(Boolean).join(" "),
        reason: t(`errors:${refusal.messageKey}`, refusal.params),
      });
    }
  }
  const done = trainees.length - refused.length;
  await audit(tx, meta, {
    action: "trainees.bulk",
    schoolId: school.id,
    actorUserId: actor.id,
    details: { action: a, selected: trainees.length, done, refused: refused.map((r) => r.id) },
  });
  return { selected: trainees.length, done, refused };
}
