import { describe, expect, it } from 'vitest';
import { addWorkingDays, calendarOf, loadCalendar, localDate } from '../../server/domain/clock/calendar';
import { computeDeadline } from '../../server/domain/clock/deadline';
import { provisionalHolidays, statutoryHolidays } from '../../server/domain/clock/provisional';
import { calendarCoverage } from '../../server/domain/clock/calendar-store';

describe('provisional years from the statutory holidays (2024 amendment)', () => {
  it('gives the 2027 days the issue names, checked against the lunar calendar library', () => {
    expect(provisionalHolidays(2027)).toEqual([
      '2027-01-01',
      '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08',
      '2027-04-05',
      '2027-05-01', '2027-05-02',
      '2027-06-09',
      '2027-09-15',
      '2027-10-01', '2027-10-02', '2027-10-03',
    ]);
    const names = statutoryHolidays(2027).map((h) => `${h.name}:${h.dates[0]}`);
    expect(names).toEqual(['元旦:2027-01-01', '春节:2027-02-05', '清明节:2027-04-05', '劳动节:2027-05-01', '端午节:2027-06-09', '中秋节:2027-09-15', '国庆节:2027-10-01']);
  });

  it('keeps 13 days when two holidays fall on one day (2028: 中秋 on 10-03 inside 国庆)', () => {
    const days = provisionalHolidays(2028);
    expect(days).toHaveLength(13);
    expect(days).toContain('2028-01-25'); // 除夕
    expect(days).toContain('2028-04-04'); // 清明
    expect(days).toContain('2028-05-28'); // 端午
    expect(days).toContain('2028-10-04'); // the next working day after the coinciding 10-03
    expect(days.filter((d) => d.startsWith('2028-10'))).toEqual(['2028-10-01', '2028-10-02', '2028-10-03', '2028-10-04']);
  });

  it('every year from 2027 to 2060 has 13 distinct days off', () => {
    for (let y = 2027; y <= 2060; y++) expect(provisionalHolidays(y), String(y)).toHaveLength(13);
  });

  it('rests weekends and assumes no 调休 workday', () => {
    const cal = loadCalendar();
    expect(cal.basisOf(2027)).toBe('PROVISIONAL');
    expect(cal.arrangement(2027)).toMatchObject({ basis: 'PROVISIONAL', workdays: [], publishedAt: null });
    expect(cal.isWorkingDay('2027-02-08')).toBe(false); // 初三, Monday
    expect(cal.isWorkingDay('2027-02-09')).toBe(true);
    expect(cal.isWorkingDay('2027-02-13')).toBe(false); // an ordinary Saturday
    // From Thu 2027-02-04: Fri 02-05..Mon 02-08 off -> 02-09, 02-10, 02-11.
    expect(localDate(addWorkingDays(new Date('2027-02-04T02:00:00Z'), 3, cal))).toBe('2027-02-11');
  });
});

describe('deadlines know their basis', () => {
  const cal = loadCalendar();
  it('a count inside official years is OFFICIAL, one reaching 2027 is PROVISIONAL', () => {
    const inside = computeDeadline(cal, { rule: 'CALENDAR_DAYS', amount: 15, startAt: new Date('2026-11-02T02:00:00Z') });
    expect(inside).toMatchObject({ basis: 'OFFICIAL', years: [2026] });
    const across = computeDeadline(cal, { rule: 'CALENDAR_DAYS', amount: 30, startAt: new Date('2026-12-05T02:00:00Z') });
    expect(across.basis).toBe('PROVISIONAL');
    expect(localDate(across.dueAt)).toBe('2027-01-04'); // 01-04 is a Monday
    const working = computeDeadline(cal, { rule: 'WORKING_DAYS', amount: 3, startAt: new Date('2026-12-29T02:00:00Z') });
    expect(working).toMatchObject({ basis: 'PROVISIONAL', years: [2026, 2027] });
    expect(localDate(working.dueAt)).toBe('2027-01-04'); // 12-30, 12-31, (01-01 off, weekend), 01-04
  });
  it('a published notice turns the basis OFFICIAL and can move the day', () => {
    const official = calendarOf([
      ...[2025, 2026].map((y) => ({ ...loadCalendar().arrangement(y) })),
      { year: 2027, holidays: ['2027-01-01', '2027-01-04'], workdays: [], source: 'test', publishedAt: new Date() },
    ]);
    const d = computeDeadline(official, { rule: 'CALENDAR_DAYS', amount: 30, startAt: new Date('2026-12-05T02:00:00Z') });
    expect(d.basis).toBe('OFFICIAL');
    expect(localDate(d.dueAt)).toBe('2027-01-05');
  });
  it('counts months and years on the civil date and rolls past rest days', () => {
    // 2026-08-31 + 6 months = 2027-02-28 (Sunday) -> Monday 03-01.
    expect(localDate(computeDeadline(cal, { rule: 'MONTHS', amount: 6, startAt: new Date('2026-08-31T02:00:00Z') }).dueAt)).toBe('2027-03-01');
    // 2026-02-28 + 2 years = 2028-02-28 (Monday).
    expect(localDate(computeDeadline(cal, { rule: 'YEARS', amount: 2, startAt: new Date('2026-02-28T02:00:00Z') }).dueAt)).toBe('2028-02-28');
    // 2026-10-02 + 2 years = 2028-10-02, inside 国庆 -> 10-05 (10-04 rests for 中秋).
    expect(localDate(computeDeadline(cal, { rule: 'YEARS', amount: 2, startAt: new Date('2026-10-02T02:00:00Z') }).dueAt)).toBe('2028-10-05');
  });
});

describe('calendar coverage', () => {
  const at = (iso: string) => ({ now: () => new Date(iso) });
  it('warns from 1 October (China time) while next year’s notice is missing', () => {
    const cal = loadCalendar();
    expect(calendarCoverage(cal, at('2026-09-30T15:59:00Z'))).toMatchObject({ officialThrough: 2026, nextYearOfficial: false, warning: null });
    expect(calendarCoverage(cal, at('2026-09-30T16:00:00Z')).warning).toMatch(/2027/); // 10-01 00:00 +08:00
    expect(calendarCoverage(cal, at('2027-03-01T02:00:00Z')).warning).toMatch(/No official holiday notice for 2027/);
  });
  it('is quiet once next year is published', () => {
    const cal = calendarOf([
      ...[2025, 2026].map((y) => loadCalendar().arrangement(y)),
      { year: 2027, holidays: ['2027-01-01'], workdays: [], source: 'test', publishedAt: new Date() },
    ]);
    expect(calendarCoverage(cal, at('2026-11-29T02:00:00Z'))).toMatchObject({ officialThrough: 2027, nextYearOfficial: true, warning: null });
  });
});
