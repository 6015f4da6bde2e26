import { asc, sql } from 'drizzle-orm';
import { holidayArrangements } from '../../../schema';
import type { Executor } from '../../db';
import type { Clock } from '../context';
import { localDate } from './dates';
import type { HolidayCalendar, OfficialArrangement } from './calendar';

/** The official notices in the database, which is what the calendar reads. */
export async function readArrangements(db: Executor): Promise<OfficialArrangement[]> {
  const rows = await db.select().from(holidayArrangements).orderBy(asc(holidayArrangements.year));
  return rows.map((r) => ({ year: r.year, holidays: r.holidays, workdays: r.workdays, source: r.source, publishedAt: r.publishedAt }));
}

/** A fingerprint of the published notices: other instances reload when it changes. */
export async function arrangementsVersion(db: Executor): Promise<string> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int`, latest: sql<string | null>`max(${holidayArrangements.publishedAt})::text` })
    .from(holidayArrangements);
  return `${row?.n ?? 0}:${row?.latest ?? ''}`;
}

const versions = new WeakMap<HolidayCalendar, string>();

/** Loads the notices from the database into the calendar when they changed since the last load. */
export async function refreshCalendar(db: Executor, calendar: HolidayCalendar): Promise<boolean> {
  const version = await arrangementsVersion(db);
  if (versions.get(calendar) === version) return false;
  calendar.setOfficial(await readArrangements(db));
  versions.set(calendar, version);
  return true;
}

export interface CalendarCoverage {
  /** The last year of unbroken official days; null when there are none. */
  officialThrough: number | null;
  officialYears: number[];
  /** The current year and the next, with their basis. */
  currentYear: number;
  nextYearOfficial: boolean;
  /** From 1 October (China time), next year's notice is expected: a warning when it is missing. */
  warning: string | null;
}

/** What the platform knows about the calendar, for /readyz, admins and the daily warning. */
export function calendarCoverage(calendar: HolidayCalendar, clock: Clock): CalendarCoverage {
  const today = localDate(clock.now());
  const year = Number(today.slice(0, 4));
  const nextYearOfficial = calendar.basisOf(year + 1) === 'OFFICIAL';
  const late = today.slice(5) >= '10-01';
  const warning =
    calendar.basisOf(year) !== 'OFFICIAL'
      ? `No official holiday notice for ${year}: deadlines use provisional days computed from the statutory holidays.`
      : late && !nextYearOfficial
        ? `No official holiday notice for ${year + 1} yet: deadlines reaching ${year + 1} use provisional days until it is published.`
        : null;
  return { officialThrough: calendar.officialThrough(), officialYears: calendar.years(), currentYear: year, nextYearOfficial, warning };
}
