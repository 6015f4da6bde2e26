import { eq } from 'drizzle-orm';
import { caseAssignments } from '../../../schema';
import type { Tx } from '../../db';
import type { Actor, Deps } from '../context';
import type { CaseRow } from './case-access';
import { dispatch } from './dispatch';
import { planDiversion } from './diversion';

/**
 * Moves a case one level up (village -> township -> county -> prefecture) with the reason on record;
 * null when no organisation above serves the place and category.
 */
export async function escalate(tx: Tx, deps: Deps, actor: Actor, current: CaseRow, reason: string): Promise<CaseRow | null> {
  const history = await tx.select({ organizationId: caseAssignments.organizationId }).from(caseAssignments).where(eq(caseAssignments.caseId, current.id));
  const plan = await planDiversion(tx, {
    category: current.category,
    regionCode: current.regionCode,
    languages: current.languages,
    aboveLevel: current.level,
    excludeOrganizationIds: history.map((h) => h.organizationId),
  });
  if (!plan) return null;
  return dispatch(tx, deps, actor, current, 'ESCALATE', plan, 'ESCALATION', reason);
}
