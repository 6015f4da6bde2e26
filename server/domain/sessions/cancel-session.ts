import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { mediationSessions } from '../../../schema';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { ConflictError, InvalidTransitionError } from '../errors';
import { enqueue } from '../outbox/enqueue';
import { parseInput } from '../validate';
import { cancelReminders, participantPhones } from './reminders';
import { requireMediator, sessionStanding, type SessionRow } from './session-access';

const schema = z.object({ sessionId: z.string().uuid(), reason: z.string().trim().min(1).max(1000) });

/** Cancels a scheduled session with a reason; its pending reminders are withdrawn. */
export async function cancelSession(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<SessionRow> {
  const data = parseInput(schema, input);
  const s = await sessionStanding(deps, actor, data.sessionId);
  requireMediator(s);
  if (s.session.status !== 'SCHEDULED') throw new InvalidTransitionError(s.session.status, 'CANCEL_SESSION');
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [cancelled] = await tx
      .update(mediationSessions)
      .set({ status: 'CANCELLED', cancelReason: data.reason, version: s.session.version + 1, updatedAt: now })
      .where(and(eq(mediationSessions.id, s.session.id), eq(mediationSessions.status, 'SCHEDULED'), eq(mediationSessions.version, s.session.version)))
      .returning();
    if (!cancelled) throw new ConflictError();
    await touchCase(tx, deps.clock, actor, s.current, {}, { type: 'session.cancelled', data: { sessionId: cancelled.id, reason: data.reason } });
    await cancelReminders(tx, cancelled.id);
    const phones = await participantPhones(tx, cancelled, s.current.mediatorId);
    await enqueue(
      tx,
      deps.clock,
      phones.map((phone) => ({
        kind: 'NOTIFICATION' as const,
        topic: 'session.cancelled',
        recipient: phone,
        caseId: s.current.id,
        payload: { sessionId: cancelled.id, caseNumber: s.current.number, reason: data.reason },
      })),
    );
    return cancelled;
  });
}
