import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addDaysToDate,
  addWorkingDays,
  createCalendar,
  endOfLocalDay,
  isOverdue,
  loadCalendar,
  localDate,
  startOfLocalDay,
} from '../../server/domain/clock/calendar';

const cal = loadCalendar();

describe('local dates in China Standard Time', () => {
  it('16:30Z is already the next local day', () => {
    expect(localDate(new Date('2026-02-13T16:30:00Z'))).toBe('2026-02-14');
    expect(localDate(new Date('2026-02-13T15:59:59.999Z'))).toBe('2026-02-13');
  });
  it('day bounds are at +08:00', () => {
    expect(startOfLocalDay('2026-02-14').toISOString()).toBe('2026-02-13T16:00:00.000Z');
    expect(endOfLocalDay('2026-02-14').toISOString()).toBe('2026-02-14T15:59:59.999Z');
  });
  it('adds days across month and year ends', () => {
    expect(addDaysToDate('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDaysToDate('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDaysToDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(() => addDaysToDate('2026-02-30', 1)).toThrow(RangeError);
  });
});

describe('official working days', () => {
  it('follows the 2025 and 2026 notices', () => {
    expect(cal.years()).toEqual([2025, 2026]);
    expect(cal.isWorkingDay('2026-02-14')).toBe(true); // Saturday made a working day
    expect(cal.isWorkingDay('2026-02-16')).toBe(false); // Spring Festival Monday
    expect(cal.isWorkingDay('2026-02-23')).toBe(false);
    expect(cal.isWorkingDay('2026-02-24')).toBe(true);
    expect(cal.isWorkingDay('2026-03-07')).toBe(false); // ordinary Saturday
    expect(cal.isWorkingDay('2025-01-26')).toBe(true); // Sunday made a working day
    expect(cal.isWorkingDay('2025-10-08')).toBe(false);
  });
  it('never fails for a year without a notice: it is provisional', () => {
    expect(cal.basisOf(2026)).toBe('OFFICIAL');
    expect(cal.basisOf(2030)).toBe('PROVISIONAL');
    expect(cal.isWorkingDay('2030-05-01')).toBe(false);
    expect(cal.isWorkingDay('2030-05-03')).toBe(true); // Friday: no 调休 assumed
    expect(localDate(addWorkingDays(new Date('2030-01-10T02:00:00Z'), 3, cal))).toBe('2030-01-15');
  });
  it('rejects inconsistent data', () => {
    expect(() =>
      createCalendar({ source: 'x', years: { '2026': { holidays: ['2026-10-01'], workdays: ['2026-10-01'] } } }),
    ).toThrow();
    expect(() => createCalendar({ source: 'x', years: { '2026': { holidays: ['2027-01-01'], workdays: [] } } })).toThrow();
    // Only a weekend day can be made a working day.
    expect(() => createCalendar({ source: 'x', years: { '2026': { holidays: [], workdays: ['2026-03-04'] } } })).toThrow(/weekday/);
  });
});

describe('addWorkingDays', () => {
  it('Fri 2026-02-13 + 3 working days crosses Spring Festival', () => {
    // Day 1: Sat 02-14 (worked); 02-15..02-23 off; day 2: Tue 02-24; day 3: Wed 02-25.
    const from = new Date('2026-02-13T02:00:00Z'); // 10:00 local, Friday
    expect(addWorkingDays(from, 3, cal).toISOString()).toBe('2026-02-25T15:59:59.999Z');
  });
  it('counts from the local day, not the UTC day', () => {
    // 2026-02-12T17:00Z is Friday 01:00 local, so the result is the same as above.
    expect(addWorkingDays(new Date('2026-02-12T17:00:00Z'), 3, cal).toISOString()).toBe('2026-02-25T15:59:59.999Z');
  });
  it('spans National Day 2026 with the worked Saturday 10-10', () => {
    // From Wed 09-30: 10-01..07 off, Thu 10-08 (1), Fri 10-09 (2), Sat 10-10 worked (3), Mon 10-12 (4).
    const from = new Date('2026-09-30T01:00:00Z');
    expect(localDate(addWorkingDays(from, 3, cal))).toBe('2026-10-10');
    expect(localDate(addWorkingDays(from, 4, cal))).toBe('2026-10-12');
  });
  it('counts the worked Sunday 2026-09-20', () => {
    // From Fri 09-18: Sun 09-20 worked (1), Mon 09-21 (2).
    expect(localDate(addWorkingDays(new Date('2026-09-18T01:00:00Z'), 2, cal))).toBe('2026-09-21');
  });
  it('rejects non-positive counts', () => {
    expect(() => addWorkingDays(new Date('2026-03-02T01:00:00Z'), 0, cal)).toThrow(RangeError);
  });
});

describe('addCalendarDays (CPL art. 85)', () => {
  it('ends on the last day when it is a working day', () => {
    // Mon 2026-03-02 + 15 days = Tue 03-17.
    expect(addCalendarDays(new Date('2026-03-02T01:00:00Z'), 15, cal).toISOString()).toBe('2026-03-17T15:59:59.999Z');
  });
  it('extends a period ending on a holiday to the first working day after it', () => {
    // 2026-09-26 + 7 = 10-03 (National Day) -> first working day after is Thu 10-08.
    expect(localDate(addCalendarDays(new Date('2026-09-26T01:00:00Z'), 7, cal))).toBe('2026-10-08');
    // 2026-02-06 + 10 = 02-16 (Spring Festival) -> Tue 02-24.
    expect(addCalendarDays(new Date('2026-02-06T01:00:00Z'), 10, cal).toISOString()).toBe('2026-02-24T15:59:59.999Z');
  });
  it('extends a period ending on an ordinary weekend, but not on a worked Saturday', () => {
    // Mon 2026-03-02 + 5 = Sat 03-07 -> Mon 03-09.
    expect(localDate(addCalendarDays(new Date('2026-03-02T01:00:00Z'), 5, cal))).toBe('2026-03-09');
    // Sat 2026-02-28 is a working day, so no extension.
    expect(localDate(addCalendarDays(new Date('2026-02-21T01:00:00Z'), 7, cal))).toBe('2026-02-28');
  });
});

describe('isOverdue', () => {
  it('is overdue only after the deadline instant', () => {
    const deadline = endOfLocalDay('2026-02-25');
    expect(isOverdue(deadline, new Date('2026-02-25T15:59:59.999Z'))).toBe(false);
    expect(isOverdue(deadline, new Date('2026-02-25T16:00:00.000Z'))).toBe(true);
  });
});
