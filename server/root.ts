// The project's root directory (where package.json is), from wherever this module runs: its own source file
// under tsx, or the compiled server in build/server/ (server/cli/build-server.ts), where every module's
// import.meta.dirname is the bundle's. Files the server reads at run time (the Remix build, migrations, seed
// data) are found from here, never relative to a source file.
import { existsSync } from "node:fs";
import path from "node:path";

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const projectRoot = findRoot(import.meta.dirname);

/** The compiled server (`npm run build`): what production runs. */
export const SERVER_BUILD = {
  web: path.join(projectRoot, "build/server/web.mjs"),
  worker: path.join(projectRoot, "build/server/worker.mjs"),
};
