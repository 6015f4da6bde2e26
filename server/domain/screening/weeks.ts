import { addDaysToDate, addWorkingDays, endOfLocalDay, localDate, type HolidayCalendar } from '../clock/calendar';

const WEEK_RE = /^(\d{4})-W(\d{2})$/;

/** Monday (YYYY-MM-DD) of an ISO week such as 2026-W48; null when the week does not exist. */
export function weekStartOf(week: string): string | null {
  const m = WEEK_RE.exec(week);
  if (!m) return null;
  const year = Number(m[1]);
  const n = Number(m[2]);
  // ISO 8601: week 1 holds January 4th.
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday1 = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000);
  const start = new Date(monday1.getTime() + (n - 1) * 7 * 86_400_000);
  if (n < 1 || isoWeekOf(start.toISOString().slice(0, 10)) !== week) return null;
  return start.toISOString().slice(0, 10);
}

/** The ISO week (YYYY-Www) of a civil date. */
export function isoWeekOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  const thursday = new Date(d.getTime() + (3 - dow) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** A week's report is due by the end of the first working day after its Sunday. */
export function reportDueAt(weekStart: string, cal: HolidayCalendar): Date {
  return addWorkingDays(endOfLocalDay(addDaysToDate(weekStart, 6)), 1, cal);
}

/** The ISO week of an instant (China time). */
export function weekOfInstant(now: Date): string {
  return isoWeekOf(localDate(now));
}
