// The iCalendar (RFC 5545) text of a calendar feed (docs/decisions/033-calendar-feeds.md), written by
// ical-generator: CRLF line ends, lines folded at 75 octets without splitting a UTF-8 character, TEXT escaped.
// Times are written in UTC (the "Z" form needs no VTIMEZONE); X-WR-TIMEZONE tells calendar apps the school's
// zone for display. Pure: the clock is passed in.
import ical, { ICalCalendarMethod, ICalEventStatus, ICalEventTransparency } from "ical-generator";

/** One event of a feed. `uid` must stay the same for the same lesson across fetches. */
export type IcsEvent = {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  location?: string | null;
  description?: string | null;
  status: "CONFIRMED" | "CANCELLED";
  /** Grows each time the event changes (a move, a mark, a cancellation), so a phone takes the new version. */
  sequence: number;
};

export type IcsCalendar = { name: string; timeZone: string; now: Date; events: readonly IcsEvent[] };

/** A content line's longest physical line in octets, the CRLF not counted (RFC 5545 3.1). */
export const MAX_LINE_OCTETS = 75;

/** The whole calendar as iCalendar text. */
export function icsCalendar(cal: IcsCalendar): string {
  const calendar = ical({
    name: cal.name,
    prodId: { company: "Avtomektep", product: "Calendar feed", language: "KK" },
    method: ICalCalendarMethod.PUBLISH,
    // how often a calendar app should fetch again: REFRESH-INTERVAL (RFC 7986) and X-PUBLISHED-TTL
    ttl: 60 * 60,
    x: { "X-WR-TIMEZONE": cal.timeZone },
  });
  for (const e of cal.events) {
    const cancelled = e.status === "CANCELLED";
    calendar.createEvent({
      id: e.uid,
      stamp: cal.now,
      start: e.start,
      end: e.end,
      summary: e.summary,
      location: e.location ?? null,
      description: e.description ?? null,
      status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      sequence: Math.max(0, Math.floor(e.sequence)),
      // Cancelled events stay in the feed so a phone that kept a copy drops it; they don't block time.
      transparency: cancelled ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
    });
  }
  // RFC 5545 ends every content line with CRLF, the last one too; ical-generator leaves the last one bare
  const text = calendar.toString();
  return text.endsWith("\r\n") ? text : `${text}\r\n`;
}
