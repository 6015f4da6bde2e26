import { and, asc, desc, eq, gte, inArray, like, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import { disputeLeads, regions, screeningReports } from '../../../schema';
import { queryRows } from '../../db';
import type { LeadRow } from '../access/lead';
import { inScope, loadRegionScope } from '../access/region-scope';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { NotFoundError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { placeOf } from './lead-rules';

export interface Count {
  key: string;
  count: number;
}

export interface AreaCount {
  regionCode: string;
  name: string;
  total: number;
  highRisk: number;
  open: number;
  reportsSubmitted: number;
  reportsOverdue: number;
}

export interface ScreeningSummary {
  regionCode: string;
  month: string;
  total: number;
  byCategory: Count[];
  byRiskLevel: Count[];
  bySource: Count[];
  byStatus: Count[];
  /** One row per child area: a county's townships, a township's villages. */
  byArea: AreaCount[];
  /** 月研判 input: HIGH-risk leads of the month still OPEN or UNDER_WATCH. */
  openHighRisk: LeadRow[];
  reportsSubmitted: number;
  reportsOverdue: number;
}

function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y!, m!, 0)).toISOString().slice(0, 10);
}

/**
 * 月汇总: the leads found in a region during a month, counted by category, risk, source and
 * outcome, per child area, with the high-risk leads still open. Seen by those who oversee the region.
 */
export async function screeningSummary(deps: Deps, actor: Actor, input: { regionCode: string; month: string }): Promise<ScreeningSummary> {
  const viewer = requireRole(actor, 'GRID_WORKER', 'MEDIATOR', 'ORG_ADMIN', 'PLATFORM_ADMIN');
  const data = parseInput(z.object({ regionCode: z.string(), month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM') }), input);
  const place = await placeOf(deps.db, data.regionCode);
  const scope = await loadRegionScope(deps.db, viewer);
  if (!inScope(scope, place.regionCode)) throw new NotFoundError('Region');
  const from = `${data.month}-01`;
  const to = lastDayOf(data.month);
  if (from > '2100-01-01') throw ValidationError.field('month', 'is out of range');
  const inRegion = and(like(disputeLeads.regionCode, `${place.regionCode}%`), gte(disputeLeads.foundOn, from), lte(disputeLeads.foundOn, to));

  const grouped = await deps.db
    .select({ category: disputeLeads.category, risk: disputeLeads.riskLevel, source: disputeLeads.source, status: disputeLeads.status, n: sql<number>`count(*)::int` })
    .from(disputeLeads)
    .where(inRegion)
    .groupBy(disputeLeads.category, disputeLeads.riskLevel, disputeLeads.source, disputeLeads.status);
  const tally = (pick: (g: (typeof grouped)[number]) => string): Count[] => {
    const m = new Map<string, number>();
    for (const g of grouped) m.set(pick(g), (m.get(pick(g)) ?? 0) + Number(g.n));
    return [...m].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  };

  // Child areas: a county's townships, a township's villages, a village itself.
  const childLength = place.regionCode.length === 6 ? 9 : 12;
  const children =
    place.level === 'VILLAGE'
      ? await deps.db.select({ code: regions.code, name: regions.name }).from(regions).where(eq(regions.code, place.regionCode))
      : await deps.db.select({ code: regions.code, name: regions.name }).from(regions).where(eq(regions.parentCode, place.regionCode)).orderBy(asc(regions.code));
  const len = place.level === 'VILLAGE' ? 12 : childLength;
  const leadAreas = await queryRows<{ area: string; total: number; high: number; open: number }>(
    deps.db,
    sql`select substr(${disputeLeads.regionCode}, 1, ${len}) as area, count(*)::int as total,
          count(*) filter (where ${disputeLeads.riskLevel} = 'HIGH')::int as high,
          count(*) filter (where ${disputeLeads.status} in ('OPEN', 'UNDER_WATCH'))::int as open
        from ${disputeLeads} where ${inRegion} group by 1`,
  );
  const reportAreas = await queryRows<{ area: string; submitted: number; overdue: number }>(
    deps.db,
    sql`select substr(${screeningReports.regionCode}, 1, ${len}) as area,
          count(*) filter (where ${screeningReports.status} = 'SUBMITTED')::int as submitted,
          count(*) filter (where ${screeningReports.status} = 'OVERDUE')::int as overdue
        from ${screeningReports}
        where ${screeningReports.regionCode} like ${`${place.regionCode}%`} and ${screeningReports.weekStart} >= ${from} and ${screeningReports.weekStart} <= ${to}
        group by 1`,
  );
  const byArea = children.map((c) => {
    const l = leadAreas.find((a) => a.area === c.code);
    const r = reportAreas.find((a) => a.area === c.code);
    return {
      regionCode: c.code,
      name: c.name,
      total: Number(l?.total ?? 0),
      highRisk: Number(l?.high ?? 0),
      open: Number(l?.open ?? 0),
      reportsSubmitted: Number(r?.submitted ?? 0),
      reportsOverdue: Number(r?.overdue ?? 0),
    };
  });
  const openHighRisk = await deps.db
    .select()
    .from(disputeLeads)
    .where(and(inRegion, eq(disputeLeads.riskLevel, 'HIGH'), inArray(disputeLeads.status, ['OPEN', 'UNDER_WATCH'])))
    .orderBy(desc(disputeLeads.foundOn), desc(disputeLeads.id))
    .limit(200);
  return {
    regionCode: place.regionCode,
    month: data.month,
    total: grouped.reduce((s, g) => s + Number(g.n), 0),
    byCategory: tally((g) => g.category),
    byRiskLevel: tally((g) => g.risk),
    bySource: tally((g) => g.source),
    byStatus: tally((g) => g.status),
    byArea,
    openHighRisk,
    reportsSubmitted: reportAreas.reduce((s, a) => s + Number(a.submitted), 0),
    reportsOverdue: reportAreas.reduce((s, a) => s + Number(a.overdue), 0),
  };
}
