// The iCalendar writer (RFC 5545): CRLF, folding at 75 octets without splitting a UTF-8 character, TEXT escaping.
import { escapeText, foldLine, icsCalendar, icsUtc, MAX_LINE_OCTETS } from "./ics.ts";

const octets = (s: string) => Buffer.byteLength(s, "utf8");

describe("the iCalendar writer", () => {
  it("escapes backslash, semicolon, comma and newlines in TEXT, and drops other control characters", () => {
    expect(escapeText("a\\b;c,d\ne\r\nf\rg\u0007h")).toBe("a\\\\b\\;c\\,d\\ne\\nf\\ng" + "h");
  });

  it("writes instants in UTC", () => {
    expect(icsUtc(new Date("2026-12-07T10:00:00+05:00"))).toBe("20261207T050000Z");
  });

  it("folds long Kazakh lines at 75 octets, never inside a character, and unfolds to the same text", () => {
    const value = `SUMMARY:${"Жүргізу: Сәрсенбаев Н. · 123ABC02 · Әліби Ұлжан Қуанышқызы · ".repeat(4)}`;
    const folded = foldLine(value);
    const physical = folded.split("\r\n");
    expect(physical.length).toBeGreaterThan(3);
    for (const [i, line] of physical.entries()) {
      expect(octets(line)).toBeLessThanOrEqual(MAX_LINE_OCTETS);
      if (i > 0) expect(line.startsWith(" ")).toBe(true);
      // A split two-octet letter would decode to U+FFFD.
      expect(Buffer.from(line, "utf8").toString("utf8")).not.toContain("\uFFFD");
    }
    expect(folded.replace(/\r\n /g, "")).toBe(value);
    // An ASCII line of exactly 75 octets stays one line.
    expect(foldLine("X".repeat(75))).toBe("X".repeat(75));
    expect(foldLine("X".repeat(76))).toBe(`${"X".repeat(75)}\r\n X`);
  });

  it("writes a calendar with CRLF line ends, its name and zone, and events with stable UIDs", () => {
    const text = icsCalendar({
      name: "Жүргізу — «Алматы, Жол»",
      timeZone: "Asia/Almaty",
      now: new Date("2026-12-07T04:20:00Z"),
      events: [
        {
          uid: "lesson-1@avtomektep.kz",
          start: new Date("2026-12-08T05:00:00Z"),
          end: new Date("2026-12-08T06:30:00Z"),
          summary: "Вождение: Иванов И.; 123ABC02",
          location: "Абай даңғылы, 1",
          description: "Отменено",
          status: "CANCELLED",
          sequence: 2,
        },
      ],
    });
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const lines = text.replace(/\r\n /g, "").split("\r\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "X-WR-CALNAME:Жүргізу — «Алматы\\, Жол»",
        "X-WR-TIMEZONE:Asia/Almaty",
        "UID:lesson-1@avtomektep.kz",
        "DTSTAMP:20261207T042000Z",
        "DTSTART:20261208T050000Z",
        "DTEND:20261208T063000Z",
        "SEQUENCE:2",
        "STATUS:CANCELLED",
        "SUMMARY:Вождение: Иванов И.\\; 123ABC02",
        "LOCATION:Абай даңғылы\\, 1",
        "END:VEVENT",
        "END:VCALENDAR",
      ]),
    );
  });
});
