// The web app (Express: tRPC, webhooks, Remix) in the test process, on a free port of loopback. Imported
// late, so a test file may change the environment (limits, URLs) before the app reads its config.
import type { Server } from "node:http";

export async function startWebApp(): Promise<{ base: string; close: () => Promise<void> }> {
  const { createWebApp } = await import("../server/web.ts");
  const app = await createWebApp();
  const server = await new Promise<Server>((r) => {
    const s = app.listen(0, "127.0.0.1", () => r(s));
  });
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { base, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * The web app for a test file: started before its tests, stopped after them. `web.base` is its address once
 * started (read it inside a test, not at import).
 */
export function webAppAround(): { base: string } {
  const web = { base: "" };
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ base: web.base, close } = await startWebApp());
  });
  afterAll(() => close?.());
  return web;
}

/** A signed-in member's cookie header in a language (saved on the user and in the language cookie). */
export async function signedInCookie(userId: string, locale: "kk" | "ru"): Promise<string> {
  const { callerFor, meta } = await import("./factories.ts");
  const { startSession } = await import("../server/auth/sessions.ts");
  await (await callerFor(userId)).auth.setLocale({ locale });
  return `${(await startSession(userId, meta)).cookie.split(";")[0]!}; am_lang=${locale}`;
}

/** A form posted as a browser without JavaScript posts it, not following the redirect it may answer with. */
export function postForm(cookie: string, fields: Record<string, string> | URLSearchParams): RequestInit {
  return {
    method: "POST",
    redirect: "manual",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: fields instanceof URLSearchParams ? fields : new URLSearchParams(fields),
  };
}

/**
 * The visible text of a served page: scripts and tags dropped, the entities pages use decoded, every run of space
 * (no-break ones too) one space — what a test compares with what a reader sees.
 */
export const visible = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;|\u00a0/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ");
