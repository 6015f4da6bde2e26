import { eq, sql } from 'drizzle-orm';
import { caseSubsidyGrades } from '../../../schema';
import { loadVisibleCase, mediatorOfUser } from '../access/case';
import { loadSubsidyAuthority, maySubsidy } from '../access/subsidy';
import { requireUser } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { NotFoundError } from '../errors';
import { caseFileFacts, evaluateEligibility, type CaseFileFacts, type Eligibility } from './eligibility';
import type { CaseSubsidyGradeRow } from './case-subsidy';

export interface CaseEligibility extends Eligibility {
  caseId: string;
  facts: CaseFileFacts;
  grade: CaseSubsidyGradeRow | null;
}

/** Whether a case earns a subsidy now and what it misses; for its mediator and the offices over it. */
export async function subsidyEligibility(deps: Deps, actor: Actor, caseId: string): Promise<CaseEligibility> {
  const viewer = requireUser(actor);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(caseId)) throw new NotFoundError('Case');
  const authority = await loadSubsidyAuthority(deps.db, viewer);
  const [facts] = await caseFileFacts(deps.db, sql`c.id = ${caseId}`, null);
  if (!facts) throw new NotFoundError('Case');
  if (!maySubsidy(authority, 'READ', facts.regionCode)) {
    // The case's own mediator may see how their case stands.
    const c = await loadVisibleCase(deps.db, viewer, caseId);
    const me = viewer.role === 'MEDIATOR' ? await mediatorOfUser(deps.db, viewer.userId) : null;
    if (!me || me.id !== c.mediatorId) throw new NotFoundError('Case');
  }
  const [grade] = await deps.db.select().from(caseSubsidyGrades).where(eq(caseSubsidyGrades.caseId, caseId));
  return { caseId, facts, grade: grade ?? null, ...evaluateEligibility(facts) };
}
