// The data-minimisation rule (./visibility.ts) inside a request: the caller's view, which trainees are
// their own, and a search that never matches what the view hides.
import type { Tx } from "../db/client.ts";
import type { Prisma } from "../db/generated/prisma/client.ts";
import type { MemberRole } from "../db/generated/prisma/enums.ts";
import { traineeView, type TraineeView } from "../../domain/visibility.ts";
import { likeText } from "../db/like.ts";

export function viewOf(ctx: { school: { roles: readonly MemberRole[] }; user: { id: string } }): TraineeView {
  return traineeView(ctx.school.roles, ctx.user.id);
}

/**
 * Of `ids`, the trainees that are the member's own: assigned to them as instructor, or with a driving
 * lesson with them (in any state). Asked only when the view has something to show of own trainees.
 */
export async function ownTrainees(tx: Tx, view: TraineeView, ids: readonly string[]): Promise<Set<string>> {
  const wanted = [...new Set(ids)];
  if (view.own.size === 0 || wanted.length === 0) return new Set();
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT t.id::text FROM trainee t
     WHERE t.id = ANY(${wanted}::uuid[])
       AND (t.instructor_id = ${view.userId}::uuid
            OR EXISTS (SELECT 1 FROM driving_lesson l WHERE l.instructor_id = ${view.userId}::uuid AND l.trainee_id = t.id))`;
  return new Set(rows.map((r) => r.id));
}

/** Matches no trainee: what a search for digits becomes when the view shows neither IINs nor phones. */
export const NO_TRAINEE: Prisma.TraineeWhereInput = { id: { in: [] } };

/**
 * A search for digits in the IIN and/or the phone, kept to what the view shows of every trainee: a search
 * must not reveal a hidden IIN digit by digit.
 */
export function digitSearch(
  view: TraineeView,
  byIin: Prisma.TraineeWhereInput,
  byPhone?: Prisma.TraineeWhereInput,
): Prisma.TraineeWhereInput {
  const or = [...(view.every.has("iin") ? [byIin] : []), ...(byPhone && view.every.has("phone") ? [byPhone] : [])];
  return or.length ? { OR: or } : NO_TRAINEE;
}

/**
 * The register's filters — status, category, group and a search by name, or by digits in the IIN and the
 * phone as far as the view shows them — as conditions to AND together (the list page and its XLSX export).
 */
export function traineeFilters(
  f: { status?: string; category?: string; groupId?: string; q?: string },
  view: TraineeView,
): Prisma.TraineeWhereInput[] {
  const and: Prisma.TraineeWhereInput[] = [];
  if (f.status) and.push({ status: f.status as Prisma.TraineeWhereInput["status"] });
  if (f.category) and.push({ category: f.category });
  if (f.groupId) and.push({ groupId: f.groupId });
  if (f.q) {
    const q = f.q;
    and.push(
      /^\+?\d+$/.test(q)
        ? digitSearch(
            view,
            { iin: { startsWith: likeText(q) } },
            { phone: { contains: likeText(q.replace(/^8/, "")) } },
          )
        : {
            OR: [
              { lastName: { contains: likeText(q), mode: "insensitive" } },
              { firstName: { contains: likeText(q), mode: "insensitive" } },
              { latinName: { contains: likeText(q), mode: "insensitive" } },
            ],
          },
    );
  }
  return and;
}
