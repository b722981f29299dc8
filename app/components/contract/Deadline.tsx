// A claim's deadline with its state coloured: soon (within 2 working days), today, overdue, done.
import { useFormat, useT } from "~/lib/i18n.tsx";

const CLASS = {
  done: "badge ok",
  ok: "badge",
  soon: "badge exp-soon",
  today: "badge exp-expired",
  overdue: "badge bad",
} as const;

export function Deadline({ due, state }: { due: string; state: keyof typeof CLASS }) {
  const t = useT();
  const fmt = useFormat();
  return (
    <span data-state={state}>
      <span className="nowrap">{fmt.date(due)}</span>{" "}
      <span className={CLASS[state]}>{t(`contract:state.${state}`)}</span>
    </span>
  );
}
