// A small iCalendar (RFC 5545) writer for the calendar feeds (docs/decisions/033-calendar-feeds.md): what a
// phone's subscribed calendar needs and nothing more. Times are written in UTC (the "Z" form needs no
// VTIMEZONE); X-WR-TIMEZONE tells calendar apps the school's zone for display. Pure: the clock is passed in.

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

const CRLF = "\r\n";
/** A content line's longest physical line in octets, the CRLF not counted (RFC 5545 3.1). */
export const MAX_LINE_OCTETS = 75;

/** 2026-12-07T04:20:00.000Z → 20261207T042000Z */
export function icsUtc(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/**
 * TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newline; other control characters
 * (which a TEXT value may not hold) are dropped.
 */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\n/g, "\\n");
}

/**
 * Folds one content line into physical lines of at most 75 octets, each continuation starting with a space
 * (RFC 5545 3.1). Splits between characters, never inside a UTF-8 sequence: Kazakh and Russian letters are two
 * octets each, and a split one would reach the phone as two broken characters.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, "utf8");
    // The first physical line holds 75 octets; a continuation's leading space takes one of its 75.
    const limit = out.length === 0 ? MAX_LINE_OCTETS : MAX_LINE_OCTETS - 1;
    if (octets + size > limit) {
      out.push(current);
      current = "";
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join(`${CRLF} `);
}

function eventLines(e: IcsEvent, stamp: string): string[] {
  const lines = [
    "BEGIN:VEVENT",
    `UID:${escapeText(e.uid)}`,
    `DTSTAMP:${stamp}`,
    `DTSTART:${icsUtc(e.start)}`,
    `DTEND:${icsUtc(e.end)}`,
    `SEQUENCE:${Math.max(0, Math.floor(e.sequence))}`,
    `STATUS:${e.status}`,
    `SUMMARY:${escapeText(e.summary)}`,
  ];
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  // Cancelled events stay in the feed so a phone that kept a copy drops it; they don't block time.
  lines.push(`TRANSP:${e.status === "CANCELLED" ? "TRANSPARENT" : "OPAQUE"}`, "END:VEVENT");
  return lines;
}

/** The whole calendar as iCalendar text: CRLF line ends, folded lines, UTF-8. */
export function icsCalendar(cal: IcsCalendar): string {
  const stamp = icsUtc(cal.now);
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Avtomektep//Calendar feed//KK",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(cal.name)}`,
    `X-WR-TIMEZONE:${cal.timeZone}`,
    // How often a calendar app should fetch again (RFC 7986, and Apple's and Google's older name for it).
    "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    "X-PUBLISHED-TTL:PT1H",
    ...cal.events.flatMap((e) => eventLines(e, stamp)),
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
