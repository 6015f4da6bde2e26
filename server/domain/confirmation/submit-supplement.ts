import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { confirmationSupplements } from '../../../schema';
import { requireUser } from '../auth/policy';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { ConflictError, InvalidTransitionError } from '../errors';
import { parseInput } from '../validate';
import { loadApplicationForParty, openSupplementRequest, updateApplication, type ApplicationRow } from './application-access';
import { enqueueCourtWebhook, globalIdOf } from './court-webhooks';

const inputSchema = z.object({
  applicationId: z.string().uuid(),
  text: z.string().trim().min(1).max(20_000),
  items: z.array(z.string().trim().min(1).max(2000)).max(50).nullish(),
});

/**
 * A party answers the court's request for materials (INT 356): the application goes back to where
 * it was and the court's systems receive `confirmation_application.supplement_submitted`. An answer
 * after the deadline is still taken (the court has not treated the silence as withdrawal) but flagged.
 */
export async function submitSupplement(deps: Deps, actor: Actor, input: z.input<typeof inputSchema>): Promise<ApplicationRow> {
  const viewer = requireUser(actor);
  const data = parseInput(inputSchema, input);
  const { application: current, case: c, mine } = await loadApplicationForParty(deps.db, viewer, data.applicationId);
  if (current.status !== 'SUPPLEMENT_REQUESTED') throw new InvalidTransitionError(current.status, 'SUBMIT_SUPPLEMENT');
  const open = await openSupplementRequest(deps.db, current.id);
  if (!open) throw new InvalidTransitionError(current.status, 'SUBMIT_SUPPLEMENT', 'There is no open request for materials.');
  const now = deps.clock.now();
  const late = now > open.dueAt;
  const answer = [data.text, ...(data.items ?? []).map((item, i) => `${i + 1}. ${item}`)].join('\n');
  return deps.db.transaction(async (tx) => {
    const [answered] = await tx
      .update(confirmationSupplements)
      .set({ answer, answeredAt: now, answeredBy: viewer.userId, answeredLate: late })
      .where(and(eq(confirmationSupplements.id, open.id), isNull(confirmationSupplements.answeredAt)))
      .returning();
    if (!answered) throw new ConflictError('The other party answered first.');
    const row = await updateApplication(tx, deps.clock, current, { status: open.resumeStatus });
    await touchCase(tx, deps.clock, actor, c, {}, {
      type: 'confirmation.supplement_submitted',
      data: { applicationId: current.id, supplementId: open.id, partyIds: mine.map((p) => p.id), late },
    });
    await enqueueCourtWebhook(tx, deps.clock, current.courtId, {
      topic: 'confirmation_application.supplement_submitted',
      caseId: c.id,
      data: { applicationId: globalIdOf('ConfirmationApplication', current.id), caseId: globalIdOf('Case', c.id), supplementId: open.id, late, submittedAt: now.toISOString() },
    });
    return row;
  });
}
