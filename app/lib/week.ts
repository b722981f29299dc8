import { addDays, almatyDate, isCalendarDay, mondayOf } from "../../domain/kz/time.ts";

/** The seven dates of the week starting `monday`, and items put under their Astana-time day. */
export function weekByDay<T extends { startsAt: Date | string }>(monday: string, items: T[]) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const byDay = new Map(days.map((d) => [d, [] as T[]]));
  for (const item of items) byDay.get(almatyDate(new Date(item.startsAt)))?.push(item);
  return { days, byDay };
}

/** Today in Astana and the Monday of the week the page shows (`?week=YYYY-MM-DD`, else this week). */
export function weekFromUrl(url: URL, now = new Date()): { today: string; monday: string } {
  const today = almatyDate(now);
  const param = url.searchParams.get("week");
  return { today, monday: mondayOf(param && isCalendarDay(param) ? param : today) };
}
