import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { caseAssignments } from '../../../schema';
import { requireRole } from '../auth/policy';
import { addCalendarDays } from '../clock/calendar';
import type { Actor, Deps } from '../context';
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError } from '../errors';
import { parseInput } from '../validate';
import { applyTransition } from './apply-transition';
import { loadVisibleCase, mediatorOfUser, type CaseRow } from './case-access';

/** How long mediation may run, by channel, and the rule that says so. */
export function mediationLimit(channel: string, delegated: boolean): { days: number; rule: string } {
  if (channel === 'JUDICIAL' || delegated) return { days: 30, rule: 'OMR 24, SIM 27: 委派调解期限为30日，经各方同意可延长' };
  return { days: 30, rule: '人民调解、行政调解、律师调解：一般应在一个月内调结（实践，可配置）' };
}

/** The mediator takes the case up; only one of two concurrent acceptances can succeed. */
export async function acceptAssignment(deps: Deps, actor: Actor, input: { caseId: string }): Promise<CaseRow> {
  const viewer = requireRole(actor, 'MEDIATOR');
  const { caseId } = parseInput(z.object({ caseId: z.string().uuid() }), input);
  const current = await loadVisibleCase(deps.db, viewer, caseId);
  const me = await mediatorOfUser(deps.db, viewer.userId);
  if (!me || !me.active) throw new NotFoundError('Case');
  if (current.status !== 'ASSIGNING') throw new InvalidTransitionError(current.status, 'ACCEPT_ASSIGNMENT');
  const [assignment] = await deps.db
    .select()
    .from(caseAssignments)
    .where(and(eq(caseAssignments.caseId, current.id), eq(caseAssignments.status, 'PENDING')));
  if (!assignment) throw new InvalidTransitionError(current.status, 'ACCEPT_ASSIGNMENT', 'There is no pending assignment.');
  const mayAccept = assignment.mediatorId ? assignment.mediatorId === me.id : assignment.organizationId === me.organizationId;
  if (!mayAccept) throw new ForbiddenError('This case is assigned to another mediator.');
  const now = deps.clock.now();
  const limit = mediationLimit(current.channel ?? 'PEOPLES', current.delegatingCourtId !== null);
  const dueAt = addCalendarDays(now, limit.days, deps.calendar);
  return deps.db.transaction(async (tx) => {
    const [taken] = await tx
      .update(caseAssignments)
      .set({ status: 'ACCEPTED', decidedAt: now, decidedBy: viewer.userId, mediatorId: me.id })
      .where(and(eq(caseAssignments.id, assignment.id), eq(caseAssignments.status, 'PENDING')))
      .returning();
    if (!taken) throw new ConflictError('Another mediator took this case first.');
    return applyTransition(tx, deps.clock, actor, current, 'ACCEPT_ASSIGNMENT', { mediatorId: me.id, acceptedAt: now, dueAt, dueRule: limit.rule }, {
      type: 'case.assignment_accepted',
      data: { assignmentId: assignment.id, mediatorId: me.id, mediatorName: viewer.name, mediationDueAt: dueAt.toISOString() },
    });
  });
}
