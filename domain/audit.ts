// The audit log's vocabulary: every action the log records has a label in ./i18n/{kk,ru}/admin.ts
// (`actions`); a new action is a new label there. The server's audit() takes only these.
// Read from the reader's language: a page in the browser holds only that one (docs/decisions/050), and both
// languages label the same actions (domain/i18n/i18n.test.ts).
import { messagesOf, type Locale, type Messages } from "./i18n/index.ts";

export type AuditAction = keyof Messages["admin"]["actions"];

/** Every audit action, for the log's filter. */
export function auditActions(locale: Locale): AuditAction[] {
  return Object.keys(messagesOf(locale).admin.actions) as AuditAction[];
}

export function isAuditAction(v: unknown, locale: Locale): v is AuditAction {
  return typeof v === "string" && Object.hasOwn(messagesOf(locale).admin.actions, v);
}
