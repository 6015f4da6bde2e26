import { sql } from 'drizzle-orm';
import { caseFacts } from '../../../schema';
import type { Tx } from '../../db';
import type { CaseRow } from '../cases/case-access';
import type { CaseAction } from '../cases/state-machine';

type FactsPatch = Partial<typeof caseFacts.$inferInsert>;

/** The milestones a move writes; pure, so the table of moves and the figures are tested without a database. */
export function factsOfMove(before: CaseRow, after: CaseRow, action: CaseAction | undefined, at: Date): FactsPatch | null {
  if (action === 'ESCALATE') return { escalated: true };
  if (before.status === after.status) return null;
  switch (after.status) {
    case 'REFUSED':
      return { refusedAt: at };
    case 'WITHDRAWN':
      return { withdrawnAt: at };
    case 'SETTLED':
      // Back to SETTLED after a confirmation ended without a ruling is no second settlement.
      if (before.status === 'CONFIRMATION_PENDING') return null;
      return { settledAt: at, endedAt: at, settledLevel: before.level ?? after.level, failedAt: null };
    case 'FAILED':
      return { failedAt: at, endedAt: at };
    case 'CONFIRMED':
      return { confirmedAt: at };
    case 'CONFIRMATION_REJECTED':
      return { confirmationRejectedAt: at };
    default:
      return null;
  }
}

/** Writes the milestones of a case move inside the transaction of the move itself. */
export async function recordCaseFacts(tx: Tx, before: CaseRow, after: CaseRow, action: CaseAction | undefined, at: Date): Promise<void> {
  const patch = factsOfMove(before, after, action, at);
  if (!patch) return;
  await tx
    .insert(caseFacts)
    .values({ caseId: after.id, ...patch })
    .onConflictDoUpdate({ target: caseFacts.caseId, set: { ...patch, caseId: sql`excluded.case_id` } });
}
