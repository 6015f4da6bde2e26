import { z } from 'zod';
import { subsidySpotChecks } from '../../../schema';
import { requireRole } from '../auth/policy';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError } from '../errors';
import { parseInput } from '../validate';
import { loadCaseForOffice, settlementOf } from './case-subsidy';
import { SPOT_CHECK_METHODS, SPOT_CHECK_OUTCOMES, type SpotCheckMethod, type SpotCheckOutcome } from './types';

export type SpotCheckRow = typeof subsidySpotChecks.$inferSelect;

export interface RecordSubsidySpotCheckInput {
  caseId: string;
  method: SpotCheckMethod;
  partyReached: string;
  outcome: SpotCheckOutcome;
  note: string;
}

const schema = z.object({
  caseId: z.string().uuid(),
  method: z.enum(SPOT_CHECK_METHODS),
  partyReached: z.string().trim().min(1).max(100),
  outcome: z.enum(SPOT_CHECK_OUTCOMES),
  note: z.string().trim().min(4, 'say what the party said in at least 4 characters').max(2000),
});

/**
 * 抽查: the 司法所 or 司法局 records calling or visiting a party of a settled case. An UNSOUND
 * finding (the parties never met, the file is false) forfeits the subsidy: an unpaid case is no
 * longer eligible, and a paid one is clawed back on the township's next statement.
 */
export async function recordSubsidySpotCheck(deps: Deps, actor: Actor, input: RecordSubsidySpotCheckInput): Promise<SpotCheckRow> {
  const viewer = requireRole(actor, 'ORG_ADMIN');
  const data = parseInput(schema, input);
  const c = await loadCaseForOffice(deps.db, viewer, data.caseId, 'SPOT_CHECK');
  if (!(await settlementOf(deps.db, c.id))) throw new InvalidTransitionError(c.status, 'SPOT_CHECK', 'Only a case that ended by settlement is spot-checked.');
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await touchCase(tx, deps.clock, actor, c, {}, { type: 'case.subsidy_spot_checked', data: { method: data.method, outcome: data.outcome, partyReached: data.partyReached, note: data.note } });
    const [row] = await tx
      .insert(subsidySpotChecks)
      .values({ caseId: c.id, method: data.method, partyReached: data.partyReached, outcome: data.outcome, note: data.note, checkedBy: viewer.userId, checkedAt: now })
      .returning();
    return row!;
  });
}
