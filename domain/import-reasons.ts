// What the import knows about a file's rows, shared by the server (report) and the page (which
// translates the reasons). Pure: no I/O, safe to import in the browser bundle.

/** The template's columns, in order. Parsing goes by position. */
export const COLUMNS = [
  "iin",
  "lastName",
  "firstName",
  "middleName",
  "latinName",
  "phone",
  "email",
  "address",
  "category",
  "gearbox",
  "contractNumber",
  "contractPrice",
  // Training done before the school used Avtomektep (ADR 029): optional, a file of the older template has none.
  "trainingStartedOn",
  "theoryHoursDone",
  "drivingHoursDone",
  "theoryExamPassedOn",
  "practicalExamPassedOn",
] as const;
export type Column = (typeof COLUMNS)[number];
/** Columns a file may lack altogether (its header ends before them): files of the older template still import. */
export const ADOPTION_COLUMNS = [
  "trainingStartedOn",
  "theoryHoursDone",
  "drivingHoursDone",
  "theoryExamPassedOn",
  "practicalExamPassedOn",
] as const satisfies readonly Column[];
export const REQUIRED_COLUMNS: readonly Column[] = ["iin", "lastName", "firstName", "category"];

/** Why a row can't be imported. Several may apply to one row. */
export type Reason =
  | { code: "iin"; key: string } // errors:iin.<key> — the same text as the manual form shows
  | { code: "missing"; column: Column }
  | { code: "field"; column: Column; key: string; params?: Record<string, string | number> } // errors:<key>
  | { code: "category"; value: string }
  | { code: "gearbox"; value: string }
  | { code: "price"; value: string }
  | { code: "duplicateIin"; otherRow: number }
  | { code: "iinTaken" }
  | { code: "duplicateContract"; otherRow: number }
  | { code: "contractTaken" };

export type BadRow = { row: number; iin: string; name: string; reasons: Reason[] };
export type PreviewRow = {
  row: number;
  iin: string;
  name: string;
  category: string;
  gearbox: "manual" | "automatic";
  /** training before adoption the row carries (absent when none) */
  prior?: { theoryMinutes: number; drivingMinutes: number; exams: number };
};

export type ImportReport = {
  /** rows refused at upload */
  bad: BadRow[];
  /** the first good rows, for the preview */
  preview: PreviewRow[];
  /** the template's example row was left in the file and skipped */
  exampleSkipped?: boolean;
  /** rows that were good at upload but conflicted when the import ran (reported, not imported) */
  skipped?: BadRow[];
  /** how many trainees the import created */
  imported?: number;
};

type T = (key: string, params?: Record<string, unknown>) => string;

/** One reason as a person reads it, in the language of `t`. */
export function reasonText(t: T, r: Reason): string {
  switch (r.code) {
    case "iin":
      return t(`errors:iin.${r.key}`);
    case "missing":
      return t("traineeImport:reason.missing", { column: t(`traineeImport:columns.${r.column}`) });
    case "field":
      return t("traineeImport:reason.field", {
        column: t(`traineeImport:columns.${r.column}`),
        message: t(`errors:${r.key}`, r.params ?? {}),
      });
    case "category":
      return t("traineeImport:reason.category", { value: r.value });
    case "gearbox":
      return t("traineeImport:reason.gearbox", { value: r.value });
    case "price":
      return t("traineeImport:reason.price", { value: r.value });
    case "duplicateIin":
      return t("traineeImport:reason.duplicateIin", { row: r.otherRow });
    case "iinTaken":
      return t("traineeImport:reason.iinTaken");
    case "duplicateContract":
      return t("traineeImport:reason.duplicateContract", { row: r.otherRow });
    case "contractTaken":
      return t("traineeImport:reason.contractTaken");
  }
}
