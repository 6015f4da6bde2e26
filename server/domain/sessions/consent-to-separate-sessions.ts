import { z } from 'zod';
import { partySessionConsents } from '../../../schema';
import { touchCase } from '../cases/apply-transition';
import type { CaseRow } from '../cases/case-access';
import type { Actor, Deps } from '../context';
import { parseInput } from '../validate';
import { caseStanding, requireMediating, requireParty } from './session-access';

const schema = z.object({ caseId: z.string().uuid() });

/** A party consents to separate sessions with one side only (背对背); recorded once per party. */
export async function consentToSeparateSessions(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<CaseRow> {
  const data = parseInput(schema, input);
  const s = await caseStanding(deps, actor, data.caseId);
  const mine = requireParty(s);
  requireMediating(s.current, 'CONSENT_TO_SEPARATE_SESSIONS');
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await tx
      .insert(partySessionConsents)
      .values(mine.map((p) => ({ caseId: s.current.id, partyId: p.id, form: 'SEPARATE_SESSIONS', consentedAt: now, userId: s.viewer.userId })))
      .onConflictDoNothing();
    return touchCase(tx, deps.clock, actor, s.current, {}, {
      type: 'session.separate_sessions_consented',
      data: { partyIds: mine.map((p) => p.id) },
    });
  });
}
