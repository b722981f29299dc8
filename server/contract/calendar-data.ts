// Kazakhstan's working-day calendar as data, per year (Labour Code: weekends, public holidays, and the
// government's yearly decree transfers). The operator can replace a year from the console (table work_calendar);
// this built-in data is the default. Carry-overs ("a holiday on a day off moves the next working day off") are
// computed by calendar.ts from the holidays, so a year lists only the holidays themselves and the decree transfers.

export type Holiday = { date: string; name: string; religious?: boolean };
export type Transfer = { date: string; act: string };
export type YearCalendar = {
  year: number;
  holidays: Holiday[];
  /** Extra days off by decree (a bridge day). */
  daysOff: Transfer[];
  /** Working days by decree (a working Saturday given in exchange). */
  workingDays: Transfer[];
};

/** The fixed-date holidays of every year (the Labour Code's list); Kurban Ait is added per year. */
function fixedHolidays(year: number): Holiday[] {
  const d = (md: string) => `${year}-${md}`;
  return [
    { date: d("01-01"), name: "Жаңа жыл / Новый год" },
    { date: d("01-02"), name: "Жаңа жыл / Новый год" },
    { date: d("01-07"), name: "Православиелік Рождество / Рождество Христово", religious: true },
    { date: d("03-08"), name: "Халықаралық әйелдер күні / Международный женский день" },
    { date: d("03-21"), name: "Наурыз мейрамы / Наурыз мейрамы" },
    { date: d("03-22"), name: "Наурыз мейрамы / Наурыз мейрамы" },
    { date: d("03-23"), name: "Наурыз мейрамы / Наурыз мейрамы" },
    { date: d("05-01"), name: "Қазақстан халқының бірлігі мерекесі / Праздник единства народа Казахстана" },
    { date: d("05-07"), name: "Отан қорғаушы күні / День защитника Отечества" },
    { date: d("05-09"), name: "Жеңіс күні / День Победы" },
    { date: d("07-06"), name: "Астана күні / День столицы" },
    { date: d("08-30"), name: "Конституция күні / День Конституции" },
    { date: d("10-25"), name: "Республика күні / День Республики" },
    { date: d("12-16"), name: "Тәуелсіздік күні / День Независимости" },
  ];
}

const kurbanAit = (date: string): Holiday => ({ date, name: "Құрбан айт / Курбан айт", religious: true });

export const BUILTIN_CALENDAR: YearCalendar[] = [
  {
    year: 2025,
    holidays: [...fixedHolidays(2025), kurbanAit("2025-06-06")],
    // Government decree for 2025: the day off of Saturday 5 July moved to Friday 3 January.
    daysOff: [{ date: "2025-01-03", act: "Постановление Правительства РК о переносе выходных дней в 2025 году" }],
    workingDays: [{ date: "2025-07-05", act: "Постановление Правительства РК о переносе выходных дней в 2025 году" }],
  },
  {
    year: 2026,
    holidays: [...fixedHolidays(2026), kurbanAit("2026-05-27")],
    daysOff: [], // no decree transfers assumed for 2026; the operator adds them when published
    workingDays: [],
  },
  {
    year: 2027,
    // Kurban Ait 2027 is expected on 16 May (a Sunday; religious, not carried over): confirm when set.
    holidays: [...fixedHolidays(2027), kurbanAit("2027-05-16")],
    daysOff: [],
    workingDays: [],
  },
];

/** A year without data (before 2025, after 2027) still has its fixed holidays. */
export function defaultYear(year: number): YearCalendar {
  return (
    BUILTIN_CALENDAR.find((y) => y.year === year) ?? {
      year,
      holidays: fixedHolidays(year),
      daysOff: [],
      workingDays: [],
    }
  );
}
