import type { Locale } from "../../domain/i18n/index.ts";

// The columns that name a trainee in a list or a card: who they are (full name and IIN) and where they are
// in training; and the order they are listed in. What a role may see of them is still decided where they are shown (redact, guardedSelect).

/** id, the three name parts, IIN and status. */
export const traineeRowSelect = {
  id: true,
  lastName: true,
  firstName: true,
  middleName: true,
  iin: true,
  status: true,
} as const;

/** The register in the reader's alphabetical order (Kazakh or Russian, ICU), the id breaking ties. */
export function byName(locale: Locale) {
  return locale === "kk"
    ? [{ nameKk: "asc" as const }, { id: "asc" as const }]
    : [{ nameRu: "asc" as const }, { id: "asc" as const }];
}
