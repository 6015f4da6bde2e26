import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { caseAssignments } from '../../../schema';
import { requireUser } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { NotFoundError } from '../errors';
import { parseInput } from '../validate';
import { applyTransition } from './apply-transition';
import { loadParties, loadVisibleCase, partiesOfViewer, type CaseRow } from './case-access';
import { ASSIGNMENT_DECISION_TEXT } from './state-machine';

/** The applicant (or whoever filed for them) withdraws the application while it is open. */
export async function withdrawCase(deps: Deps, actor: Actor, input: { caseId: string; reason?: string | null }): Promise<CaseRow> {
  const viewer = requireUser(actor);
  const data = parseInput(z.object({ caseId: z.string().uuid(), reason: z.string().trim().max(1000).nullish() }), input);
  const current = await loadVisibleCase(deps.db, viewer, data.caseId);
  const parties = await loadParties(deps.db, current.id);
  const isApplicant = partiesOfViewer(parties, viewer).some((p) => p.role === 'APPLICANT');
  if (!isApplicant && current.filedByUserId !== viewer.userId) throw new NotFoundError('Case');
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    // A hand-off waiting for a mediator ends with the case, in the same transaction: no mediator may
    // take up (or be counted against) a withdrawn case. The conditional update below rolls it back
    // if someone else moved the case first.
    const ended = await tx
      .update(caseAssignments)
      .set({ status: 'WITHDRAWN', decidedAt: now, decidedBy: viewer.userId, decisionReason: ASSIGNMENT_DECISION_TEXT.WITHDRAWN })
      .where(and(eq(caseAssignments.caseId, current.id), eq(caseAssignments.status, 'PENDING')))
      .returning({ id: caseAssignments.id });
    return applyTransition(tx, deps.clock, actor, current, 'WITHDRAW', { dueAt: null, dueRule: null, closedAt: now }, {
      type: 'case.withdrawn',
      data: { reason: data.reason ?? null, ...(ended.length > 0 ? { assignmentIds: ended.map((a) => a.id) } : {}) },
    });
  });
}
