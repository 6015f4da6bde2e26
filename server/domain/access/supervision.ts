import { eq, or, sql, type SQL } from 'drizzle-orm';
import { organizations, supervisionOrders, supervisionProposals } from '../../../schema';
import type { Viewer } from '../context';
import type { CaseLevel, OrganizationKind } from '../enums';
import type { RegionScope } from './region-scope';

export type SupervisionOrderRow = typeof supervisionOrders.$inferSelect;
export type SupervisionProposalRow = typeof supervisionProposals.$inferSelect;

const RANK: Record<CaseLevel, number> = { VILLAGE: 0, TOWNSHIP: 1, COUNTY: 2, PREFECTURE: 3 };

/** Pure: the level above (village -> township -> county -> prefecture), null above the prefecture. */
export function levelAbove(level: CaseLevel): CaseLevel | null {
  return (['TOWNSHIP', 'COUNTY', 'PREFECTURE', null] as const)[RANK[level]] ?? null;
}

/**
 * Pure: may an organisation supervise a matter held at `receiving` level in `matterRegion`? Only an
 * organisation above that level whose region contains the matter (township over village, county
 * over township), or the county 综治中心 over anything in its county.
 */
export function maySupervise(
  issuer: { kind: OrganizationKind; level: CaseLevel; regionCode: string },
  matterRegion: string,
  receiving: CaseLevel,
): boolean {
  if (!matterRegion.startsWith(issuer.regionCode)) return false;
  if (issuer.kind === 'COMPREHENSIVE_CENTER' && RANK[issuer.level] >= RANK.COUNTY) return true;
  return RANK[issuer.level] > RANK[receiving];
}

/**
 * Who sees an order: the admins and mediators of the issuing and receiving organisations, staff
 * overseeing the matter's region, and platform admins.
 */
export function visibleSupervisionOrders(viewer: Viewer | null, scope: RegionScope): SQL {
  if (viewer?.kind !== 'user' || viewer.role === 'PARTY') return sql`false`;
  if (viewer.role === 'PLATFORM_ADMIN') return sql`true`;
  const conditions: SQL[] = [];
  if (viewer.organizationId) {
    conditions.push(eq(supervisionOrders.issuingOrganizationId, viewer.organizationId), eq(supervisionOrders.receivingOrganizationId, viewer.organizationId));
  }
  if (scope && viewer.role === 'ORG_ADMIN') conditions.push(sql`${supervisionOrders.regionCode} like (${scope}::text || '%')`);
  return conditions.length ? or(...conditions)! : sql`false`;
}

/** The proposal queue belongs to the supervising organisation's admins (and platform admins). */
export function visibleSupervisionProposals(viewer: Viewer | null): SQL {
  if (viewer?.kind !== 'user') return sql`false`;
  if (viewer.role === 'PLATFORM_ADMIN') return sql`true`;
  if (viewer.role !== 'ORG_ADMIN' || !viewer.organizationId) return sql`false`;
  return eq(supervisionProposals.supervisingOrganizationId, viewer.organizationId);
}

/** SQL: the supervising organisation for a matter at `level` in `region`: one level up, a 综治中心 first. */
export function supervisorOrder() {
  return sql`case when ${organizations.kind} = 'COMPREHENSIVE_CENTER' then 0 else 1 end, ${organizations.id}`;
}
