import { fetchSunkMail, type SunkMessage } from "../dev/mail/client.ts";
import { testState } from "./state.ts";

/** Waits until the mail sink of this test file has a message for `to` matching `subject`. */
export async function waitForMail(to: string, subject?: RegExp, timeoutMs = 15_000): Promise<SunkMessage> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = (await fetchSunkMail(testState.sink!.httpUrl, to)).find((m) => !subject || subject.test(m.subject));
    if (found) return found;
    if (Date.now() > until)
      throw new Error(`no e-mail to ${to}${subject ? ` matching ${subject}` : ""} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function linkIn(message: SunkMessage, path: string): string {
  const m = message.text.match(new RegExp(`https?://\\S+${path}/([A-Za-z0-9_-]+)`));
  if (!m) throw new Error(`no ${path} link in: ${message.text}`);
  return m[1]!;
}
