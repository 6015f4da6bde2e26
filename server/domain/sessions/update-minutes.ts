import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { mediationSessions, sessionMinutesVersions } from '../../../schema';
import { sha256Hex } from '../auth/crypto';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { ConflictError, InvalidTransitionError } from '../errors';
import { parseInput } from '../validate';
import { appendRoomMessage, participantStanding, requireMediating, requireMediator, type MessageRow, type SessionRow } from './session-access';

const schema = z.object({
  sessionId: z.string().uuid(),
  text: z.string().max(100_000),
  /** The version the mediator edited, so that two open editors cannot overwrite each other. */
  expectedVersion: z.number().int().min(0).nullish(),
});

/** The mediator keeps the minutes (调解笔录) in real time; each save is a new version, refused once locked. */
export async function updateMinutes(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<{ session: SessionRow; message: MessageRow }> {
  const data = parseInput(schema, input);
  const s = await participantStanding(deps, actor, data.sessionId);
  requireMediator(s);
  requireMediating(s.current, 'UPDATE_MINUTES');
  if (s.session.minutesLockedAt) throw new InvalidTransitionError('MINUTES_LOCKED', 'UPDATE_MINUTES', 'The minutes are confirmed and locked.');
  if (data.expectedVersion != null && data.expectedVersion !== s.session.minutesVersion) throw new ConflictError();
  const now = deps.clock.now();
  const version = s.session.minutesVersion + 1;
  return deps.db.transaction(async (tx) => {
    // Conditional on the version read and on not being locked: a concurrent lock or edit wins.
    const [session] = await tx
      .update(mediationSessions)
      .set({ minutesText: data.text, minutesVersion: version, updatedAt: now })
      .where(and(eq(mediationSessions.id, s.session.id), eq(mediationSessions.minutesVersion, s.session.minutesVersion), isNull(mediationSessions.minutesLockedAt)))
      .returning();
    if (!session) throw new ConflictError();
    await tx.insert(sessionMinutesVersions).values({ sessionId: session.id, version, text: data.text, editedAt: now, editedBy: s.viewer.userId });
    await touchCase(tx, deps.clock, actor, s.current, {}, {
      type: 'session.minutes_updated',
      data: { sessionId: session.id, version, sha256: sha256Hex(data.text) },
    });
    const message = await appendRoomMessage(tx, deps.clock, session.id, {
      kind: 'MINUTES',
      body: data.text,
      data: { version },
      author: s.viewer,
      authorRole: 'MEDIATOR',
    });
    return { session: { ...session, messageSeq: message.seq }, message };
  });
}
