import { z } from 'zod';
import { requireUser } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { NotFoundError } from '../errors';
import { parseInput } from '../validate';
import { applyTransition } from './apply-transition';
import { loadParties, loadVisibleCase, partiesOfViewer, type CaseRow } from './case-access';

/** The applicant (or whoever filed for them) withdraws the application while it is open. */
export async function withdrawCase(deps: Deps, actor: Actor, input: { caseId: string; reason?: string | null }): Promise<CaseRow> {
  const viewer = requireUser(actor);
  const data = parseInput(z.object({ caseId: z.string().uuid(), reason: z.string().trim().max(1000).nullish() }), input);
  const current = await loadVisibleCase(deps.db, viewer, data.caseId);
  const parties = await loadParties(deps.db, current.id);
  const isApplicant = partiesOfViewer(parties, viewer).some((p) => p.role === 'APPLICANT');
  if (!isApplicant && current.filedByUserId !== viewer.userId) throw new NotFoundError('Case');
  return deps.db.transaction((tx) =>
    applyTransition(tx, deps.clock, actor, current, 'WITHDRAW', { dueAt: null, dueRule: null, closedAt: deps.clock.now() }, {
      type: 'case.withdrawn',
      data: { reason: data.reason ?? null },
    }),
  );
}
