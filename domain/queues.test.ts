import { readFileSync } from "node:fs";
import path from "node:path";
import { QUEUES } from "./queues.ts";
import { LOCALES, translator } from "./i18n/index.ts";

describe("background queues", () => {
  it("every queue the code registers has a name on the console's queue page in Kazakh and Russian", () => {
    // The worker's consumers (jobs/worker.ts) and the producers' list (QUEUES): the page lists the latter.
    const worker = readFileSync(path.resolve(import.meta.dirname, "../jobs/worker.ts"), "utf8");
    const consumed = [...worker.matchAll(/bullWorker\("([a-z_-]+)"/g)].map((m) => m[1]!);
    expect(consumed.length).toBeGreaterThan(0);
    expect(QUEUES).toEqual(expect.arrayContaining(consumed));
    for (const locale of LOCALES) {
      const t = translator(locale);
      const untranslated = QUEUES.filter((q) => {
        const name = t(`billingAdmin:queues.names.${q}`);
        return name === `queues.names.${q}` || name.trim() === "";
      });
      expect({ locale, untranslated }).toEqual({ locale, untranslated: [] });
    }
  });
});
