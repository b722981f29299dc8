// An audit entry's details as a person reads them: a sentence per event type from admin:auditDetails.<action>
// (when the entry has every value the sentence names), else a list of labelled values (admin:auditKeys) —
// never JSON. Ids become names (users, trainees) or are left out; days, instants, money, statuses, roles,
// queues and languages are written as the console writes them elsewhere.
import type { TFunction } from "i18next";
import { formatDate, formatDateTime, formatTiyn, localeOf, resources } from "../../../domain/i18n/index.ts";

export type Names = {
  users: Record<string, { fullName: string; email: string }>;
  trainees: Record<string, string>;
};

export type Described = { sentence: string | null; facts: [string, string][] };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const STATUS_ACTIONS = new Set(["school.status_changed", "billing.access_changed"]);
/** Technical ids with no name to show: left out of what a person reads. */
const HIDDEN = /(^id$|Id$|^key$|^sha256$)/;

const templates = resources.ru.admin.auditDetails as Record<string, string>;
const keyLabels = resources.ru.admin.auditKeys as Record<string, string>;

function person(names: Names, id: string): string {
  const u = names.users[id];
  return u ? `${u.fullName} (${u.email})` : "—";
}

/** One value as text, by its key and the event it belongs to. */
function valueText(t: TFunction, names: Names, action: string, key: string, v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (Array.isArray(v)) return v.map((x) => valueText(t, names, action, key, x)).join(", ");
  if (typeof v === "object") {
    const o = v as Record<string, unknown>;
    if ("from" in o && "to" in o) return changeText(t, names, action, key, o.from, o.to);
    return Object.entries(o)
      .filter(([k]) => !HIDDEN.test(k))
      .map(([k, x]) => `${label(t, k)}: ${valueText(t, names, action, k, x)}`)
      .join("; ");
  }
  if (typeof v === "boolean") return t(v ? "admin:audit.yes" : "admin:audit.no");
  if (key === "userId" && typeof v === "string") return person(names, v);
  if (key === "traineeId" && typeof v === "string") return names.trainees[v] ?? "—";
  if (/Tiyn$/.test(key) && typeof v === "number") return formatTiyn(v);
  if (typeof v === "string") {
    if ((key === "from" || key === "to") && STATUS_ACTIONS.has(action)) return t(`common:schoolStatus.${v}`);
    if (key === "role" || key === "roles" || (action === "member.role_changed" && (key === "from" || key === "to")))
      return t(`common:roles.${v}`);
    if (key === "queue") return t(`billingAdmin:queues.names.${v}`);
    if (key === "kinds") return t(`workspace:settings.consents.kinds.${v}`);
    if (key === "locale" || key === "contractTemplate") return v === "kk" ? "Қазақша" : v === "ru" ? "Русский" : v;
    if (DAY.test(v)) return formatDate(v);
    if (INSTANT.test(v) && !Number.isNaN(Date.parse(v))) return formatDateTime(v);
  }
  return String(v);
}

/** A change: "a → b"; two objects (settings before and after): only what changed, each "label: a → b". */
function changeText(t: TFunction, names: Names, action: string, key: string, from: unknown, to: unknown): string {
  if (from && to && typeof from === "object" && typeof to === "object" && !Array.isArray(from)) {
    const a = from as Record<string, unknown>;
    const b = to as Record<string, unknown>;
    const changed = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
      (k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]),
    );
    if (changed.length === 0) return t("admin:audit.noChange");
    return changed
      .map((k) => `${label(t, k)}: ${valueText(t, names, action, k, a[k])} → ${valueText(t, names, action, k, b[k])}`)
      .join("; ");
  }
  return `${valueText(t, names, action, key, from)} → ${valueText(t, names, action, key, to)}`;
}

function label(t: TFunction, key: string): string {
  return key in keyLabels ? t(`admin:auditKeys.${key}`) : key;
}

/** The values a sentence may name: each detail as text, plus `user`, `trainee` and `amount` by their ids and sums. */
function params(t: TFunction, names: Names, action: string, d: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d)) out[k] = valueText(t, names, action, k, v);
  // a pair `xKk`/`xRu` (a plan's name) is `x` in the reader's language
  const mine = localeOf(t) === "kk" ? "Kk" : "Ru";
  for (const [k, v] of Object.entries(d)) if (k.endsWith(mine) && typeof v === "string") out[k.slice(0, -2)] = v;
  if (typeof d.userId === "string") out.user = person(names, d.userId);
  if (typeof d.traineeId === "string" && names.trainees[d.traineeId]) out.trainee = names.trainees[d.traineeId]!;
  const sum = d.amountTiyn ?? d.priceTiyn;
  if (typeof sum === "number") out.amount = formatTiyn(sum);
  return out;
}

export function describeAudit(t: TFunction, names: Names, action: string, details: unknown): Described {
  const d =
    details && typeof details === "object" && !Array.isArray(details) ? (details as Record<string, unknown>) : {};
  const p = params(t, names, action, d);
  const template = templates[action];
  if (template) {
    const needed = [...template.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);
    if (needed.every((k) => p[k] !== undefined && p[k] !== "—"))
      return { sentence: t(`admin:auditDetails.${action}`, p), facts: [] };
  }
  const facts = Object.entries(d)
    .filter(([k, v]) => !HIDDEN.test(k) && v !== null && v !== undefined && v !== "")
    .map(([k, v]): [string, string] => [label(t, k), valueText(t, names, action, k, v)]);
  // A user or trainee named only by id is shown by name.
  if (typeof d.userId === "string") facts.unshift([label(t, "userId"), person(names, d.userId)]);
  if (typeof d.traineeId === "string") facts.unshift([label(t, "traineeId"), names.trainees[d.traineeId] ?? "—"]);
  return { sentence: null, facts };
}
