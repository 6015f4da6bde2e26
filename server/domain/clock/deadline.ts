import { addDaysToDate, addMonthsToDate, endOfLocalDay, localDate, yearOf } from './dates';
import { rollToWorkingDay, type DayBasis, type HolidayCalendar } from './calendar';

/**
 * How a deadline is counted. WORKING_DAYS: n working days after the start day. CALENDAR_DAYS,
 * MONTHS, YEARS: the period after the start day, its last day rolled past rest days (CPL 85).
 */
export type DeadlineRule = 'WORKING_DAYS' | 'CALENDAR_DAYS' | 'MONTHS' | 'YEARS';

export interface DeadlineSpec {
  rule: DeadlineRule;
  amount: number;
  /** The instant the period starts from; its own day is not counted (CPL 85). */
  startAt: Date;
}

export interface ComputedDeadline extends DeadlineSpec {
  dueAt: Date;
  /** PROVISIONAL when any day the count consulted lies in a year without a published notice. */
  basis: DayBasis;
  /** Years whose days the count consulted. */
  years: number[];
}

function span(from: string, to: string): number[] {
  const years: number[] = [];
  for (let y = yearOf(from); y <= yearOf(to); y++) years.push(y);
  return years;
}

/** Computes a deadline and records which calendar it rests on. Never throws for a future year. */
export function computeDeadline(cal: HolidayCalendar, spec: DeadlineSpec): ComputedDeadline {
  const { rule, amount, startAt } = spec;
  if (!Number.isInteger(amount) || amount < (rule === 'WORKING_DAYS' ? 1 : 0)) throw new RangeError(`bad deadline amount ${amount}`);
  const start = localDate(startAt);
  let last: string;
  let firstConsulted: string;
  if (rule === 'WORKING_DAYS') {
    let date = start;
    let counted = 0;
    while (counted < amount) {
      date = addDaysToDate(date, 1);
      if (cal.isWorkingDay(date)) counted++;
    }
    last = date;
    firstConsulted = addDaysToDate(start, 1);
  } else {
    const end =
      rule === 'CALENDAR_DAYS' ? addDaysToDate(start, amount) : addMonthsToDate(start, rule === 'MONTHS' ? amount : amount * 12);
    last = rollToWorkingDay(end, cal);
    firstConsulted = end;
  }
  const years = span(firstConsulted, last);
  const basis: DayBasis = years.every((y) => cal.basisOf(y) === 'OFFICIAL') ? 'OFFICIAL' : 'PROVISIONAL';
  return { rule, amount, startAt, dueAt: endOfLocalDay(last), basis, years };
}

/** A human description of the rule, e.g. "3个工作日" or "30日（末日遇节假日顺延）". */
export function describeRule(rule: DeadlineRule, amount: number): string {
  switch (rule) {
    case 'WORKING_DAYS':
      return `${amount}个工作日`;
    case 'CALENDAR_DAYS':
      return `${amount}日（期间届满的最后一日是法定休假日的，以法定休假日后的第一日为期间的最后一日）`;
    case 'MONTHS':
      return `${amount}个月（末日遇法定休假日顺延）`;
    case 'YEARS':
      return `${amount}年（末日遇法定休假日顺延）`;
  }
}
