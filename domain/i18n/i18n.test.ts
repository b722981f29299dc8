import { resources, translator } from "./index.ts";

function keys(obj: unknown, prefix = ""): string[] {
  if (typeof obj !== "object" || obj === null) return [prefix];
  return Object.entries(obj).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function leaves(obj: unknown): string[] {
  if (typeof obj === "string") return [obj];
  return typeof obj === "object" && obj ? Object.values(obj).flatMap(leaves) : [];
}

describe("translations", () => {
  it("Kazakh and Russian have exactly the same keys in every namespace", () => {
    expect(Object.keys(resources.kk).sort()).toEqual(Object.keys(resources.ru).sort());
    for (const ns of Object.keys(resources.kk) as (keyof typeof resources.kk)[]) {
      expect({ ns, keys: keys(resources.kk[ns]).sort() }).toEqual({ ns, keys: keys(resources.ru[ns]).sort() });
    }
  });

  it("prints a school's name as registered: never in our own quotes, never after our own word for a school", () => {
    // the registered name often is «Автошкола „Жол“» already: "Автошкола «{{school}}»" printed it twice
    const doubled =
      /[«"„“]\{\{school\}\}|(?:автошкол|автомектеп)\p{L}*\s+\{\{school\}\}|\{\{school\}\}»?\s+(?:автошкол|автомектеб)/iu;
    const offending = (["kk", "ru"] as const).flatMap((lang) =>
      leaves(resources[lang]).filter((text) => doubled.test(text)),
    );
    expect(offending).toEqual([]);
  });

  it("no text is empty and each uses the same placeholders in both languages", () => {
    for (const ns of Object.keys(resources.kk) as (keyof typeof resources.kk)[]) {
      for (const key of keys(resources.kk[ns])) {
        const get = (lang: "kk" | "ru") =>
          key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], resources[lang][ns]);
        const kk = String(get("kk"));
        const ru = String(get("ru"));
        expect({ key: `${ns}:${key}`, empty: kk.trim() === "" || ru.trim() === "" }).toEqual({
          key: `${ns}:${key}`,
          empty: false,
        });
        const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
        expect({ key: `${ns}:${key}`, vars: vars(kk) }).toEqual({ key: `${ns}:${key}`, vars: vars(ru) });
      }
    }
  });

  it("Kazakh texts use Kazakh letters somewhere in every namespace that has prose", () => {
    for (const ns of ["common", "errors", "email", "landing"] as const) {
      expect(leaves(resources.kk[ns]).some((s) => /[әғқңөұүһі]/i.test(s))).toBe(true);
    }
  });

  it("interpolates values", () => {
    expect(translator("ru")("errors:tooShort", { min: 10 })).toBe("Не короче 10 символов");
    expect(translator("kk")("errors:tooShort", { min: 10 })).toBe("Кемінде 10 таңба");
  });
});

describe("dates, times and money", () => {
  it("shows instants in Astana time (UTC+5), the same way in both languages", async () => {
    const { formatDateTime, formatDate } = await import("./index.ts");
    expect(formatDateTime("2026-11-25T20:30:00Z", "kk")).toBe("26.11.2026, 01:30");
    expect(formatDateTime("2026-11-25T20:30:00Z", "ru")).toBe("26.11.2026, 01:30");
    expect(formatDate(new Date("2026-12-31T19:00:00Z"), "ru")).toBe("01.01.2027");
  });

  it("never shifts a calendar date such as a birth date", async () => {
    const { formatDate } = await import("./index.ts");
    expect(formatDate("2006-08-09", "kk")).toBe("09.08.2006");
  });

  it("shows tiyn as tenge with two decimals and a space between thousands", async () => {
    const { formatTiyn } = await import("./index.ts");
    expect(formatTiyn(4_500_000)).toBe("45\u00a0000,00\u00a0₸");
    expect(formatTiyn(5)).toBe("0,05\u00a0₸");
  });
});
