import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { caseSubsidyGrades } from '../../../schema';
import { loadVisibleCase, mediatorOfUser } from '../access/case';
import { requireRole } from '../auth/policy';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { ConflictError, ForbiddenError, InvalidTransitionError } from '../errors';
import { parseInput } from '../validate';
import { gradeFacts, lockedPayment, settlementOf, type CaseSubsidyGradeRow } from './case-subsidy';
import { SUBSIDY_GRADES, type SubsidyGrade } from './types';

export interface ProposeSubsidyGradeInput {
  caseId: string;
  grade: SubsidyGrade;
  reason: string;
}

const schema = z.object({
  caseId: z.string().uuid(),
  grade: z.enum(SUBSIDY_GRADES),
  reason: z.string().trim().min(4, 'give the reason for the grade in at least 4 characters').max(2000),
});

/**
 * The case's mediator proposes the difficulty grade of a case that ended by settlement, with a
 * reason; the amount, people, risk and sessions held are recorded beside it. A proposal may be
 * renewed until the township regrades the case or it is on a reviewed statement.
 */
export async function proposeSubsidyGrade(deps: Deps, actor: Actor, input: ProposeSubsidyGradeInput): Promise<CaseSubsidyGradeRow> {
  const viewer = requireRole(actor, 'MEDIATOR');
  const data = parseInput(schema, input);
  const c = await loadVisibleCase(deps.db, viewer, data.caseId);
  const me = await mediatorOfUser(deps.db, viewer.userId);
  if (!me || me.id !== c.mediatorId) throw new ForbiddenError('Only the case’s mediator proposes its grade.');
  if (!(await settlementOf(deps.db, c.id))) throw new InvalidTransitionError(c.status, 'PROPOSE_SUBSIDY_GRADE', 'Only a case that ended by settlement is graded.');
  const now = deps.clock.now();
  const facts = await gradeFacts(deps.db, c, now);
  return deps.db.transaction(async (tx) => {
    // The case row's conditional update orders every grading act on one case.
    await touchCase(tx, deps.clock, actor, c, {}, { type: 'case.subsidy_grade_proposed', data: { grade: data.grade, reason: data.reason, facts } });
    if (await lockedPayment(tx, c.id)) throw new InvalidTransitionError(c.status, 'PROPOSE_SUBSIDY_GRADE', 'The case is on a reviewed statement; its grade no longer changes.');
    const [existing] = await tx.select().from(caseSubsidyGrades).where(eq(caseSubsidyGrades.caseId, c.id));
    const values = { proposedGrade: data.grade, proposedReason: data.reason, proposedFacts: facts, proposedBy: viewer.userId, proposedAt: now, grade: data.grade };
    if (!existing) {
      const [row] = await tx.insert(caseSubsidyGrades).values({ caseId: c.id, ...values }).returning();
      return row!;
    }
    if (existing.regradedAt) throw new InvalidTransitionError('REGRADED', 'PROPOSE_SUBSIDY_GRADE', 'The township 司法所 has regraded this case.');
    const [row] = await tx
      .update(caseSubsidyGrades)
      .set({ ...values, version: existing.version + 1 })
      .where(and(eq(caseSubsidyGrades.caseId, c.id), eq(caseSubsidyGrades.version, existing.version)))
      .returning();
    if (!row) throw new ConflictError();
    return row;
  });
}
