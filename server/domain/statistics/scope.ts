import { sql, type SQL } from 'drizzle-orm';
import type { Viewer } from '../context';
import { ForbiddenError } from '../errors';

/** What part of the province a viewer's figures may cover. */
export type StatisticsScope =
  | { kind: 'all' }
  /** 综治中心 and 司法局/司法所 serve a division: every case that arose in it. */
  | { kind: 'region'; regionCode: string }
  /** A committee, studio or court serves its own cases. */
  | { kind: 'organization'; organizationId: string }
  | { kind: 'mediator'; mediatorId: string };

/** Organisation kinds that serve a whole division rather than their own cases. */
const REGION_SERVING_KINDS = new Set(['COMPREHENSIVE_CENTER', 'ADMINISTRATIVE_AGENCY']);

/**
 * The scope of a viewer, decided from who they are and the organisation they act for: platform admins
 * see everything, division-serving organisations their division, other organisations their own
 * cases, mediators their own cases; anyone else sees no statistics.
 */
export function statisticsScope(
  viewer: Viewer | null,
  organization: { id: string; kind: string; regionCode: string } | null,
  mediatorId: string | null,
): StatisticsScope {
  if (!viewer) throw ForbiddenError.unauthenticated();
  if (viewer.kind !== 'user') throw new ForbiddenError('Statistics are for staff.');
  if (viewer.role === 'PLATFORM_ADMIN') return { kind: 'all' };
  if (viewer.role === 'ORG_ADMIN' && organization) {
    return REGION_SERVING_KINDS.has(organization.kind)
      ? { kind: 'region', regionCode: organization.regionCode }
      : { kind: 'organization', organizationId: organization.id };
  }
  if (viewer.role === 'MEDIATOR' && mediatorId) return { kind: 'mediator', mediatorId };
  throw new ForbiddenError('Statistics are for platform admins, organisation admins and mediators.');
}

/** True when `code` lies inside (or is) the division `scope` (codes nest by prefix). */
export function regionWithin(code: string, scopeCode: string): boolean {
  return code.startsWith(regionPrefix(scopeCode));
}

/** The prefix every code inside a division starts with: 53 for 530000, 5329 for 532900, the code itself below. */
export function regionPrefix(code: string): string {
  if (code.length === 6 && code.endsWith('0000')) return code.slice(0, 2);
  if (code.length === 6 && code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/** The SQL filter on `cases` (aliased c) for a division, shaped to use the county index. */
export function regionFilter(code: string): SQL {
  const prefix = regionPrefix(code);
  if (prefix.length < 6) return sql`c.county_code like ${`${prefix}%`}`;
  if (code.length === 6) return sql`c.county_code = ${code}`;
  return sql`c.county_code = ${code.slice(0, 6)} and c.region_code like ${`${code}%`}`;
}

/** The SQL filter on `cases` (aliased c) for a viewer's scope. */
export function scopeFilter(scope: StatisticsScope): SQL {
  switch (scope.kind) {
    case 'all':
      return sql`true`;
    case 'region':
      return regionFilter(scope.regionCode);
    case 'organization':
      return sql`c.organization_id = ${scope.organizationId}`;
    case 'mediator':
      return sql`c.mediator_id = ${scope.mediatorId}`;
  }
}
