// The school's contract template is text a director types; one 15,000-letter word or a placeholder repeated
// 200 times made every later contract download take tens of seconds. Saving is bounded; rendering is safe
// anyway, so a template saved before the bounds can't hold downloads up either.
import PDFDocument from "pdfkit";
import type { TRPCError } from "@trpc/server";
import { operatorDb } from "../db/client.ts";
import { describeError } from "../trpc.ts";
import { pdfText } from "../../tests/documents.ts";
import { createSchool, traineeInput } from "../../tests/factories.ts";
import { MAX_PLACEHOLDERS, MAX_TEMPLATE_CHARS } from "./contract-template.ts";

let a: Awaited<ReturnType<typeof createSchool>>;
beforeAll(async () => {
  a = await createSchool();
});

async function refusal(p: Promise<unknown>) {
  const e = await p.then(
    () => null,
    (err: unknown) => err as TRPCError,
  );
  expect(e).not.toBeNull();
  return { ru: describeError(e!, "ru"), kk: describeError(e!, "kk") };
}

describe("saving the contract template", () => {
  it("refuses a text over 30,000 characters, saying the limit and the length in kk and ru", async () => {
    expect(MAX_TEMPLATE_CHARS).toBe(30_000);
    const r = await refusal(
      a.director.exports.saveContractTemplate({ school: a.slug, locale: "ru", body: "Договор. ".repeat(4_000) }),
    );
    expect(r.ru.fieldErrors).toEqual({ body: "Текст договора — не длиннее 30\u00a0000 символов (сейчас 35\u00a0999)" });
    expect(r.kk.fieldErrors).toEqual({ body: "Шарт мәтіні 30\u00a0000 таңбадан аспауы керек (қазір 35\u00a0999)" });
  });

  it("refuses more than 100 placeholders, and takes 100", async () => {
    expect(MAX_PLACEHOLDERS).toBe(100);
    const body = (n: number) => `Договор № {{contract.number}}\n${"{{trainee.fullName}} ".repeat(n - 1)}`;
    const r = await refusal(a.director.exports.saveContractTemplate({ school: a.slug, locale: "kk", body: body(200) }));
    expect(r.ru.fieldErrors).toEqual({
      body: "В тексте договора не больше 100 подстановок вида {{trainee.fullName}} (сейчас 200)",
    });
    expect(r.kk.fieldErrors?.body).toBe(
      "Шарт мәтінінде {{trainee.fullName}} түріндегі алмастырулар 100-ден аспауы керек (қазір 200)",
    );
    await expect(
      a.director.exports.saveContractTemplate({ school: a.slug, locale: "kk", body: body(100) }),
    ).resolves.toEqual({ locale: "kk" });
  });
});

describe("a template saved before the bounds", () => {
  it("still downloads: a 15,000-letter word and a placeholder glued 200 times are laid out with bounded work, all of the text kept", async () => {
    const t = await a.director.trainees.create({ school: a.slug, ...traineeInput({ lastName: "Ұзынсөзов" }) });
    const word = "Ұ".repeat(15_000);
    const glued = "{{trainee.iin}}".repeat(200);
    // straight into the table, as an old save (or a restore) could have left it
    await operatorDb().contractTemplate.upsert({
      where: { schoolId_locale: { schoolId: a.schoolId, locale: "ru" } },
      create: { schoolId: a.schoolId, locale: "ru", body: `# Договор\n${word}\n${glued}\nКонец`, updatedBy: a.userId },
      update: { body: `# Договор\n${word}\n${glued}\nКонец`, updatedBy: a.userId },
    });
    const spy = vi.spyOn(PDFDocument.prototype, "widthOfString");
    let file: Awaited<ReturnType<typeof a.director.exports.contract>>;
    try {
      file = await a.director.exports.contract({ school: a.slug, id: t.id, lang: "ru" });
      // characters pdfkit measured to lay the text out: a few times its length (it was ~1.6 million for the word alone)
      expect(spy.mock.calls.reduce((sum, [s]) => sum + String(s).length, 0)).toBeLessThan(200_000);
    } finally {
      spy.mockRestore();
    }
    const text = (await pdfText(Buffer.from(file.base64, "base64"))).replace(/[\s\u200b]+/g, "");
    const iin = (await operatorDb().trainee.findUniqueOrThrow({ where: { id: t.id } })).iin;
    expect(text).toBe(`Договор${word}${iin.repeat(200)}Конец`);
  });
});
