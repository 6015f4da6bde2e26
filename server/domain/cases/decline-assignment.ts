import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { caseAssignments } from '../../../schema';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError } from '../errors';
import { parseInput } from '../validate';
import { loadVisibleCase, mediatorOfUser, type CaseRow } from './case-access';
import { reassign } from './reassign';

/** The proposed mediator declines with a reason (e.g. a conflict of interest); the case is reassigned at once. */
export async function declineAssignment(deps: Deps, actor: Actor, input: { caseId: string; reason: string }): Promise<CaseRow> {
  const viewer = requireRole(actor, 'MEDIATOR');
  const data = parseInput(z.object({ caseId: z.string().uuid(), reason: z.string().trim().min(2, 'is required').max(1000) }), input);
  const current = await loadVisibleCase(deps.db, viewer, data.caseId);
  const me = await mediatorOfUser(deps.db, viewer.userId);
  if (!me) throw new NotFoundError('Case');
  if (current.status !== 'ASSIGNING') throw new InvalidTransitionError(current.status, 'DECLINE_ASSIGNMENT');
  const [assignment] = await deps.db
    .select()
    .from(caseAssignments)
    .where(and(eq(caseAssignments.caseId, current.id), eq(caseAssignments.status, 'PENDING')));
  if (!assignment || (assignment.mediatorId ? assignment.mediatorId !== me.id : assignment.organizationId !== me.organizationId)) {
    throw new ForbiddenError('This case is not assigned to you.');
  }
  return deps.db.transaction(async (tx) => {
    const [declined] = await tx
      .update(caseAssignments)
      .set({ status: 'DECLINED', decidedAt: deps.clock.now(), decidedBy: viewer.userId, decisionReason: data.reason, mediatorId: assignment.mediatorId ?? me.id })
      .where(and(eq(caseAssignments.id, assignment.id), eq(caseAssignments.status, 'PENDING')))
      .returning();
    if (!declined) throw new ConflictError();
    return reassign(tx, deps, actor, current, 'DECLINE_ASSIGNMENT', `调解员${viewer.name}拒绝接受：${data.reason}`);
  });
}
