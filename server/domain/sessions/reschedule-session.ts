import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { mediationSessions } from '../../../schema';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { ConflictError, InvalidTransitionError, ValidationError } from '../errors';
import { enqueue } from '../outbox/enqueue';
import { parseInput } from '../validate';
import { cancelReminders, enqueueReminders, participantPhones } from './reminders';
import { checkModeNeeds, meetingUrlSchema, SESSION_MODES } from './schedule-session';
import { requireMediating, requireMediator, sessionStanding, type SessionRow } from './session-access';

const schema = z.object({
  sessionId: z.string().uuid(),
  startsAt: z.date(),
  reason: z.string().trim().min(1).max(1000),
  mode: z.enum(SESSION_MODES).nullish(),
  place: z.string().trim().min(1).max(300).nullish(),
  meetingUrl: meetingUrlSchema.nullish(),
});

/** Moves a scheduled session, with a reason; old reminders are withdrawn and new ones enqueued. */
export async function rescheduleSession(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<SessionRow> {
  const data = parseInput(schema, input);
  const s = await sessionStanding(deps, actor, data.sessionId);
  requireMediator(s);
  requireMediating(s.current, 'RESCHEDULE_SESSION');
  if (s.session.status !== 'SCHEDULED') throw new InvalidTransitionError(s.session.status, 'RESCHEDULE_SESSION');
  const now = deps.clock.now();
  if (data.startsAt <= now) throw ValidationError.field('startsAt', 'must be in the future');
  const mode = data.mode ?? s.session.mode;
  const place = data.place ?? s.session.place;
  const meetingUrl = data.meetingUrl ?? s.session.meetingUrl;
  checkModeNeeds(deps, { mode, place, meetingUrl });
  return deps.db.transaction(async (tx) => {
    const [moved] = await tx
      .update(mediationSessions)
      .set({ startsAt: data.startsAt, mode, place, meetingUrl, version: s.session.version + 1, updatedAt: now })
      .where(and(eq(mediationSessions.id, s.session.id), eq(mediationSessions.status, 'SCHEDULED'), eq(mediationSessions.version, s.session.version)))
      .returning();
    if (!moved) throw new ConflictError();
    await touchCase(tx, deps.clock, actor, s.current, {}, {
      type: 'session.rescheduled',
      data: { sessionId: moved.id, from: s.session.startsAt.toISOString(), to: data.startsAt.toISOString(), mode, place, reason: data.reason },
    });
    await cancelReminders(tx, moved.id);
    const phones = await participantPhones(tx, moved, s.current.mediatorId);
    await enqueue(
      tx,
      deps.clock,
      phones.map((phone) => ({
        kind: 'NOTIFICATION' as const,
        topic: 'session.rescheduled',
        recipient: phone,
        caseId: s.current.id,
        payload: { sessionId: moved.id, caseNumber: s.current.number, startsAt: data.startsAt.toISOString(), reason: data.reason },
      })),
    );
    await enqueueReminders(tx, deps.clock, moved, phones, s.current.number);
    return moved;
  });
}
