import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { mediationSessions, sessionMinutesConfirmations } from '../../../schema';
import { sha256Hex } from '../auth/crypto';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { ConflictError, ForbiddenError, InvalidTransitionError } from '../errors';
import { parseInput } from '../validate';
import { participantStanding, type SessionRow } from './session-access';

const schema = z.object({
  sessionId: z.string().uuid(),
  /** The version the party read: confirming something other than what is stored now is a conflict. */
  version: z.number().int().min(1),
});

/**
 * A participating party confirms the minutes they read (OMR 22). When every participating party has
 * confirmed the current version, the minutes are locked and their SHA-256 enters the case record.
 */
export async function confirmMinutes(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<SessionRow> {
  const data = parseInput(schema, input);
  const s = await participantStanding(deps, actor, data.sessionId);
  if (s.role !== 'PARTY') throw new ForbiddenError('Only the session’s parties confirm its minutes.');
  if (!['MEDIATING', 'AGREEMENT_SIGNING'].includes(s.current.status)) throw new InvalidTransitionError(s.current.status, 'CONFIRM_MINUTES');
  if (s.session.minutesLockedAt) throw new InvalidTransitionError('MINUTES_LOCKED', 'CONFIRM_MINUTES', 'The minutes are already locked.');
  if (s.session.minutesVersion === 0) throw new InvalidTransitionError('NO_MINUTES', 'CONFIRM_MINUTES', 'There are no minutes to confirm yet.');
  if (data.version !== s.session.minutesVersion) throw new ConflictError('The minutes changed since you read them; read them again.');
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    await tx
      .insert(sessionMinutesConfirmations)
      .values(s.mySessionParties.map((p) => ({ sessionId: s.session.id, partyId: p.id, version: data.version, confirmedAt: now, userId: s.viewer.userId })))
      .onConflictDoNothing();
    const confirmations = await tx
      .select({ partyId: sessionMinutesConfirmations.partyId })
      .from(sessionMinutesConfirmations)
      .where(and(eq(sessionMinutesConfirmations.sessionId, s.session.id), eq(sessionMinutesConfirmations.version, data.version)));
    const confirmed = new Set(confirmations.map((c) => c.partyId));
    const complete = s.session.participantPartyIds.every((id) => confirmed.has(id));
    const sha256 = sha256Hex(s.session.minutesText);
    let session = s.session;
    if (complete) {
      // Conditional on the version confirmed: an edit that slipped in between makes this a conflict.
      const [locked] = await tx
        .update(mediationSessions)
        .set({ minutesLockedAt: now, minutesSha256: sha256, updatedAt: now })
        .where(and(eq(mediationSessions.id, s.session.id), eq(mediationSessions.minutesVersion, data.version), isNull(mediationSessions.minutesLockedAt)))
        .returning();
      if (!locked) throw new ConflictError();
      session = locked;
    }
    // The case row's conditional update orders concurrent confirmations: only one can be the last.
    await touchCase(tx, deps.clock, actor, s.current, {}, {
      type: complete ? 'session.minutes_locked' : 'session.minutes_confirmed',
      data: { sessionId: s.session.id, version: data.version, sha256, partyIds: s.mySessionParties.map((p) => p.id), ...(complete ? { text: s.session.minutesText } : {}) },
    });
    return session;
  });
}
