import { useWorkspace } from "./useWorkspace.ts";
import { traineeView, type GuardedField } from "../../../domain/visibility.ts";

/**
 * What the member's roles show of trainees (server/trainees/visibility.ts, ADR 026), for lists that hide a
 * column the role doesn't see of every trainee instead of leaving it empty.
 */
export function useTraineeView() {
  const { school } = useWorkspace();
  const view = traineeView(school.roles, "");
  return { view, column: (field: GuardedField) => view.every.has(field) };
}
