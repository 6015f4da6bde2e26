import { eq } from 'drizzle-orm';
import { organizations } from '../../../schema';
import type { Executor } from '../../db';
import type { Viewer } from '../context';

/**
 * The part of the map a staff member oversees: the region of their organisation and everything
 * under it (a village committee its village, a township its villages, a county its townships).
 * Division codes nest by prefix, so "under" is a prefix test. Null: nowhere; '': everywhere.
 */
export type RegionScope = string | null;

/** Pure: the scope of a viewer whose organisation lies in `orgRegionCode`. */
export function regionScopeOf(viewer: Viewer | null, orgRegionCode: string | null): RegionScope {
  if (viewer?.kind !== 'user') return null;
  if (viewer.role === 'PLATFORM_ADMIN') return '';
  if (viewer.role === 'PARTY') return null;
  return orgRegionCode;
}

/** Pure: whether a region lies inside a scope. */
export function inScope(scope: RegionScope, regionCode: string): boolean {
  return scope !== null && regionCode.startsWith(scope);
}

/** Loads the scope of the viewer (one query for staff). */
export async function loadRegionScope(db: Executor, viewer: Viewer | null): Promise<RegionScope> {
  if (viewer?.kind !== 'user' || viewer.role === 'PARTY') return null;
  if (viewer.role === 'PLATFORM_ADMIN') return '';
  if (!viewer.organizationId) return null;
  // Read with the login where the viewer came from one.
  if (viewer.organizationRegionCode !== undefined) return regionScopeOf(viewer, viewer.organizationRegionCode);
  const [org] = await db.select({ regionCode: organizations.regionCode }).from(organizations).where(eq(organizations.id, viewer.organizationId));
  return regionScopeOf(viewer, org?.regionCode ?? null);
}
