import { addDays, almatyDate } from "../../server/kz/time.ts";

/** The seven dates of the week starting `monday`, and items put under their Astana-time day. */
export function weekByDay<T extends { startsAt: Date | string }>(monday: string, items: T[]) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const byDay = new Map(days.map((d) => [d, [] as T[]]));
  for (const item of items) byDay.get(almatyDate(new Date(item.startsAt)))?.push(item);
  return { days, byDay };
}
