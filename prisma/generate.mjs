// Generates the Prisma client after `npm install`. Prisma 7's CLI otherwise downloads a native schema
// engine first (binaries.prisma.sh), which fails where only the npm registry is reachable; generating the
// client never runs that engine, so any existing file stands in for it (docs/decisions/001).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/false" };
if (!existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) env.PRISMA_SCHEMA_ENGINE_BINARY = process.execPath;
const r = spawnSync("npx", ["prisma", "generate", "--schema", "prisma/schema.prisma"], { stdio: "inherit", env });
process.exit(r.status ?? 1);
