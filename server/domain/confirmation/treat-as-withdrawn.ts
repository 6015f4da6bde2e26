import { z } from 'zod';
import { requireApiClient } from '../auth/policy';
import { applyTransition } from '../cases/apply-transition';
import { loadParties } from '../cases/case-access';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError } from '../errors';
import { parseInput } from '../validate';
import { closeCourtAccess } from './court-webhooks';
import { caseOfApplication, loadApplicationForCourt, notifyParties, openSupplementRequest, updateApplication, type ApplicationRow } from './application-access';

/**
 * INT 357: the parties did not supply the requested materials by the deadline without a good
 * reason, so the court treats the application as withdrawn; the case returns to SETTLED.
 */
export async function treatAsWithdrawn(deps: Deps, actor: Actor, input: { applicationId: string; note?: string | null }): Promise<ApplicationRow> {
  const client = requireApiClient(actor);
  const data = parseInput(z.object({ applicationId: z.string().uuid(), note: z.string().trim().max(2000).nullish() }), input);
  const current = await loadApplicationForCourt(deps.db, client, data.applicationId);
  if (current.status !== 'SUPPLEMENT_REQUESTED') throw new InvalidTransitionError(current.status, 'TREAT_AS_WITHDRAWN');
  const open = await openSupplementRequest(deps.db, current.id);
  const now = deps.clock.now();
  if (!open || now <= open.dueAt) {
    throw new InvalidTransitionError(current.status, 'TREAT_AS_WITHDRAWN', 'The time to supply the materials has not passed yet (INT 357).');
  }
  const c = await caseOfApplication(deps.db, current);
  const parties = await loadParties(deps.db, c.id);
  return deps.db.transaction(async (tx) => {
    const row = await updateApplication(tx, deps.clock, current, { status: 'WITHDRAWN', withdrawnAt: now, withdrawalReason: 'INT 357: 未在期限内补充材料，按撤回申请处理', decidedAt: now, decisionNote: data.note ?? null });
    // The application has left the court: it keeps what it was sent and sees nothing new.
    await closeCourtAccess(tx, deps.clock, current.caseId, current.courtId);
    await applyTransition(tx, deps.clock, actor, c, 'END_CONFIRMATION_WITHOUT_RULING', { dueAt: null, dueRule: null }, {
      type: 'confirmation.treated_as_withdrawn',
      data: { applicationId: current.id, supplementId: open.id, supplementDueAt: open.dueAt.toISOString(), note: data.note ?? null },
    });
    await notifyParties(tx, deps.clock, parties, 'confirmation.treated_as_withdrawn', c.id, { caseNumber: c.number });
    return row;
  });
}
