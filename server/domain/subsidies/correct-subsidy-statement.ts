import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { subsidyStatementLines } from '../../../schema';
import { maySubsidy } from '../access/subsidy';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { uniqueViolation } from '../db-errors';
import { ConflictError, ForbiddenError } from '../errors';
import { parseInput } from '../validate';
import type { StatementRow } from './compose-statement';
import { insertDraftStatement, loadStatementFor, moveStatement } from './statement-machine';

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
      return insertDraftStatement(tx, { regionCode: old.regionCode, month: old.month, supersedes: { id: old.id, reason: data.reason } }, { viewer, authority, at: now });
    });
  } catch (err) {
    if (uniqueViolation(err)) throw new ConflictError();
    throw err;
  }
}
