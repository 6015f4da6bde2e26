import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { undisputedFactConfirmations, undisputedFacts } from '../../../schema';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError, NotFoundError } from '../errors';
import { parseInput } from '../validate';
import type { UndisputedFactRow } from './add-undisputed-fact';
import { caseStanding, requireParty } from './session-access';

const schema = z.object({ factId: z.string().uuid() });

/** A party confirms an undisputed fact (OMR 22); only facts every party confirmed go into a failure report. */
export async function confirmUndisputedFact(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<UndisputedFactRow> {
  const data = parseInput(schema, input);
  const [fact] = await deps.db.select().from(undisputedFacts).where(eq(undisputedFacts.id, data.factId)).limit(1);
  if (!fact) throw new NotFoundError('UndisputedFact');
  let s;
  try {
    s = await caseStanding(deps, actor, fact.caseId);
  } catch (e) {
    throw e instanceof NotFoundError ? new NotFoundError('UndisputedFact') : e;
  }
  const mine = requireParty(s);
  if (!['MEDIATING', 'AGREEMENT_SIGNING'].includes(s.current.status)) throw new InvalidTransitionError(s.current.status, 'CONFIRM_UNDISPUTED_FACT');
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await tx
      .insert(undisputedFactConfirmations)
      .values(mine.map((p) => ({ factId: fact.id, partyId: p.id, confirmedAt: now, userId: s.viewer.userId })))
      .onConflictDoNothing();
    const rows = await tx.select({ partyId: undisputedFactConfirmations.partyId }).from(undisputedFactConfirmations).where(and(eq(undisputedFactConfirmations.factId, fact.id)));
    const confirmedBy = new Set(rows.map((r) => r.partyId));
    await touchCase(tx, deps.clock, actor, s.current, {}, {
      type: 'case.undisputed_fact_confirmed',
      data: { factId: fact.id, partyIds: mine.map((p) => p.id), confirmedByAll: s.parties.every((p) => confirmedBy.has(p.id)) },
    });
    return fact;
  });
}
