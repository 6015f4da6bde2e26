import { mayManageOrganization } from '../access/organization';
import { ForbiddenError } from '../errors';
import type { Actor, ApiClientViewer, UserViewer } from '../context';
import type { UserRole } from '../enums';

/** The acting user; UNAUTHENTICATED when nobody is logged in, FORBIDDEN for a court API client. */
export function requireUser(actor: Actor): UserViewer {
  if (!actor.viewer) throw ForbiddenError.unauthenticated();
  // A court client is authenticated: telling it to log in would send it after the wrong fix.
  if (actor.viewer.kind !== 'user') throw new ForbiddenError('Only a person with an account may do this.');
  return actor.viewer;
}

/** The acting user if they hold one of `roles`, else FORBIDDEN. */
export function requireRole(actor: Actor, ...roles: UserRole[]): UserViewer {
  const user = requireUser(actor);
  if (!roles.includes(user.role)) throw new ForbiddenError(`This needs one of the roles: ${roles.join(', ')}.`);
  return user;
}

/** The acting court API client, or FORBIDDEN (a logged-in person cannot act as a court). */
export function requireApiClient(actor: Actor): ApiClientViewer {
  if (!actor.viewer) throw ForbiddenError.unauthenticated();
  if (actor.viewer.kind !== 'apiClient') throw new ForbiddenError('Only a court API client may do this.');
  return actor.viewer;
}

/** Platform admins manage everything; organisation admins only their own organisation. */
export function requireOrgManager(actor: Actor, organizationId: string): UserViewer {
  const user = requireUser(actor);
  if (mayManageOrganization(user, organizationId)) return user;
  throw new ForbiddenError('Only a platform admin or this organisation’s admin may do this.');
}
