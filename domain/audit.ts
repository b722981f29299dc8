// The audit log's vocabulary: every action the log records has a label in ./i18n/{kk,ru}/admin.ts
// (`actions`); a new action is a new label there. The server's audit() takes only these.
import ruAdmin from "./i18n/ru/admin.ts";

export type AuditAction = keyof typeof ruAdmin.actions;

/** Every audit action, for the log's filter. */
export const AUDIT_ACTIONS = Object.keys(ruAdmin.actions) as AuditAction[];

export function isAuditAction(v: unknown): v is AuditAction {
  return typeof v === "string" && (AUDIT_ACTIONS as readonly string[]).includes(v);
}
