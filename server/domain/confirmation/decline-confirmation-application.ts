import { z } from 'zod';
import { requireApiClient } from '../auth/policy';
import { applyTransition } from '../cases/apply-transition';
import { loadParties } from '../cases/case-access';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError } from '../errors';
import { parseInput } from '../validate';
import { closeCourtAccess } from './court-webhooks';
import { NOT_ACCEPTED_GROUNDS, caseOfApplication, loadApplicationForCourt, notifyParties, updateApplication, type ApplicationRow } from './application-access';

const inputSchema = z.object({
  applicationId: z.string().uuid(),
  ground: z.enum(NOT_ACCEPTED_GROUNDS),
  note: z.string().trim().max(2000).nullish(),
});

/**
 * The court does not accept (不予受理) a submitted application on a ground of INT 355; the case
 * returns to SETTLED and the agreement stands as a contract the parties may still perform.
 */
export async function declineConfirmationApplication(deps: Deps, actor: Actor, input: z.input<typeof inputSchema>): Promise<ApplicationRow> {
  const client = requireApiClient(actor);
  const data = parseInput(inputSchema, input);
  const current = await loadApplicationForCourt(deps.db, client, data.applicationId);
  // Once accepted, a defect ends in a ruling rejecting the application, not in non-acceptance.
  if (current.status !== 'SUBMITTED') throw new InvalidTransitionError(current.status, 'DECLINE');
  const c = await caseOfApplication(deps.db, current);
  const parties = await loadParties(deps.db, c.id);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const row = await updateApplication(tx, deps.clock, current, { status: 'NOT_ACCEPTED', notAcceptedGround: data.ground, decisionNote: data.note ?? null, decidedAt: now });
    // The application has left the court: it keeps what it was sent and sees nothing new.
    await closeCourtAccess(tx, deps.clock, current.caseId, current.courtId);
    await applyTransition(tx, deps.clock, actor, c, 'END_CONFIRMATION_WITHOUT_RULING', { dueAt: null, dueRule: null }, {
      type: 'confirmation.not_accepted',
      data: { applicationId: current.id, ground: data.ground, note: data.note ?? null },
    });
    await notifyParties(tx, deps.clock, parties, 'confirmation.not_accepted', c.id, { caseNumber: c.number, ground: data.ground });
    return row;
  });
}
