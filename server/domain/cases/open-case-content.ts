import { z } from 'zod';
import { caseContentGrants } from '../../../schema';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { parseInput } from '../validate';
import { loadVisibleCase, type CaseRow } from '../access/case';
import { touchCase } from './apply-transition';

/** How long a platform admin's reasoned access to a case's content lasts. */
export const CONTENT_GRANT_MS = 60 * 60_000;

/**
 * A platform admin opens a case's content (minutes, messages, evidence, full ID numbers) for a
 * stated reason: time-limited, written to the case's audit timeline (so it is shown on the case)
 * in the same transaction as the grant.
 */
export async function openCaseContent(deps: Deps, actor: Actor, input: { caseId: string; reason: string }): Promise<{ case: CaseRow; expiresAt: Date }> {
  const viewer = requireRole(actor, 'PLATFORM_ADMIN');
  const data = parseInput(z.object({ caseId: z.string().uuid(), reason: z.string().trim().min(10, 'must state the reason (at least 10 characters)').max(500) }), input);
  const current = await loadVisibleCase(deps.db, viewer, data.caseId);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + CONTENT_GRANT_MS);
  return deps.db.transaction(async (tx) => {
    await tx.insert(caseContentGrants).values({ caseId: current.id, userId: viewer.userId, reason: data.reason, grantedAt: now, expiresAt });
    const updated = await touchCase(tx, deps.clock, actor, current, {}, {
      type: 'case.content_opened',
      data: { reason: data.reason, expiresAt: expiresAt.toISOString() },
    });
    return { case: updated, expiresAt };
  });
}
