import { z } from 'zod';
import { confirmationSupplements } from '../../../schema';
import { requireApiClient } from '../auth/policy';
import { touchCase } from '../cases/apply-transition';
import { loadParties } from '../cases/case-access';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { caseOfApplication, loadApplicationForCourt, notifyParties, updateApplication, type ApplicationRow } from './application-access';

const inputSchema = z.object({
  applicationId: z.string().uuid(),
  items: z.array(z.string().trim().min(1).max(500)).min(1).max(50),
  dueAt: z.date(),
  note: z.string().trim().max(2000).nullish(),
});

/**
 * The court asks the parties for further materials by a deadline (INT 354, 356); the parties are
 * notified. Silence past the deadline may later be treated as withdrawal (INT 357).
 */
export async function requestSupplement(deps: Deps, actor: Actor, input: z.input<typeof inputSchema>): Promise<ApplicationRow> {
  const client = requireApiClient(actor);
  const data = parseInput(inputSchema, input);
  const current = await loadApplicationForCourt(deps.db, client, data.applicationId);
  if (current.status !== 'SUBMITTED' && current.status !== 'ACCEPTED') throw new InvalidTransitionError(current.status, 'REQUEST_SUPPLEMENT');
  const now = deps.clock.now();
  if (data.dueAt <= now) throw ValidationError.field('dueAt', 'must be in the future');
  const c = await caseOfApplication(deps.db, current);
  const parties = await loadParties(deps.db, c.id);
  return deps.db.transaction(async (tx) => {
    const row = await updateApplication(tx, deps.clock, current, { status: 'SUPPLEMENT_REQUESTED' });
    const [supplement] = await tx
      .insert(confirmationSupplements)
      .values({ applicationId: current.id, items: data.items, dueAt: data.dueAt, resumeStatus: current.status, requestedAt: now, requestedBy: client.clientId })
      .returning();
    await touchCase(tx, deps.clock, actor, c, {}, {
      type: 'confirmation.supplement_requested',
      data: { applicationId: current.id, supplementId: supplement!.id, items: data.items, dueAt: data.dueAt.toISOString(), note: data.note ?? null },
    });
    await notifyParties(tx, deps.clock, parties, 'confirmation.supplement_requested', c.id, {
      caseNumber: c.number,
      items: data.items.join('；'),
      dueAt: data.dueAt.toISOString(),
    });
    return row;
  });
}
