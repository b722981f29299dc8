// The feed's iCalendar text as a phone's calendar reads it: parsed back with ical.js; CRLF, lines folded at 75
// octets without splitting a Kazakh letter, TEXT escaped, instants in UTC.
import ICAL from "ical.js";
import { icsCalendar, MAX_LINE_OCTETS } from "./ics.ts";

const octets = (s: string) => Buffer.byteLength(s, "utf8");
const LONG = "Жүргізу: Сәрсенбаев Н. · 123ABC02 · Әліби Ұлжан Қуанышқызы · ".repeat(4);

const text = icsCalendar({
  name: "Жүргізу — «Алматы, Жол»",
  timeZone: "Asia/Almaty",
  now: new Date("2026-12-07T04:20:00Z"),
  events: [
    {
      uid: "lesson-1@avtomektep.kz",
      start: new Date("2026-12-08T10:00:00+05:00"),
      end: new Date("2026-12-08T11:30:00+05:00"),
      summary: "Вождение: Иванов И.; 123ABC02",
      location: "Абай даңғылы, 1",
      description: "Бірінші жол\nвторая строка \\ конец",
      status: "CANCELLED",
      sequence: 2,
    },
    {
      uid: "lesson-2@avtomektep.kz",
      start: new Date("2026-12-09T05:00:00Z"),
      end: new Date("2026-12-09T06:00:00Z"),
      summary: LONG,
      status: "CONFIRMED",
      sequence: 0,
    },
  ],
});

describe("the calendar feed's iCalendar text", () => {
  it("reads back in a calendar parser with its name, zone and events as written", () => {
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("Жүргізу — «Алматы, Жол»");
    expect(calendar.getFirstPropertyValue("x-wr-timezone")).toBe("Asia/Almaty");
    const [cancelled, long] = calendar.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    expect(cancelled!.uid).toBe("lesson-1@avtomektep.kz");
    expect(cancelled!.summary).toBe("Вождение: Иванов И.; 123ABC02");
    expect(cancelled!.location).toBe("Абай даңғылы, 1");
    expect(cancelled!.description).toBe("Бірінші жол\nвторая строка \\ конец");
    expect(cancelled!.sequence).toBe(2);
    expect(cancelled!.component.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(cancelled!.startDate.toJSDate().toISOString()).toBe("2026-12-08T05:00:00.000Z");
    expect(cancelled!.endDate.toJSDate().toISOString()).toBe("2026-12-08T06:30:00.000Z");
    expect(long!.summary).toBe(LONG);
    expect(long!.component.getFirstPropertyValue("status")).toBe("CONFIRMED");
  });

  it("writes instants in UTC and escapes TEXT", () => {
    const lines = text.replace(/\r\n /g, "").split("\r\n");
    expect(lines).toEqual(
      expect.arrayContaining([
        "DTSTART:20261208T050000Z",
        "DTEND:20261208T063000Z",
        "DTSTAMP:20261207T042000Z",
        "SUMMARY:Вождение: Иванов И.\\; 123ABC02",
        "LOCATION:Абай даңғылы\\, 1",
      ]),
    );
  });

  it("ends lines with CRLF and folds long Kazakh lines at 75 octets, never inside a letter", () => {
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const physical = text.split("\r\n");
    expect(physical.filter((l) => l.startsWith(" ")).length).toBeGreaterThan(3);
    for (const line of physical) {
      expect(octets(line)).toBeLessThanOrEqual(MAX_LINE_OCTETS);
      // a split two-octet letter would decode to U+FFFD
      expect(Buffer.from(line, "utf8").toString("utf8")).not.toContain("\uFFFD");
    }
  });
});
