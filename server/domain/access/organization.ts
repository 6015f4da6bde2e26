import type { Viewer } from '../context';

/**
 * Who keeps the rosters. The commands (createOrganization, createMediator, createStaffAccount)
 * refuse through these, and the API tells the client the same answers so a page offers only the
 * forms its viewer may use.
 */

/** Organisations are added by platform admins only: each one prints case numbers and seals agreements. */
export function mayCreateOrganization(viewer: Viewer | null): boolean {
  return viewer?.kind === 'user' && viewer.role === 'PLATFORM_ADMIN';
}

/** Mediators and staff accounts of an organisation: platform admins anywhere, an organisation admin in their own. */
export function mayManageOrganization(viewer: Viewer | null, organizationId: string): boolean {
  if (viewer?.kind !== 'user') return false;
  if (viewer.role === 'PLATFORM_ADMIN') return true;
  return viewer.role === 'ORG_ADMIN' && viewer.organizationId === organizationId;
}
