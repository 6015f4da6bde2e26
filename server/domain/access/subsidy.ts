import { eq } from 'drizzle-orm';
import { organizations } from '../../../schema';
import type { Executor } from '../../db';
import type { Viewer } from '../context';
import type { CaseLevel, OrganizationKind } from '../enums';

/**
 * Who acts in 以案定补: the county 司法局 sets the rules, approves and pays; the township 司法所
 * drafts and reviews its township's statement and may regrade its cases; both spot-check.
 * Platform admins read everything and act on nothing (the money is the county's).
 */
export type SubsidyAuthority =
  | { kind: 'platform' }
  /** 司法局 of a county. */
  | { kind: 'county'; countyCode: string; organizationName: string }
  /** 司法所 of a township. */
  | { kind: 'township'; townshipCode: string; countyCode: string; organizationName: string }
  | { kind: 'none' };

export type SubsidyAct = 'SET_RULES' | 'DRAFT' | 'REVIEW' | 'APPROVE' | 'PAY' | 'CORRECT' | 'REGRADE' | 'SPOT_CHECK' | 'READ' | 'READ_RULES';

/** A justice office is an administrative agency named as one (…司法局 at a county, …司法所 at a township). */
export function isJusticeOffice(org: { kind: OrganizationKind; name: string }): boolean {
  return org.kind === 'ADMINISTRATIVE_AGENCY' && /司法(局|所)$/.test(org.name);
}

/** Pure: the authority of a viewer acting for `org` (their organisation, if any). */
export function subsidyAuthorityOf(
  viewer: Viewer | null,
  org: { kind: OrganizationKind; level: CaseLevel; regionCode: string; name: string } | null,
): SubsidyAuthority {
  if (viewer?.kind !== 'user') return { kind: 'none' };
  if (viewer.role === 'PLATFORM_ADMIN') return { kind: 'platform' };
  if (viewer.role !== 'ORG_ADMIN' || !org || !isJusticeOffice(org)) return { kind: 'none' };
  if (org.level === 'COUNTY' && org.regionCode.length === 6) return { kind: 'county', countyCode: org.regionCode, organizationName: org.name };
  if (org.level === 'TOWNSHIP' && org.regionCode.length === 9) {
    return { kind: 'township', townshipCode: org.regionCode, countyCode: org.regionCode.slice(0, 6), organizationName: org.name };
  }
  return { kind: 'none' };
}

/** Loads the viewer's organisation and applies subsidyAuthorityOf. */
export async function loadSubsidyAuthority(db: Executor, viewer: Viewer | null): Promise<SubsidyAuthority> {
  if (viewer?.kind !== 'user') return { kind: 'none' };
  if (viewer.role === 'PLATFORM_ADMIN') return { kind: 'platform' };
  if (!viewer.organizationId) return { kind: 'none' };
  const [org] = await db
    .select({ kind: organizations.kind, level: organizations.level, regionCode: organizations.regionCode, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, viewer.organizationId));
  return subsidyAuthorityOf(viewer, org ?? null);
}

/**
 * Pure: may this authority do `act` on the object in `regionCode`? For rules the county code; for
 * a statement its township; for a case the division where it arose.
 */
export function maySubsidy(a: SubsidyAuthority, act: SubsidyAct, regionCode: string): boolean {
  switch (act) {
    case 'SET_RULES':
      return a.kind === 'county' && a.countyCode === regionCode;
    case 'DRAFT':
    case 'REVIEW':
      return a.kind === 'township' && a.townshipCode === regionCode;
    case 'APPROVE':
    case 'PAY':
    case 'CORRECT':
      return a.kind === 'county' && regionCode.startsWith(a.countyCode);
    case 'REGRADE':
      return a.kind === 'township' && regionCode.startsWith(a.townshipCode);
    case 'SPOT_CHECK':
      return (a.kind === 'township' && regionCode.startsWith(a.townshipCode)) || (a.kind === 'county' && regionCode.startsWith(a.countyCode));
    case 'READ_RULES':
      return a.kind === 'platform' || ((a.kind === 'county' || a.kind === 'township') && a.countyCode === regionCode);
    case 'READ':
      if (a.kind === 'platform') return true;
      if (a.kind === 'county') return regionCode.startsWith(a.countyCode);
      if (a.kind === 'township') return regionCode.startsWith(a.townshipCode);
      return false;
  }
}
