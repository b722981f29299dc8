import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    globals: true,
    environment: "node",
    include: [
      "server/**/*.test.ts",
      "jobs/**/*.test.ts",
      "app/**/*.test.ts",
      "domain/**/*.test.ts",
      "tests/**/*.test.ts",
      "dev/**/*.test.ts",
    ],
    globalSetup: ["tests/global-setup.ts"],
    setupFiles: ["tests/setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
