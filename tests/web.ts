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
