import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { mediatorChangeRequests } from '../../../schema';
import type { CaseRow } from '../cases/case-access';
import { reassign } from '../cases/reassign';
import type { Actor, Deps } from '../context';
import { parseInput } from '../validate';
import { caseStanding, requireMediating, requireParty } from './session-access';
import { recordTermination } from './terminate-mediation';

const schema = z.object({ caseId: z.string().uuid(), reason: z.string().trim().min(1).max(2000) });

/**
 * A party asks for another mediator (OMR 13): the case is re-dispatched within the organisation.
 * A party who already refused one mediator and refuses again refuses mediation (OMR 14): the case
 * ends on PARTY_REFUSES_TO_CONTINUE.
 */
export async function requestAnotherMediator(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<CaseRow> {
  const data = parseInput(schema, input);
  const s = await caseStanding(deps, actor, data.caseId);
  const mine = requireParty(s);
  requireMediating(s.current, 'REQUEST_ANOTHER_MEDIATOR');
  const earlier = await deps.db
    .select({ id: mediatorChangeRequests.id })
    .from(mediatorChangeRequests)
    .where(and(eq(mediatorChangeRequests.caseId, s.current.id), inArray(mediatorChangeRequests.partyId, mine.map((p) => p.id))))
    .limit(1);
  const repeat = earlier.length > 0;
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await tx.insert(mediatorChangeRequests).values(
      mine.map((p) => ({
        caseId: s.current.id,
        partyId: p.id,
        mediatorId: s.current.mediatorId,
        reason: data.reason,
        outcome: repeat ? 'TERMINATED' : 'REASSIGNED',
        requestedAt: now,
        userId: s.viewer.userId,
        isRepeat: repeat,
      })),
    );
    if (repeat) {
      return recordTermination(tx, deps, actor, s.current, {
        ground: 'PARTY_REFUSES_TO_CONTINUE',
        note: `当事人再次要求更换调解员，视为拒绝调解（OMR 14）：${data.reason}`,
        notesForCourt: null,
      });
    }
    return reassign(tx, deps, actor, s.current, 'TRANSFER', `当事人申请更换调解员（OMR 13）：${data.reason}`);
  });
}
