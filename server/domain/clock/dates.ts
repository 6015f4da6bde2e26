/** Civil dates (YYYY-MM-DD) in China Standard Time and the instants that bound them. */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
// China Standard Time has been a fixed UTC+8 with no daylight saving since 1991.
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export function parseDate(date: string): { y: number; m: number; d: number } {
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

export function isValidDate(date: string): boolean {
  try {
    parseDate(date);
    return true;
  } catch {
    return false;
  }
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
 * The civil date n months later, on the same day of the month, or the month's last day when it has
 * no such day (31 January + 1 month = 28/29 February; 29 February + 12 months = 28 February).
 */
export function addMonthsToDate(date: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError('month count must be an integer');
  const { y, m, d } = parseDate(date);
  const first = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}

export function dayOfWeek(date: string): number {
  const { y, m, d } = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function yearOf(date: string): number {
  return parseDate(date).y;
}
