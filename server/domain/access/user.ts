import type { users } from '../../../schema';
import type { Viewer } from '../context';
import type { FieldAccess } from './fields';

type UserRow = typeof users.$inferSelect;

/** Accounts are visible to themselves, to platform admins, and to admins of their own organisation. */
export function canSeeUser(viewer: Viewer | null, u: Pick<UserRow, 'id' | 'organizationId'>): boolean {
  if (viewer?.kind !== 'user') return false;
  if (viewer.userId === u.id || viewer.role === 'PLATFORM_ADMIN') return true;
  return viewer.role === 'ORG_ADMIN' && u.organizationId !== null && u.organizationId === viewer.organizationId;
}

/**
 * An account's phone and ID number: in full only to its owner. Admins who manage accounts read
 * them masked; a platform admin reads a party's full data only on a case, through a content grant.
 */
export function userPersonalAccess(viewer: Viewer | null, u: Pick<UserRow, 'id'>): FieldAccess {
  if (viewer?.kind !== 'user') return 'HIDDEN';
  return viewer.userId === u.id ? 'FULL' : 'MASKED';
}
