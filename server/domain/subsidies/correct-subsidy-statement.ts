import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { subsidyStatementLines, subsidyStatements } from '../../../schema';
import { maySubsidy } from '../access/subsidy';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { uniqueViolation } from '../db-errors';
import { ConflictError, ForbiddenError } from '../errors';
import { parseInput } from '../validate';
import { composeStatement, insertLines, recordStep, type StatementRow } from './compose-statement';
import { loadStatementFor, moveStatement, organizationOf } from './statement-machine';

/**
 * An approved statement never changes: the county 司法局 corrects it with a new draft for the same
 * township and month that supersedes it. Its lines stop counting, and the new draft is composed
 * afresh (regrades, later files and spot-checks included), then reviewed and approved again.
 */
export async function correctSubsidyStatement(deps: Deps, actor: Actor, input: { statementId: string; reason: string }): Promise<StatementRow> {
  const viewer = requireRole(actor, 'ORG_ADMIN');
  const data = parseInput(z.object({ statementId: z.string().uuid(), reason: z.string().trim().min(4, 'say what is corrected in at least 4 characters').max(2000) }), input);
  const { statement, authority } = await loadStatementFor(deps.db, viewer, data.statementId);
  if (!maySubsidy(authority, 'CORRECT', statement.regionCode)) throw new ForbiddenError('The county 司法局 corrects an approved statement.');
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      const old = await moveStatement(tx, statement, 'SUPERSEDE', { viewer, authority, note: data.reason, at: now });
      await tx.update(subsidyStatementLines).set({ live: false }).where(eq(subsidyStatementLines.statementId, old.id));
      const composed = await composeStatement(tx, old.regionCode, old.month, now);
      const [row] = await tx
        .insert(subsidyStatements)
        .values({
          regionCode: old.regionCode,
          countyCode: old.countyCode,
          month: old.month,
          status: 'DRAFT',
          supersedesId: old.id,
          correctionReason: data.reason,
          totalFen: composed.totalFen,
          exclusions: composed.exclusions,
          createdAt: now,
          createdBy: viewer.userId,
          updatedAt: now,
        })
        .returning();
      await insertLines(tx, row!.id, composed.lines);
      await recordStep(tx, row!.id, { action: 'DRAFT', from: null, to: 'DRAFT', viewer, organization: organizationOf(authority), note: `更正：${data.reason}`, at: now });
      return row!;
    });
  } catch (err) {
    if (uniqueViolation(err)) throw new ConflictError();
    throw err;
  }
}
