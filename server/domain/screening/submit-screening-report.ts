import { and, eq, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { disputeLeads, screeningReports } from '../../../schema';
import { type ScreeningReportRow } from '../access/lead';
import { inScope, loadRegionScope } from '../access/region-scope';
import { recordEvent } from '../audit/record-event';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { addDaysToDate, localDate } from '../clock/calendar';
import { placeOf } from './lead-rules';
import { reportDueAt, weekStartOf } from './weeks';

export interface SubmitScreeningReportInput {
  regionCode: string;
  /** ISO week, e.g. 2026-W48. */
  week: string;
  /** The leads found that week; empty with nothingFound for a 零报告. */
  leadIds?: string[] | null;
  nothingFound?: boolean | null;
  note?: string | null;
}

/**
 * A village's weekly screening report (周排查): the leads it found, or "nothing found" (零报告).
 * One report per village and week; a report marked overdue may still be submitted (late).
 */
export async function submitScreeningReport(deps: Deps, actor: Actor, input: SubmitScreeningReportInput): Promise<ScreeningReportRow> {
  const viewer = requireRole(actor, 'GRID_WORKER', 'ORG_ADMIN', 'PLATFORM_ADMIN');
  const data = parseInput(
    z.object({
      regionCode: z.string(),
      week: z.string().regex(/^\d{4}-W\d{2}$/, 'must be an ISO week such as 2026-W48'),
      leadIds: z.array(z.string().uuid()).max(500).nullish(),
      nothingFound: z.boolean().nullish(),
      note: z.string().trim().max(2000).nullish(),
    }),
    input,
  );
  const weekStart = weekStartOf(data.week);
  if (!weekStart) throw ValidationError.field('week', 'is not a week of the calendar');
  const now = deps.clock.now();
  if (weekStart > localDate(now)) throw ValidationError.field('week', 'has not started yet');
  const place = await placeOf(deps.db, data.regionCode);
  if (place.level !== 'VILLAGE') throw ValidationError.field('regionCode', 'weekly screening is reported per village or community');
  const scope = await loadRegionScope(deps.db, viewer);
  if (!inScope(scope, place.regionCode)) throw new NotFoundError('Region');
  const leadIds = [...new Set(data.leadIds ?? [])];
  if (data.nothingFound && leadIds.length) throw ValidationError.field('nothingFound', 'a 零报告 lists no leads');
  if (!data.nothingFound && leadIds.length === 0) throw ValidationError.field('leadIds', 'list the leads found, or report nothingFound');
  const weekEnd = addDaysToDate(weekStart, 6);
  if (leadIds.length) {
    const rows = await deps.db.select().from(disputeLeads).where(inArray(disputeLeads.id, leadIds));
    for (const id of leadIds) {
      const l = rows.find((r) => r.id === id);
      if (!l || !l.regionCode.startsWith(place.regionCode)) throw ValidationError.field('leadIds', `${id} is not a lead of this village`);
      if (l.foundOn < weekStart || l.foundOn > weekEnd) throw ValidationError.field('leadIds', `${id} was not found in ${data.week}`);
    }
  }
  const values = {
    status: 'SUBMITTED' as const,
    nothingFound: data.nothingFound ?? false,
    leadCount: leadIds.length,
    note: data.note ?? null,
    submittedAt: now,
    submittedBy: viewer.userId,
  };
  return deps.db.transaction(async (tx) => {
    const [existing] = await tx.select().from(screeningReports).where(and(eq(screeningReports.regionCode, place.regionCode), eq(screeningReports.week, data.week)));
    let report: ScreeningReportRow | undefined;
    if (!existing) {
      [report] = await tx
        .insert(screeningReports)
        .values({ regionCode: place.regionCode, townshipCode: place.townshipCode!, countyCode: place.countyCode, week: data.week, weekStart, dueAt: reportDueAt(weekStart, deps.calendar), createdAt: now, ...values })
        .onConflictDoNothing()
        .returning();
    } else if (existing.status === 'OVERDUE') {
      // Conditional update: the overdue row becomes the late report once.
      [report] = await tx
        .update(screeningReports)
        .set({ ...values, late: true, version: existing.version + 1 })
        .where(and(eq(screeningReports.id, existing.id), eq(screeningReports.status, 'OVERDUE'), eq(screeningReports.version, existing.version)))
        .returning();
    }
    if (!report) throw new ConflictError(`${data.week} has already been reported for this village.`);
    if (leadIds.length) {
      await tx.update(disputeLeads).set({ reportId: report.id }).where(and(inArray(disputeLeads.id, leadIds), isNull(disputeLeads.reportId)));
    }
    for (const id of leadIds) {
      await recordEvent(tx, deps.clock, actor, { subjectType: 'lead', subjectId: id, type: 'lead.reported', data: { reportId: report.id, week: data.week } });
    }
    return report;
  });
}
