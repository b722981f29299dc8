// `npm run web` / `npm start`'s web process (build/server/web.mjs): one web process (./web.ts, loaded here), or
// with WEB_PROCESSES > 1 a primary that loads none of the application — it only forks the processes and keeps
// them running (./http/cluster.ts, docs/decisions/052), so it holds ~40 MB, not a web process's 200.
import cluster from "node:cluster";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { config } from "./config.ts";
import { refuseDevSecrets } from "./secrets.ts";

// Compiled, the application is its own module beside this one (server/cli/build-server.ts); under tsx, web.ts.
const here = fileURLToPath(import.meta.url);
const app = here.endsWith(".mjs")
  ? path.join(path.dirname(here), "web-app.mjs")
  : path.join(path.dirname(here), "web.ts");

// In production (or with a real Stripe key) no public dev secret may be in use: one line per variable, exit 1.
refuseDevSecrets("web");
if (config().WEB_PROCESSES > 1 && cluster.isPrimary) {
  const { runWebProcesses } = await import("./http/cluster.ts");
  runWebProcesses(config().WEB_PROCESSES, app);
} else {
  const { serveWeb } = (await import(app)) as typeof import("./web.ts");
  await serveWeb();
}
