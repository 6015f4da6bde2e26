import { and, eq } from 'drizzle-orm';
import { organizations, screeningReports } from '../../../schema';
import { addDaysToDate, localDate } from '../clock/calendar';
import type { Deps } from '../context';
import { isoWeekOf, reportDueAt, weekStartOf } from './weeks';

/**
 * For the last two weeks whose report is past due, every village with a village-level mediation
 * committee that sent no report gets an OVERDUE row, which the township sees in its summary and
 * report list. Each village is handled on its own: one failure is logged and the rest go on.
 */
export async function markOverdueScreeningReports(deps: Deps): Promise<{ marked: number; failed: number }> {
  const now = deps.clock.now();
  const thisWeekStart = weekStartOf(isoWeekOf(localDate(now)))!;
  const villages = await deps.db
    .selectDistinct({ code: organizations.regionCode })
    .from(organizations)
    .where(and(eq(organizations.level, 'VILLAGE'), eq(organizations.active, true), eq(organizations.kind, 'PEOPLES_MEDIATION_COMMITTEE')));
  let marked = 0;
  let failed = 0;
  for (const back of [1, 2]) {
    const weekStart = addDaysToDate(thisWeekStart, -7 * back);
    const week = isoWeekOf(weekStart);
    const dueAt = reportDueAt(weekStart, deps.calendar);
    if (dueAt.getTime() >= now.getTime()) continue;
    const reported = new Set(
      (await deps.db.select({ code: screeningReports.regionCode }).from(screeningReports).where(eq(screeningReports.week, week))).map((r) => r.code),
    );
    for (const v of villages) {
      if (reported.has(v.code) || v.code.length !== 12) continue;
      try {
        const inserted = await deps.db
          .insert(screeningReports)
          .values({
            regionCode: v.code,
            townshipCode: v.code.slice(0, 9),
            countyCode: v.code.slice(0, 6),
            week,
            weekStart,
            dueAt,
            status: 'OVERDUE',
            overdueAt: now,
            createdAt: now,
          })
          // A report submitted meanwhile wins: the unique (region, week) index keeps one row.
          .onConflictDoNothing()
          .returning({ id: screeningReports.id });
        marked += inserted.length;
      } catch (err) {
        failed++;
        deps.log.error({ err, regionCode: v.code, week }, 'marking a screening report overdue failed');
      }
    }
  }
  return { marked, failed };
}
