import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { mediators, organizations } from '../../../schema';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { ForbiddenError, InvalidTransitionError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { loadVisibleCase, mediatorOfUser, type CaseRow } from './case-access';
import { dispatch } from './dispatch';

/**
 * Moves a case to another organisation with a reason (by its mediator, its organisation's admin or a
 * platform admin). The receiving organisation takes it up: any of its mediators may accept, unless a
 * mediator of that organisation is named.
 */
export async function transferCase(
  deps: Deps,
  actor: Actor,
  input: { caseId: string; organizationId: string; reason: string; mediatorId?: string | null },
): Promise<CaseRow> {
  const viewer = requireRole(actor, 'MEDIATOR', 'ORG_ADMIN', 'PLATFORM_ADMIN');
  const data = parseInput(
    z.object({
      caseId: z.string().uuid(),
      organizationId: z.string().uuid(),
      reason: z.string().trim().min(2, 'is required').max(1000),
      mediatorId: z.string().uuid().nullish(),
    }),
    input,
  );
  const current = await loadVisibleCase(deps.db, viewer, data.caseId);
  if (viewer.role === 'MEDIATOR') {
    const me = await mediatorOfUser(deps.db, viewer.userId);
    if (!me || current.mediatorId !== me.id) throw new ForbiddenError('Only the case’s mediator may transfer it.');
  }
  if (viewer.role === 'ORG_ADMIN' && current.organizationId !== viewer.organizationId) {
    throw new ForbiddenError('Only the admin of the organisation handling the case may transfer it.');
  }
  if (current.status !== 'ASSIGNING' && current.status !== 'MEDIATING') throw new InvalidTransitionError(current.status, 'TRANSFER');
  const [target] = await deps.db.select().from(organizations).where(eq(organizations.id, data.organizationId));
  if (!target || !target.active || target.kind === 'COURT') throw ValidationError.field('organizationId', 'is not a mediation organisation');
  if (target.id === current.organizationId) throw ValidationError.field('organizationId', 'is already handling the case');
  let mediator: { id: string; name: string; reasons: string[] } | null = null;
  if (data.mediatorId) {
    const [m] = await deps.db.select().from(mediators).where(eq(mediators.id, data.mediatorId));
    if (!m || m.organizationId !== target.id || !m.active) throw ValidationError.field('mediatorId', 'is not an active mediator of that organisation');
    mediator = { id: m.id, name: '', reasons: ['转办时指定'] };
  }
  return deps.db.transaction((tx) =>
    dispatch(tx, deps, actor, current, 'TRANSFER', {
      organization: target, channel: target.channel, level: target.level,
      reasons: [`由${viewer.name}转至${target.name}：${data.reason}`], alternatives: [], mediator,
    }, 'TRANSFER', data.reason),
  );
}
