import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { disputeLeads, screeningReports } from '../../../schema';
import type { Executor } from '../../db';
import type { Viewer } from '../context';
import { NotFoundError } from '../errors';
import { inScope, loadRegionScope, type RegionScope } from './region-scope';

export type LeadRow = typeof disputeLeads.$inferSelect;
export type ScreeningReportRow = typeof screeningReports.$inferSelect;

/** SQL: a region column lies inside the scope. */
export function regionInScope(column: PgColumn, scope: RegionScope): SQL {
  if (scope === null) return sql`false`;
  if (scope === '') return sql`true`;
  return sql`${column} like (${scope}::text || '%')`;
}

/**
 * Who sees a lead (排查台账): staff whose organisation oversees its place (a grid worker the leads
 * of their own village, a township its villages, a county its townships), platform admins, and the
 * person who recorded it. Parties never see the ledger.
 */
export function canSeeLead(viewer: Viewer | null, scope: RegionScope, lead: Pick<LeadRow, 'regionCode' | 'recordedBy'>): boolean {
  if (viewer?.kind !== 'user') return false;
  return inScope(scope, lead.regionCode) || (viewer.role !== 'PARTY' && lead.recordedBy === viewer.userId);
}

/** The SQL form of canSeeLead. */
export function visibleLeads(viewer: Viewer | null, scope: RegionScope): SQL {
  if (viewer?.kind !== 'user' || viewer.role === 'PARTY') return sql`false`;
  return or(regionInScope(disputeLeads.regionCode, scope), eq(disputeLeads.recordedBy, viewer.userId))!;
}

/** Weekly screening reports are seen by whoever oversees the village (the township sees its villages). */
export function visibleScreeningReports(scope: RegionScope): SQL {
  return regionInScope(screeningReports.regionCode, scope);
}

/** Loads a lead the viewer may see; anything else is NotFoundError. */
export async function loadVisibleLead(db: Executor, viewer: Viewer | null, leadId: string): Promise<{ lead: LeadRow; scope: RegionScope }> {
  const scope = await loadRegionScope(db, viewer);
  const [lead] = await db.select().from(disputeLeads).where(and(eq(disputeLeads.id, leadId), visibleLeads(viewer, scope))).limit(1);
  if (!lead) throw new NotFoundError('Lead');
  return { lead, scope };
}
