import { z } from 'zod';
import { requireUser } from '../auth/policy';
import { computeDeadline } from '../clock/deadline';
import { recordDeadline } from '../clock/deadline-records';
import type { Actor, Deps } from '../context';
import { NotFoundError } from '../errors';
import { parseInput } from '../validate';
import { mediationLimit } from './mediation-limit';
import { applyTransition } from './apply-transition';
import { loadParties, loadVisibleCase, mediatorOfUser, partiesOfViewer, type CaseRow } from './case-access';

/**
 * After a court rejects confirmation the parties may mediate again, to change the agreement or make
 * a new one (INT 358 and CPL 206); a party or the case's mediator reopens mediation with a reason.
 */
export async function resumeMediation(deps: Deps, actor: Actor, input: { caseId: string; reason: string }): Promise<CaseRow> {
  const viewer = requireUser(actor);
  const data = parseInput(z.object({ caseId: z.string().uuid(), reason: z.string().trim().min(2, 'is required').max(1000) }), input);
  const current = await loadVisibleCase(deps.db, viewer, data.caseId);
  const isParty = partiesOfViewer(await loadParties(deps.db, current.id), viewer).length > 0;
  const me = viewer.role === 'MEDIATOR' ? await mediatorOfUser(deps.db, viewer.userId) : null;
  if (!isParty && !(me && me.id === current.mediatorId)) throw new NotFoundError('Case');
  const now = deps.clock.now();
  const limit = mediationLimit(current);
  const due = computeDeadline(deps.calendar, { rule: 'CALENDAR_DAYS', amount: limit.days, startAt: now });
  return deps.db.transaction(async (tx) => {
    const resumed = await applyTransition(tx, deps.clock, actor, current, 'RESUME_MEDIATION', { dueAt: due.dueAt, dueRule: limit.rule }, {
      type: 'case.mediation_resumed',
      data: { reason: data.reason, mediationDueAt: due.dueAt.toISOString(), dueBasis: due.basis },
    });
    await recordDeadline(tx, deps.clock, { caseId: current.id, kind: 'MEDIATION_LIMIT', targetId: current.id, computed: due, source: limit.rule });
    return resumed;
  });
}
