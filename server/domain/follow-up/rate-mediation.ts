import { z } from 'zod';
import { mediationRatings } from '../../../schema';
import type { RatingRow } from '../access/follow-up';
import { requireUser } from '../auth/policy';
import { loadParties, loadVisibleCase, partiesOfViewer } from '../cases/case-access';
import type { CaseStatus } from '../cases/state-machine';
import type { Actor, Deps } from '../context';
import { uniqueViolation } from '../db-errors';
import { ConflictError, ForbiddenError, InvalidTransitionError } from '../errors';
import { parseInput } from '../validate';

/** A case has ended for rating once mediation is over, whatever the outcome. */
const ENDED: CaseStatus[] = ['SETTLED', 'FAILED', 'CONFIRMATION_PENDING', 'CONFIRMED', 'CONFIRMATION_REJECTED', 'LITIGATION', 'WITHDRAWN', 'CLOSED'];

/**
 * A party rates the mediation of its ended case (1–5, with a comment). One rating per party; it
 * feeds statistics and is never shown to the other party.
 */
export async function rateMediation(deps: Deps, actor: Actor, input: { caseId: string; score: number; comment?: string | null }): Promise<RatingRow> {
  const viewer = requireUser(actor);
  const data = parseInput(
    z.object({ caseId: z.string().uuid(), score: z.number().int().min(1, 'is 1 to 5').max(5, 'is 1 to 5'), comment: z.string().trim().max(2000).nullish() }),
    input,
  );
  const theCase = await loadVisibleCase(deps.db, viewer, data.caseId);
  const mine = partiesOfViewer(await loadParties(deps.db, theCase.id), viewer);
  if (mine.length === 0) throw new ForbiddenError('Only a party of the case rates its mediation.');
  if (!ENDED.includes(theCase.status)) throw new InvalidTransitionError(theCase.status, 'RATE_MEDIATION', 'The case is rated when its mediation has ended.');
  try {
    const [row] = await deps.db
      .insert(mediationRatings)
      .values({
        caseId: theCase.id,
        partyId: mine[0]!.id,
        source: 'PARTY',
        score: data.score,
        comment: data.comment ?? null,
        mediatorId: theCase.mediatorId,
        organizationId: theCase.organizationId,
        createdAt: deps.clock.now(),
        createdBy: viewer.userId,
      })
      .returning();
    return row!;
  } catch (err) {
    // The partial unique index (case, party) for PARTY ratings: a second rating is a conflict.
    if (uniqueViolation(err) !== null) throw new ConflictError('You have already rated this mediation.');
    throw err;
  }
}
