import { and, eq, sql } from 'drizzle-orm';
import { caseParties, mediators, outbox, users } from '../../../schema';
import type { Executor, Tx } from '../../db';
import type { Clock } from '../context';
import { enqueue, type OutboxMessage } from '../outbox/enqueue';
import type { SessionRow } from './session-access';

/** Reminders go out a day and an hour before a session (practice); ones already past are skipped. */
export const REMINDER_OFFSETS_MS = [24 * 3600_000, 3600_000];

/** Phones of a session's participants: its parties and the case's mediator. */
export async function participantPhones(db: Executor, session: SessionRow, mediatorId: string | null): Promise<string[]> {
  const parties = await db.select({ id: caseParties.id, phone: caseParties.phone }).from(caseParties).where(eq(caseParties.caseId, session.caseId));
  const phones = parties.filter((p) => session.participantPartyIds.includes(p.id)).map((p) => p.phone);
  if (mediatorId) {
    const [m] = await db.select({ phone: users.phone }).from(mediators).innerJoin(users, eq(users.id, mediators.userId)).where(eq(mediators.id, mediatorId));
    if (m) phones.push(m.phone);
  }
  return [...new Set(phones)];
}

/** Enqueues the reminders of a session, each held in the outbox until its time. */
export async function enqueueReminders(tx: Tx, clock: Clock, session: SessionRow, phones: string[], caseNumber: string): Promise<void> {
  const now = clock.now().getTime();
  const messages: OutboxMessage[] = [];
  for (const offset of REMINDER_OFFSETS_MS) {
    const at = session.startsAt.getTime() - offset;
    if (at <= now) continue;
    for (const phone of phones) {
      messages.push({
        kind: 'NOTIFICATION',
        topic: 'session.reminder',
        recipient: phone,
        caseId: session.caseId,
        availableAt: new Date(at),
        payload: { sessionId: session.id, caseNumber, startsAt: session.startsAt.toISOString(), mode: session.mode, place: session.place },
      });
    }
  }
  await enqueue(tx, clock, messages);
}

/** Withdraws reminders not yet sent (the session moved or was cancelled); the worker only takes PENDING rows. */
export async function cancelReminders(tx: Tx, sessionId: string): Promise<void> {
  await tx
    .update(outbox)
    .set({ status: 'CANCELLED', lastError: 'session rescheduled or cancelled' })
    .where(and(eq(outbox.topic, 'session.reminder'), eq(outbox.status, 'PENDING'), sql`${outbox.payload}->>'sessionId' = ${sessionId}`));
}
