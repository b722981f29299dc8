import type { ReactNode } from "react";

/**
 * A list as a table in its scrolling wrapper, or, when `empty` is given and there are no rows, one line saying so.
 * `head` is the header row's cells; `row` makes each row (with its key).
 */
export function Table<T>({
  rows,
  empty,
  emptyClassName = "muted",
  className,
  testId,
  head,
  row,
}: {
  rows: readonly T[];
  empty?: ReactNode;
  emptyClassName?: string;
  className?: string;
  testId?: string;
  head: ReactNode;
  row: (item: T, index: number) => ReactNode;
}) {
  if (rows.length === 0 && empty !== undefined) return <p className={emptyClassName}>{empty}</p>;
  return (
    <div className="table-wrap">
      <table className={className} data-testid={testId}>
        <thead>
          <tr>{head}</tr>
        </thead>
        <tbody>{rows.map((item, i) => row(item, i))}</tbody>
      </table>
    </div>
  );
}
