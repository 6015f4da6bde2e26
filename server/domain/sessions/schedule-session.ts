import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { mediationSessions, partySessionConsents } from '../../../schema';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { ValidationError } from '../errors';
import { enqueue } from '../outbox/enqueue';
import { parseInput } from '../validate';
import { enqueueReminders, participantPhones } from './reminders';
import { caseStanding, requireMediating, requireMediator, type CaseStanding, type SessionRow } from './session-access';

export const SESSION_MODES = ['VIDEO', 'ON_SITE', 'PHONE', 'ASYNC'] as const;
/** The "four consultations" (四诊疗法) seen in the field. */
export const SESSION_KINDS = ['OFFICE_HOURS', 'VILLAGE_VISIT', 'JOINT', 'HOME_FOLLOW_UP'] as const;

export const meetingUrlSchema = z
  .string()
  .trim()
  .url()
  .refine((u) => u.startsWith('https://'), 'must use https');

const schema = z.object({
  caseId: z.string().uuid(),
  startsAt: z.date(),
  mode: z.enum(SESSION_MODES),
  kind: z.enum(SESSION_KINDS).default('OFFICE_HOURS'),
  place: z.string().trim().min(1).max(300).nullish(),
  participants: z.array(z.string().uuid()).min(1).nullish(),
  meetingUrl: meetingUrlSchema.nullish(),
});

/**
 * Checks who takes part: case parties only; fewer than all is a separate session (背对背), which
 * needs each participating party's recorded consent (consentToSeparateSessions).
 */
export async function checkParticipants(deps: Deps, s: CaseStanding, requested: string[] | null | undefined): Promise<string[]> {
  const all = s.parties.map((p) => p.id);
  const ids = requested ? [...new Set(requested)] : all;
  if (ids.some((id) => !all.includes(id))) throw ValidationError.field('participants', 'are not all parties of this case');
  if (ids.length < all.length) {
    const consents = await deps.db
      .select({ partyId: partySessionConsents.partyId })
      .from(partySessionConsents)
      .where(and(eq(partySessionConsents.caseId, s.current.id), eq(partySessionConsents.form, 'SEPARATE_SESSIONS'), inArray(partySessionConsents.partyId, ids)));
    const consented = new Set(consents.map((c) => c.partyId));
    if (ids.some((id) => !consented.has(id))) {
      throw ValidationError.field('participants', 'a separate session needs the consent of each party taking part');
    }
  }
  return ids;
}

/** Checks the mode's needs: a place on site; a meeting link for video when no LiveKit is configured. */
export function checkModeNeeds(deps: Deps, input: { mode: string; place?: string | null; meetingUrl?: string | null }): void {
  if (input.mode === 'ON_SITE' && !input.place) throw ValidationError.field('place', 'is required for an on-site session');
  if (input.mode === 'VIDEO' && !deps.config.livekit && !input.meetingUrl) {
    throw ValidationError.field('meetingUrl', 'is required for a video session when no video service is configured');
  }
}

/** The case's mediator schedules a session; participants are told and reminded before it. */
export async function scheduleSession(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<SessionRow> {
  const data = parseInput(schema, input);
  const s = await caseStanding(deps, actor, data.caseId);
  requireMediator(s);
  requireMediating(s.current, 'SCHEDULE_SESSION');
  const now = deps.clock.now();
  if (data.startsAt <= now) throw ValidationError.field('startsAt', 'must be in the future');
  checkModeNeeds(deps, data);
  const participantIds = await checkParticipants(deps, s, data.participants);
  return deps.db.transaction(async (tx) => {
    const [session] = await tx
      .insert(mediationSessions)
      .values({
        caseId: s.current.id,
        kind: data.kind,
        mode: data.mode,
        startsAt: data.startsAt,
        place: data.place ?? null,
        meetingUrl: data.meetingUrl ?? null,
        participantPartyIds: participantIds,
        status: 'SCHEDULED',
        createdAt: now,
        createdBy: s.viewer.userId,
        updatedAt: now,
      })
      .returning();
    await touchCase(tx, deps.clock, actor, s.current, {}, {
      type: 'session.scheduled',
      data: {
        sessionId: session!.id,
        kind: data.kind,
        mode: data.mode,
        startsAt: data.startsAt.toISOString(),
        place: data.place ?? null,
        participantPartyIds: participantIds,
        separate: participantIds.length < s.parties.length,
      },
    });
    const phones = await participantPhones(tx, session!, s.current.mediatorId);
    await enqueue(
      tx,
      deps.clock,
      phones.map((phone) => ({
        kind: 'NOTIFICATION' as const,
        topic: 'session.scheduled',
        recipient: phone,
        caseId: s.current.id,
        payload: { sessionId: session!.id, caseNumber: s.current.number, startsAt: data.startsAt.toISOString(), mode: data.mode, place: data.place ?? null },
      })),
    );
    await enqueueReminders(tx, deps.clock, session!, phones, s.current.number);
    return session!;
  });
}
