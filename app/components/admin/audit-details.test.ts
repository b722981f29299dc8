import { formatTiyn, translator } from "../../../domain/i18n/index.ts";
import { describeAudit, type Names } from "./audit-details.ts";

const names: Names = {
  users: { "11111111-1111-4111-8111-111111111111": { fullName: "Асель Нурланова", email: "asel@school.kz" } },
  trainees: { "22222222-2222-4222-8222-222222222222": "Сапаров Ерлан" },
};

describe("an audit entry's details as a person reads them", () => {
  it("names a plan change's plans in the reader's language", () => {
    const details = {
      wasKk: "Бастау",
      wasRu: "Старт",
      planKk: "Желі",
      planRu: "Сеть",
      effectiveOn: "2026-12-07",
      amountTiyn: 1_612_903,
    };
    expect(describeAudit(translator("ru"), names, "billing.plan_changed", details).sentence).toBe(
      `«Старт» → «Сеть» с 07.12.2026, доплата ${formatTiyn(1_612_903)}`,
    );
    expect(describeAudit(translator("kk"), names, "billing.plan_changed", details).sentence).toBe(
      `«Бастау» → «Желі», 07.12.2026 бастап, қосымша төлем ${formatTiyn(1_612_903)}`,
    );
  });

  it("is a sentence per event type, with names for ids, statuses, money and days in kk and ru", () => {
    const ru = translator("ru");
    const kk = translator("kk");
    expect(
      describeAudit(ru, names, "billing.access_changed", { from: "active", to: "suspended", reason: "нарушение" }),
    ).toEqual({ sentence: "Активна → Приостановлена. Причина: нарушение", facts: [] });
    expect(
      describeAudit(kk, names, "trainee.payment_added", {
        traineeId: "22222222-2222-4222-8222-222222222222",
        amountTiyn: 4_500_000,
      }).sentence,
    ).toBe("Оқушы: Сапаров Ерлан, сомасы 45\u00a0000,00\u00a0₸");
    expect(
      describeAudit(ru, names, "member.role_changed", {
        userId: "11111111-1111-4111-8111-111111111111",
        from: ["registrar"],
        to: ["director"],
      }).sentence,
    ).toBe("Асель Нурланова (asel@school.kz): Регистратор → Руководитель");
    expect(describeAudit(ru, names, "offer.published", { version: 3, effectiveFrom: "2026-12-15" }).sentence).toBe(
      "Редакция 3, вступает в силу 15.12.2026",
    );
  });

  it("is a list of labelled values for an event with no sentence or an entry missing a value it names, never JSON or ids", () => {
    const ru = translator("ru");
    const unknown = describeAudit(ru, names, "something.new", {
      userId: "11111111-1111-4111-8111-111111111111",
      archiveId: "33333333-3333-4333-8333-333333333333",
      reason: "проверка",
      trialDays: { from: 14, to: 30 },
      billing: { from: { graceDays: 7, knp: "859" }, to: { graceDays: 10, knp: "859" } },
      bytes: 1024,
    });
    expect(unknown.sentence).toBeNull();
    expect(unknown.facts).toEqual([
      ["Пользователь", "Асель Нурланова (asel@school.kz)"],
      ["Причина", "проверка"],
      ["Пробный период, дней", "14 → 30"],
      ["Настройки оплаты", "Дней полного доступа после срока: 7 → 10"],
      ["Размер, байт", "1024"],
    ]);
    expect(JSON.stringify(unknown)).not.toContain("3333");
    // The school's own update without the fields the sentence names (a contract template): a list.
    const template = describeAudit(ru, names, "school.updated", { contractTemplate: "kk", reset: true });
    expect(template).toEqual({
      sentence: null,
      facts: [
        ["Шаблон договора (язык)", "Қазақша"],
        ["Сброшен к исходному", "да"],
      ],
    });
  });
});
