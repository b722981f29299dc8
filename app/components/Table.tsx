import type { ReactNode } from "react";
import { useT } from "~/lib/i18n.tsx";

/**
 * One header cell: a translation key (under the table's `labels`, or whole when it has a namespace), with a class
 * as `[key, className]`; `""` is an empty cell; `false`/`null` leaves the column out (for columns some users lack).
 */
export type Column = string | readonly [key: string, className: string] | false | null;

type Head =
  /** The header row's cells as they are. */
  | { head: ReactNode; labels?: never; columns?: never }
  /** The header row from translation keys: `labels="billing:history" columns={["number", ["amount", "num"]]}`. */
  | { head?: never; labels?: string; columns: readonly Column[] };

/**
 * A list as a table in its scrolling wrapper, or, when `empty` is given and there are no rows, one line saying so.
 * The header is `head` as written or `columns` of translation keys; `row` makes each row (with its key).
 */
export function Table<T>(
  props: {
    rows: readonly T[];
    empty?: ReactNode;
    emptyClassName?: string;
    className?: string;
    testId?: string;
    row: (item: T, index: number) => ReactNode;
  } & Head,
) {
  const { rows, empty, emptyClassName = "muted", className, testId, row } = props;
  if (rows.length === 0 && empty !== undefined) return <p className={emptyClassName}>{empty}</p>;
  return (
    <div className="table-wrap">
      <table className={className} data-testid={testId}>
        <thead>
          <tr>{props.columns ? <HeadCells labels={props.labels} columns={props.columns} /> : props.head}</tr>
        </thead>
        <tbody>{rows.map((item, i) => row(item, i))}</tbody>
      </table>
    </div>
  );
}

/** Header cells from translation keys, for tables that are not a `Table` (a fixed body, a nested list). */
export function HeadCells({ labels, columns }: { labels?: string; columns: readonly Column[] }) {
  const t = useT();
  const label = (key: string) => t(key.includes(":") || !labels ? key : `${labels}.${key}`);
  return columns.map((c, i) => {
    if (c === false || c === null) return null;
    const [key, className] = typeof c === "string" ? [c, undefined] : c;
    return key === "" ? (
      <th key={i} className={className} />
    ) : (
      <th key={i} className={className}>
        {label(key)}
      </th>
    );
  });
}
