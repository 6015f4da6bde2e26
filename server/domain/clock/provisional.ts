import { LunarDay, SolarTerm } from 'tyme4ts';
import { addDaysToDate } from './dates';

/**
 * The statutory days off of the 全国年节及纪念日放假办法 (as amended in 2024, in force 2025): 13 days
 * a year. Lunar dates and the 清明 solar term come from tyme4ts, not from a hand-written table.
 */
export const STATUTORY_HOLIDAYS_SOURCE =
  '全国年节及纪念日放假办法（2024年修订）第二条：元旦1天，春节4天（农历除夕、正月初一至初三），清明节1天，劳动节2天（5月1日、2日），端午节1天，中秋节1天，国庆节3天（10月1日至3日）';

export interface StatutoryHoliday {
  name: string;
  dates: string[];
}

function solar(day: { getYear(): number; getMonth(): number; getDay(): number }): string {
  return `${day.getYear()}-${String(day.getMonth()).padStart(2, '0')}-${String(day.getDay()).padStart(2, '0')}`;
}

/** The statutory holidays of a Gregorian year, by name, in calendar order. */
export function statutoryHolidays(year: number): StatutoryHoliday[] {
  const newYear = LunarDay.fromYmd(year, 1, 1).getSolarDay();
  const eve = newYear.next(-1); // 除夕: the last day of the twelfth lunar month, 29th or 30th
  return [
    { name: '元旦', dates: [`${year}-01-01`] },
    { name: '春节', dates: [0, 1, 2, 3].map((i) => solar(eve.next(i))) },
    { name: '清明节', dates: [solar(SolarTerm.fromName(year, '清明').getJulianDay().getSolarDay())] },
    { name: '劳动节', dates: [`${year}-05-01`, `${year}-05-02`] },
    { name: '端午节', dates: [solar(LunarDay.fromYmd(year, 5, 5).getSolarDay())] },
    { name: '中秋节', dates: [solar(LunarDay.fromYmd(year, 8, 15).getSolarDay())] },
    { name: '国庆节', dates: [`${year}-10-01`, `${year}-10-02`, `${year}-10-03`] },
  ];
}

function isWeekend(date: string): boolean {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

/**
 * A provisional arrangement for a year without a published notice: the statutory days, weekends as
 * rest days, no 调休 workdays. When two holidays fall on one day (2028: 中秋 on 10-03, inside 国庆),
 * the next working day is rested too, so the year keeps all its statutory days and no deadline comes
 * earlier than an official notice would make it.
 */
export function provisionalHolidays(year: number): string[] {
  const days = new Set<string>();
  for (const holiday of statutoryHolidays(year)) {
    for (const date of holiday.dates) {
      if (!days.has(date)) {
        days.add(date);
        continue;
      }
      let next = date;
      do next = addDaysToDate(next, 1);
      while (days.has(next) || isWeekend(next));
      days.add(next);
    }
  }
  return [...days].sort();
}
