import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { caseAssignments, organizations } from '../../../schema';
import { localDate } from '../clock/calendar';
import { isNumberOf, nextOrganizationCaseNumber } from './numbering';
import { requireRole } from '../auth/policy';
import { computeDeadline } from '../clock/deadline';
import { closeDeadlines, recordDeadline } from '../clock/deadline-records';
import { mediationLimit } from './mediation-limit';
import type { Actor, Deps } from '../context';
import { ConflictError, ForbiddenError, InvalidTransitionError, NotFoundError } from '../errors';
import { parseInput } from '../validate';
import { applyTransition } from './apply-transition';
import { loadVisibleCase, mediatorOfUser, type CaseRow } from './case-access';

export { mediationLimit } from './mediation-limit';

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
  const limit = mediationLimit(current);
  const due = computeDeadline(deps.calendar, { rule: 'CALENDAR_DAYS', amount: limit.days, startAt: now });
  const dueAt = due.dueAt;
  return deps.db.transaction(async (tx) => {
    const [taken] = await tx
      .update(caseAssignments)
      .set({ status: 'ACCEPTED', decidedAt: now, decidedBy: viewer.userId, mediatorId: me.id })
      .where(and(eq(caseAssignments.id, assignment.id), eq(caseAssignments.status, 'PENDING')))
      .returning();
    if (!taken) throw new ConflictError('Another mediator took this case first.');
    // The organisation that takes the case numbers it as its own (（2026）金牛调字第N号), once: a case
    // that comes back to it keeps that number; one taken up by another organisation gets that one's.
    const [org] = await tx.select({ shortName: organizations.shortName }).from(organizations).where(eq(organizations.id, taken.organizationId));
    const renumber = !org?.shortName || !isNumberOf(current.number, org.shortName);
    const number = renumber ? await nextOrganizationCaseNumber(tx, taken.organizationId, Number(localDate(now).slice(0, 4))) : current.number;
    const numbering = renumber ? { number, filingNumber: current.filingNumber ?? current.number } : {};
    const accepted = await applyTransition(tx, deps.clock, actor, current, 'ACCEPT_ASSIGNMENT', { mediatorId: me.id, acceptedAt: now, dueAt, dueRule: limit.rule, mediatorChoiceDueAt: null, ...numbering }, {
      type: 'case.assignment_accepted',
      data: {
        assignmentId: assignment.id,
        mediatorId: me.id,
        mediatorName: viewer.name,
        mediationDueAt: dueAt.toISOString(),
        dueBasis: due.basis,
        organizationId: taken.organizationId,
        number,
        ...(renumber ? { previousNumber: current.number } : {}),
      },
    });
    await closeDeadlines(tx, deps.clock, { caseId: current.id, kinds: ['ASSIGNMENT_RESPONSE', 'MEDIATOR_CHOICE'] });
    await recordDeadline(tx, deps.clock, { caseId: current.id, kind: 'MEDIATION_LIMIT', targetId: current.id, computed: due, source: limit.rule });
    return accepted;
  });
}
