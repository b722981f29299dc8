import type { AuditAction } from "../../../server/audit/log.ts";
import ruAdmin from "../../i18n/ru/admin.ts";

/** Every audit action, for the filter: the labelled ones are the actions (server/audit/log.ts derives its type from them). */
export const AUDIT_ACTIONS = Object.keys(ruAdmin.actions) as AuditAction[];

export function isAuditAction(v: unknown): v is AuditAction {
  return typeof v === "string" && (AUDIT_ACTIONS as readonly string[]).includes(v);
}
