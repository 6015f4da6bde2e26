import type { Actor, Deps } from '../domain/context';
import { arrangementsVersion, calendarCoverage, refreshCalendar } from '../domain/clock/calendar-store';
import { localDate } from '../domain/clock/dates';
import { recomputeProvisionalDeadlines } from '../domain/clock/recompute-deadlines';

const SYSTEM: Actor = { viewer: null, ip: null, userAgent: 'jiefen-calendar', requestId: null };

/**
 * The calendar job (one instance at a time): when another instance published a notice, or a deploy
 * shipped one, recompute what still rests on provisional days; once a day, from 1 October, warn
 * when next year's notice is missing.
 */
export function createCalendarJob() {
  let seenVersion: string | null = null;
  let warnedOn: string | null = null;
  return async (deps: Deps) => {
    const version = await arrangementsVersion(deps.db);
    let moved = 0;
    if (seenVersion !== null && version !== seenVersion) {
      await refreshCalendar(deps.db, deps.calendar);
      const result = await deps.db.transaction((tx) => recomputeProvisionalDeadlines(tx, deps.clock, SYSTEM, deps.calendar));
      moved = result.moved.length;
      deps.log.info({ moved, confirmed: result.confirmed }, 'holiday notices changed: provisional deadlines recomputed');
    }
    seenVersion = version;
    const today = localDate(deps.clock.now());
    const coverage = calendarCoverage(deps.calendar, deps.clock);
    if (coverage.warning && warnedOn !== today) {
      warnedOn = today;
      deps.log.warn({ officialThrough: coverage.officialThrough }, coverage.warning);
    }
    return { moved, officialThrough: coverage.officialThrough };
  };
}
