import { smsSchoolName } from "./sms-name.ts";

describe("a school's name in an SMS", () => {
  it("drops the legal form and the quotes, and keeps a name that fits whole", () => {
    expect(smsSchoolName("ТОО «Автошкола Жол»")).toBe("Автошкола Жол");
    expect(smsSchoolName("ЖШС „Жүргізуші“")).toBe("Жүргізуші");
    expect(smsSchoolName("ИП Сәрсенбаев")).toBe("Сәрсенбаев");
  });

  it("shortens a long name between words, marked with an ellipsis, never in the middle of a word", () => {
    const short = smsSchoolName("ТОО «Автомектеп Жол қауіпсіздігі және жүргізу өнері»");
    expect(short).toBe("Автомектеп Жол…");
    expect(short.length).toBeLessThanOrEqual(24);
    expect(smsSchoolName("Автошкола-Профессионал-Алматы-Центр")).toBe("Автошкола-Профессионал-…");
  });
});
