import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { addDaysToDate, dayOfWeek, endOfLocalDay, localDate, parseDate } from './dates';
import { provisionalHolidays, STATUTORY_HOLIDAYS_SOURCE } from './provisional';

export { addDaysToDate, addMonthsToDate, endOfLocalDay, localDate, startOfLocalDay } from './dates';

/**
 * OFFICIAL: the days of a published State Council notice. PROVISIONAL: computed from the statutory
 * holidays for a year whose notice is not published yet; replaced when it is.
 */
export type DayBasis = 'OFFICIAL' | 'PROVISIONAL';

export interface OfficialArrangement {
  year: number;
  /** Every day off of each arranged break, weekend days inside it included. */
  holidays: string[];
  /** Weekend days made working days (调休). */
  workdays: string[];
  source: string;
  publishedAt: Date | null;
}

export interface YearArrangement extends OfficialArrangement {
  basis: DayBasis;
}

export interface HolidayCalendar {
  isWorkingDay(date: string): boolean;
  basisOf(year: number): DayBasis;
  /** Years with an official notice, ascending. */
  years(): number[];
  arrangement(year: number): YearArrangement;
  /** The last year of the unbroken run of official years that contains the earliest; null when none. */
  officialThrough(): number | null;
  /** Replaces the official years, e.g. after reading them from the database. */
  setOfficial(list: OfficialArrangement[]): void;
  /** A copy with one year's notice added or replaced: what publishing it would change. */
  with(arrangement: OfficialArrangement): HolidayCalendar;
}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const holidayDataSchema = z.object({
  source: z.string(),
  years: z.record(
    z.string().regex(/^\d{4}$/),
    z.object({ holidays: z.array(isoDate), workdays: z.array(isoDate), source: z.string().optional() }),
  ),
});
export type HolidayData = z.infer<typeof holidayDataSchema>;

/** Checks one year's notice: real dates, all in that year, no day both off and worked. */
export function checkArrangement(a: { year: number; holidays: string[]; workdays: string[] }): string | null {
  const off = new Set<string>();
  for (const d of [...a.holidays, ...a.workdays]) {
    try {
      parseDate(d);
    } catch {
      return `${d} is not a real calendar day`;
    }
    // A date filed under the wrong year would silently never be consulted.
    if (!d.startsWith(`${a.year}-`)) return `${d} is not in ${a.year}`;
  }
  for (const d of a.holidays) off.add(d);
  for (const d of a.workdays) {
    if (off.has(d)) return `${d} is listed both as a holiday and as a workday`;
    const dow = dayOfWeek(d);
    if (dow !== 0 && dow !== 6) return `${d} is a weekday: only a weekend day can be made a working day`;
  }
  return null;
}

function build(list: OfficialArrangement[]): HolidayCalendar {
  let official = new Map<number, { holidays: Set<string>; workdays: Set<string>; arrangement: OfficialArrangement }>();
  const provisional = new Map<number, Set<string>>();

  function set(next: OfficialArrangement[]) {
    const map = new Map<number, { holidays: Set<string>; workdays: Set<string>; arrangement: OfficialArrangement }>();
    for (const a of next) {
      const problem = checkArrangement(a);
      if (problem) throw new Error(`holiday arrangement for ${a.year}: ${problem}`);
      map.set(a.year, { holidays: new Set(a.holidays), workdays: new Set(a.workdays), arrangement: a });
    }
    official = map;
  }
  function provisionalOf(year: number): Set<string> {
    let days = provisional.get(year);
    if (!days) {
      days = new Set(provisionalHolidays(year));
      provisional.set(year, days);
    }
    return days;
  }
  set(list);

  const calendar: HolidayCalendar = {
    isWorkingDay(date) {
      const { y } = parseDate(date);
      const entry = official.get(y);
      if (entry) {
        if (entry.workdays.has(date)) return true;
        if (entry.holidays.has(date)) return false;
      } else if (provisionalOf(y).has(date)) {
        return false;
      }
      const dow = dayOfWeek(date);
      return dow !== 0 && dow !== 6;
    },
    basisOf: (year) => (official.has(year) ? 'OFFICIAL' : 'PROVISIONAL'),
    years: () => [...official.keys()].sort((a, b) => a - b),
    arrangement(year) {
      const entry = official.get(year);
      if (entry) return { ...entry.arrangement, holidays: [...entry.arrangement.holidays].sort(), workdays: [...entry.arrangement.workdays].sort(), basis: 'OFFICIAL' };
      return { year, holidays: [...provisionalOf(year)], workdays: [], source: STATUTORY_HOLIDAYS_SOURCE, publishedAt: null, basis: 'PROVISIONAL' };
    },
    officialThrough() {
      const years = calendar.years();
      if (years.length === 0) return null;
      let last = years[0]!;
      while (official.has(last + 1)) last++;
      return last;
    },
    setOfficial: set,
    with(arrangement) {
      const others = [...official.values()].map((e) => e.arrangement).filter((a) => a.year !== arrangement.year);
      return build([...others, arrangement]);
    },
  };
  return calendar;
}

/** Builds a calendar from the official notices given; every other year is provisional. */
export function calendarOf(list: OfficialArrangement[]): HolidayCalendar {
  return build(list);
}

/** Builds a calendar from holiday data in the shape of schema/data/holidays-cn.json. */
export function createCalendar(data: unknown): HolidayCalendar {
  return build(arrangementsOf(data));
}

export function arrangementsOf(data: unknown): OfficialArrangement[] {
  const parsed = holidayDataSchema.parse(data);
  return Object.entries(parsed.years).map(([year, entry]) => ({
    year: Number(year),
    holidays: entry.holidays,
    workdays: entry.workdays,
    source: entry.source ?? parsed.source,
    publishedAt: null,
  }));
}

let seedData: OfficialArrangement[] | undefined;

/** The notices shipped in schema/data/holidays-cn.json, which seed the database. */
export function seedArrangements(): OfficialArrangement[] {
  if (!seedData) {
    const url = new URL('../../../schema/data/holidays-cn.json', import.meta.url);
    seedData = arrangementsOf(JSON.parse(readFileSync(url, 'utf8')));
  }
  return seedData.map((a) => ({ ...a }));
}

/** A new calendar holding the shipped notices; the server then replaces them with the database's. */
export function loadCalendar(): HolidayCalendar {
  return build(seedArrangements());
}

/**
 * End of the n-th working day after the local date of `from`; the day of `from`
 * itself is not counted, as in CPL art. 85 (期间开始的时和日，不计算在期间内).
 */
export function addWorkingDays(from: Date, n: number, cal: HolidayCalendar): Date {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('working day count must be a positive integer');
  let date = localDate(from);
  let counted = 0;
  while (counted < n) {
    date = addDaysToDate(date, 1);
    if (cal.isWorkingDay(date)) counted++;
  }
  return endOfLocalDay(date);
}

/** The first working day on or after `date`. */
export function rollToWorkingDay(date: string, cal: HolidayCalendar): string {
  let d = date;
  while (!cal.isWorkingDay(d)) d = addDaysToDate(d, 1);
  return d;
}

/**
 * End of the local day n calendar days after `from`. Per CPL art. 85, a period
 * whose last day is a statutory rest day ends on the first working day after it.
 */
export function addCalendarDays(from: Date, n: number, cal: HolidayCalendar): Date {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('day count must be a non-negative integer');
  return endOfLocalDay(rollToWorkingDay(addDaysToDate(localDate(from), n), cal));
}

/** True once `now` is past the deadline instant. */
export function isOverdue(deadline: Date, now: Date): boolean {
  return now.getTime() > deadline.getTime();
}
