// `npm run build` (after `remix build`): the web server and the worker compiled to one ES module each in
// build/server/, which `npm start`, `npm run web` and `npm run worker` run with plain `node` — no TypeScript
// loader in a production process (ADR 047: tsx's loader thread and the transpiled sources cost the web process
// ~70 MB at rest). Packages stay in node_modules; only our own code (app's server side, server, jobs, domain) is
// bundled. Function names are kept, so stack traces in the logs still name them.
import path from "node:path";
import { build } from "esbuild";
import { projectRoot, SERVER_BUILD } from "../root.ts";

const started = Date.now();
await build({
  absWorkingDir: projectRoot,
  // web.mjs starts one web process (web-app.mjs) or forks several (server/web-main.ts, ADR 052).
  entryPoints: { web: "server/web-main.ts", "web-app": "server/web.ts", worker: "jobs/worker.ts" },
  outdir: path.dirname(SERVER_BUILD.web),
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  keepNames: true,
  logLevel: "warning",
});
console.log(`server built in ${Date.now() - started} ms: build/server/web.mjs, web-app.mjs, worker.mjs`);
