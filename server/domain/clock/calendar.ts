import { readFileSync } from 'node:fs';
import { z } from 'zod';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// China Standard Time has been a fixed UTC+8 with no daylight saving since 1991.
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Raised when a date falls in a year for which no holiday arrangement has been loaded. */
export class CalendarYearMissingError extends Error {
  readonly year: number;
  constructor(year: number) {
    super(
      `No official holiday arrangement for ${year}: the calendar data (schema/data/holidays-cn.json) must be extended with the State Council notice for ${year}`,
    );
    this.name = 'CalendarYearMissingError';
    this.year = year;
  }
}

export interface HolidayCalendar {
  isWorkingDay(date: string): boolean;
  years(): number[];
}

const isoDate = z.string().regex(DATE_RE);
export const holidayDataSchema = z.object({
  source: z.string(),
  years: z.record(
    z.string().regex(/^\d{4}$/),
    z.object({ holidays: z.array(isoDate), workdays: z.array(isoDate) }),
  ),
});
export type HolidayData = z.infer<typeof holidayDataSchema>;

function parseDate(date: string): { y: number; m: number; d: number } {
  const match = DATE_RE.exec(date);
  if (match) {
    const y = Number(match[1]);
    const m = Number(match[2]);
    const d = Number(match[3]);
    const dt = new Date(Date.UTC(y, m - 1, d));
    if (dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d) {
      return { y, m, d };
    }
  }
  throw new RangeError(`not a valid YYYY-MM-DD date: ${date}`);
}

/** Builds a calendar from holiday data; dates in years absent from the data throw CalendarYearMissingError. */
export function createCalendar(data: unknown): HolidayCalendar {
  const parsed = holidayDataSchema.parse(data);
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const [year, entry] of Object.entries(parsed.years)) {
    for (const d of [...entry.holidays, ...entry.workdays]) {
      parseDate(d);
      // A date filed under the wrong year would silently never be consulted.
      if (!d.startsWith(`${year}-`)) throw new Error(`holiday data for ${year} contains ${d}`);
    }
    for (const d of entry.holidays) holidays.add(d);
    for (const d of entry.workdays) {
      if (holidays.has(d)) throw new Error(`holiday data lists ${d} as both holiday and workday`);
      workdays.add(d);
    }
  }
  const years = Object.keys(parsed.years).map(Number).sort((a, b) => a - b);
  const yearSet = new Set(years);

  return {
    isWorkingDay(date: string): boolean {
      const { y, m, d } = parseDate(date);
      if (!yearSet.has(y)) throw new CalendarYearMissingError(y);
      if (workdays.has(date)) return true;
      if (holidays.has(date)) return false;
      const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
      return dow !== 0 && dow !== 6;
    },
    years: () => [...years],
  };
}

let cached: HolidayCalendar | undefined;

/** Loads the official calendar from schema/data/holidays-cn.json, once per process. */
export function loadCalendar(): HolidayCalendar {
  if (!cached) {
    const url = new URL('../../../schema/data/holidays-cn.json', import.meta.url);
    cached = createCalendar(JSON.parse(readFileSync(url, 'utf8')));
  }
  return cached;
}

/** The civil date (YYYY-MM-DD) of an instant in China Standard Time. */
export function localDate(instant: Date): string {
  const t = instant.getTime();
  if (Number.isNaN(t)) throw new RangeError('invalid Date');
  return new Date(t + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant 00:00:00.000 +08:00 on the given civil date. */
export function startOfLocalDay(date: string): Date {
  const { y, m, d } = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d) - CST_OFFSET_MS);
}

/** The instant 23:59:59.999 +08:00 on the given civil date. */
export function endOfLocalDay(date: string): Date {
  return new Date(startOfLocalDay(date).getTime() + DAY_MS - 1);
}

/** The civil date n days after (or before, if negative) the given date. */
export function addDaysToDate(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError('day count must be an integer');
  const { y, m, d } = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
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

/**
 * End of the local day n calendar days after `from`. Per CPL art. 85, a period
 * whose last day is a statutory rest day ends on the first working day after it.
 */
export function addCalendarDays(from: Date, n: number, cal: HolidayCalendar): Date {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('day count must be a non-negative integer');
  let date = addDaysToDate(localDate(from), n);
  while (!cal.isWorkingDay(date)) date = addDaysToDate(date, 1);
  return endOfLocalDay(date);
}

/** True once `now` is past the deadline instant. */
export function isOverdue(deadline: Date, now: Date): boolean {
  return now.getTime() > deadline.getTime();
}
