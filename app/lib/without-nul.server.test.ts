import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withoutNul } from "./without-nul.server.ts";

describe("withoutNul: what React's stream leaves between a letter's bytes is gone, nothing else", () => {
  it("gives back the Kazakh and Russian text whatever NULs fell into it, wherever", () => {
    const text = fc.string({
      unit: fc.constantFrom(...'Белгіні түзету · Отметка сохранена <a href="/s">ӘҒҚҢӨҰҮҺІ</a> 07.12.2026'),
    });
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 8 }), (words, at) => {
        const bytes = [...Buffer.from(words)];
        for (const k of at) bytes.splice(k % (bytes.length + 1), 0, 0);
        expect(withoutNul(Buffer.from(bytes)).toString()).toBe(words);
      }),
    );
  });

  it("passes a chunk with no NUL on as it is", () => {
    const chunk = Buffer.from("Сабақ 09:00–10:30");
    expect(withoutNul(chunk)).toBe(chunk);
  });
});
