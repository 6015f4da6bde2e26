import { z } from 'zod';
import { requireUser } from '../auth/policy';
import { applyTransition, touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError } from '../errors';
import { parseInput } from '../validate';
import { OPEN_CONFIRMATION_STATUSES, loadApplicationForParty, notifyParties, updateApplication, type ApplicationRow, type ConfirmationStatus } from './application-access';
import { closeCourtAccess, enqueueCourtWebhook, globalIdOf } from './court-webhooks';

/**
 * A party withdraws the application before the ruling (either party may: the application is
 * joint, so it cannot go on without them). The case returns to SETTLED; a court that already had the
 * application receives `confirmation_application.withdrawn`.
 */
export async function withdrawConfirmationApplication(
  deps: Deps,
  actor: Actor,
  input: { applicationId: string; reason?: string | null },
): Promise<ApplicationRow> {
  const viewer = requireUser(actor);
  const data = parseInput(z.object({ applicationId: z.string().uuid(), reason: z.string().trim().max(1000).nullish() }), input);
  const { application: current, case: c, parties, mine } = await loadApplicationForParty(deps.db, viewer, data.applicationId);
  if (!OPEN_CONFIRMATION_STATUSES.includes(current.status as ConfirmationStatus)) throw new InvalidTransitionError(current.status, 'WITHDRAW');
  const now = deps.clock.now();
  const beforeCourt = current.status !== 'AWAITING_CO_APPLICANT';
  return deps.db.transaction(async (tx) => {
    const row = await updateApplication(tx, deps.clock, current, { status: 'WITHDRAWN', withdrawnAt: now, withdrawalReason: data.reason ?? null });
    // The application has left the court: it keeps what it was sent and sees nothing new.
    await closeCourtAccess(tx, deps.clock, current.caseId, current.courtId);
    const event = { type: 'confirmation.withdrawn', data: { applicationId: current.id, partyIds: mine.map((p) => p.id), by: viewer.name, reason: data.reason ?? null } };
    if (beforeCourt) {
      await applyTransition(tx, deps.clock, actor, c, 'END_CONFIRMATION_WITHOUT_RULING', { dueAt: null, dueRule: null }, event);
      await enqueueCourtWebhook(tx, deps.clock, current.courtId, {
        topic: 'confirmation_application.withdrawn',
        caseId: c.id,
        data: { applicationId: globalIdOf('ConfirmationApplication', current.id), caseId: globalIdOf('Case', c.id), withdrawnAt: now.toISOString(), reason: data.reason ?? null },
      });
    } else {
      await touchCase(tx, deps.clock, actor, c, {}, event);
    }
    const others = parties.filter((p) => !mine.some((m) => m.id === p.id));
    await notifyParties(tx, deps.clock, others, 'confirmation.withdrawn', c.id, { caseNumber: c.number, by: viewer.name });
    return row;
  });
}
