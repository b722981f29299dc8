import { CATEGORIES, isOneOf, TRAINEE_STATUSES } from "../../../domain/trainees.ts";
import { text } from "./forms.server.ts";

/**
 * The register's filters as the list page, its XLSX and the bulk form send them (`q`, `status`, `category` and the
 * group, named `group` on the page and `groupId` in the XLSX link): what isn't one of the known values is dropped.
 */
export function registerFilter(get: (name: string) => string | null, groupParam: "group" | "groupId" = "group") {
  const status = get("status");
  const category = get("category");
  const group = get(groupParam) ?? "";
  return {
    q: (get("q") ?? "").trim().slice(0, 100) || undefined,
    status: isOneOf(TRAINEE_STATUSES, status) ? status : undefined,
    category: isOneOf(CATEGORIES, category) ? category : undefined,
    groupId: /^[0-9a-f-]{36}$/i.test(group) ? group : undefined,
  };
}

/**
 * Which trainees a posted bulk form is about: the ticked ones (`id`, repeated), or — `scope=all` — all that the
 * register's filters (posted along as `q`, `status`, `category`, `group`) match.
 */
export function bulkSelection(form: FormData) {
  if (text(form, "scope") === "all") return { filter: registerFilter((name) => text(form, name)) };
  return { ids: form.getAll("id").filter((v): v is string => typeof v === "string") };
}

/** What to do with them, as the bulk form posts it (the server's schema checks it). */
export function bulkAction(form: FormData) {
  const kind = text(form, "kind");
  const orNull = (v: string) => (v === "none" ? null : v);
  switch (kind) {
    case "status":
      // an unknown status is left for the server's schema to refuse, with its message
      return {
        kind,
        to: text(form, "to") as (typeof TRAINEE_STATUSES)[number],
        reason: text(form, "reason") || undefined,
      } as const;
    case "group":
      return { kind, groupId: orNull(text(form, "groupId")) } as const;
    case "instructor":
      return { kind, instructorId: orNull(text(form, "instructorId")) } as const;
    default:
      return { kind: "invite" } as const;
  }
}
