import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { caseSubsidyGrades, subsidyRuleSets, subsidyStatementLines, subsidyStatements } from '../../../schema';
import { requireRole } from '../auth/policy';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { ConflictError, InvalidTransitionError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { loadCaseForOffice, lockedPayment, type CaseSubsidyGradeRow } from './case-subsidy';
import { SUBSIDY_GRADES, type SubsidyGrade } from './types';

export interface RegradeSubsidyCaseInput {
  caseId: string;
  grade: SubsidyGrade;
  reason: string;
}

const schema = z.object({
  caseId: z.string().uuid(),
  grade: z.enum(SUBSIDY_GRADES),
  reason: z.string().trim().min(4, 'give the reason for the change in at least 4 characters').max(2000),
});

/**
 * The township 司法所 changes a case's grade, with a reason. A case on a draft statement has its
 * line and the statement's total changed with it; a case on a reviewed statement no longer changes.
 */
export async function regradeSubsidyCase(deps: Deps, actor: Actor, input: RegradeSubsidyCaseInput): Promise<CaseSubsidyGradeRow> {
  const viewer = requireRole(actor, 'ORG_ADMIN');
  const data = parseInput(schema, input);
  const c = await loadCaseForOffice(deps.db, viewer, data.caseId, 'REGRADE');
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [current] = await tx.select().from(caseSubsidyGrades).where(eq(caseSubsidyGrades.caseId, c.id));
    if (!current) throw new InvalidTransitionError('NOT_GRADED', 'REGRADE', 'The mediator has not proposed a grade yet.');
    if (current.grade === data.grade) throw ValidationError.field('grade', `is already ${data.grade}`);
    await touchCase(tx, deps.clock, actor, c, {}, { type: 'case.subsidy_regraded', data: { from: current.grade, to: data.grade, reason: data.reason } });
    if (await lockedPayment(tx, c.id)) throw new InvalidTransitionError(c.status, 'REGRADE', 'The case is on a reviewed statement; its grade no longer changes.');
    const [row] = await tx
      .update(caseSubsidyGrades)
      .set({ grade: data.grade, regradeReason: data.reason, regradedBy: viewer.userId, regradedAt: now, version: current.version + 1 })
      .where(and(eq(caseSubsidyGrades.caseId, c.id), eq(caseSubsidyGrades.version, current.version)))
      .returning();
    if (!row) throw new ConflictError();
    // A draft line follows the new grade at its own rule version's amount.
    const [line] = await tx
      .select({ id: subsidyStatementLines.id, statementId: subsidyStatementLines.statementId, amountFen: subsidyStatementLines.amountFen, amounts: subsidyRuleSets.amountsFen })
      .from(subsidyStatementLines)
      .innerJoin(subsidyRuleSets, eq(subsidyRuleSets.id, subsidyStatementLines.ruleSetId))
      .where(and(eq(subsidyStatementLines.caseId, c.id), eq(subsidyStatementLines.kind, 'PAYMENT'), eq(subsidyStatementLines.live, true)));
    if (line) {
      const amountFen = line.amounts[data.grade];
      await tx.update(subsidyStatementLines).set({ grade: data.grade, amountFen }).where(eq(subsidyStatementLines.id, line.id));
      const [moved] = await tx
        .update(subsidyStatements)
        .set({ totalFen: sql`${subsidyStatements.totalFen} + ${amountFen - line.amountFen}`, version: sql`${subsidyStatements.version} + 1`, updatedAt: now })
        .where(and(eq(subsidyStatements.id, line.statementId), eq(subsidyStatements.status, 'DRAFT')))
        .returning({ id: subsidyStatements.id });
      if (!moved) throw new ConflictError('The statement was reviewed meanwhile; reload and try again.');
    }
    return row;
  });
}
