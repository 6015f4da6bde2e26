import { z } from 'zod';
import { users } from '../../../schema';
import { eq } from 'drizzle-orm';
import { loadVisibleLead, type LeadRow } from '../access/lead';
import { localDate } from '../clock/calendar';
import type { Actor, Deps } from '../context';
import { ValidationError } from '../errors';
import { parseInput } from '../validate';
import { requireLedgerKeeper, updateLead } from './lead-rules';

export type RecordLeadOutcomeInput =
  | { leadId: string; outcome: 'RESOLVED_ON_SPOT'; resolution: string }
  | { leadId: string; outcome: 'REFERRED'; referredTo: string; reason: string }
  | { leadId: string; outcome: 'UNDER_WATCH'; watchPersonName: string; watchUserId?: string | null; reviewDate: string; measures?: string | null };

const text = (min: number, max: number, msg: string) => z.string().trim().min(min, msg).max(max);
const schema = z.discriminatedUnion('outcome', [
  z.object({ leadId: z.string().uuid(), outcome: z.literal('RESOLVED_ON_SPOT'), resolution: text(5, 2000, 'record who agreed to what (at least 5 characters)') }),
  z.object({ leadId: z.string().uuid(), outcome: z.literal('REFERRED'), referredTo: text(2, 200, 'name the receiving body'), reason: text(2, 1000, 'give a reason') }),
  z.object({
    leadId: z.string().uuid(),
    outcome: z.literal('UNDER_WATCH'),
    watchPersonName: text(1, 100, 'name the person who keeps watch'),
    watchUserId: z.string().uuid().nullish(),
    reviewDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD'),
    measures: z.string().trim().max(2000).nullish(),
  }),
]);

/**
 * Records what became of a lead other than conversion: resolved on the spot (口头调解, with a short
 * record), referred to another body with the receiver and reason, or kept under watch (包保) by a
 * named person until a review date.
 */
export async function recordLeadOutcome(deps: Deps, actor: Actor, input: RecordLeadOutcomeInput): Promise<LeadRow> {
  const viewer = requireLedgerKeeper(actor);
  const data = parseInput(schema, input);
  const { lead } = await loadVisibleLead(deps.db, viewer, data.leadId);
  const now = deps.clock.now();
  if (data.outcome === 'UNDER_WATCH') {
    if (data.reviewDate <= localDate(now)) throw ValidationError.field('reviewDate', 'must be after today');
    if (data.watchUserId) {
      const [u] = await deps.db.select({ id: users.id }).from(users).where(eq(users.id, data.watchUserId));
      if (!u) throw ValidationError.field('watchUserId', 'is not a known user');
    }
  }
  const base = { outcomeAt: now, outcomeBy: viewer.userId };
  return deps.db.transaction(async (tx) => {
    switch (data.outcome) {
      case 'RESOLVED_ON_SPOT':
        return updateLead(tx, deps.clock, actor, lead, 'RESOLVED_ON_SPOT', { ...base, resolution: data.resolution }, { type: 'lead.resolved_on_spot', data: { resolution: data.resolution } });
      case 'REFERRED':
        return updateLead(tx, deps.clock, actor, lead, 'REFERRED', { ...base, referredTo: data.referredTo, referralReason: data.reason }, { type: 'lead.referred', data: { referredTo: data.referredTo, reason: data.reason } });
      case 'UNDER_WATCH':
        return updateLead(
          tx,
          deps.clock,
          actor,
          lead,
          'UNDER_WATCH',
          { ...base, watchPersonName: data.watchPersonName, watchUserId: data.watchUserId ?? null, watchReviewDate: data.reviewDate, watchMeasures: data.measures ?? null },
          { type: 'lead.under_watch', data: { watchPersonName: data.watchPersonName, reviewDate: data.reviewDate, measures: data.measures ?? null } },
        );
    }
  });
}
