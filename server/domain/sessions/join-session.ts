import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '../../../schema';
import { decrypt } from '../auth/crypto';
import { verifyPassword } from '../auth/passwords';
import { accountKeys, throttledCheck } from '../auth/password-throttle';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Deps } from '../context';
import { DeadlineError, ForbiddenError, InvalidTransitionError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { videoProviderFromConfig, VideoProviderError, type JoinDetails } from '../video';
import { participantStanding, requireMediating, type SessionRow } from './session-access';

/** Join details are handed out from 15 minutes before a session until 4 hours after its start (practice). */
export const JOIN_OPENS_BEFORE_MS = 15 * 60_000;
export const JOIN_CLOSES_AFTER_MS = 4 * 3600_000;

const schema = z.object({
  sessionId: z.string().uuid(),
  password: z.string().min(1).max(200).nullish(),
  idNumberLast4: z
    .string()
    .trim()
    .regex(/^\d{3}[\dXx]$/, 'must be the last 4 characters of the ID number')
    .nullish(),
});

export interface JoinResult {
  session: SessionRow;
  roomName: string;
  details: JoinDetails;
  identityCheck: { method: 'PASSWORD' | 'ID_NUMBER_LAST4' | 'NONE'; passed: boolean };
}

/**
 * Join details for a video session, to its participants only and only near its time. A party's
 * identity is re-checked each time (OMR 17) by re-entering the password or the last 4 characters of
 * the ID number on their account; the check and its result are recorded, failures too.
 */
export async function joinSession(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<JoinResult> {
  const data = parseInput(schema, input);
  const s = await participantStanding(deps, actor, data.sessionId);
  requireMediating(s.current, 'JOIN_SESSION');
  if (s.session.status !== 'SCHEDULED') throw new InvalidTransitionError(s.session.status, 'JOIN_SESSION');
  if (s.session.mode !== 'VIDEO') throw ValidationError.field('sessionId', 'is not a video session');
  const now = deps.clock.now();
  const opens = new Date(s.session.startsAt.getTime() - JOIN_OPENS_BEFORE_MS);
  const closes = new Date(s.session.startsAt.getTime() + JOIN_CLOSES_AFTER_MS);
  if (now < opens) throw new DeadlineError('The session opens 15 minutes before its start.', opens);
  if (now > closes) throw new DeadlineError('The session’s join window has closed.', closes);

  let identityCheck: JoinResult['identityCheck'] = { method: 'NONE', passed: true };
  if (s.role === 'PARTY') {
    const [user] = await deps.db.select().from(users).where(eq(users.id, s.viewer.userId)).limit(1);
    // Both re-checks are guesses to throttle like any password check (the last 4 characters most of all).
    const keys = accountKeys({ userId: s.viewer.userId }, actor.ip);
    if (data.password) {
      const password = data.password;
      const passed = await throttledCheck(deps.db, now, keys, async () => !!user && (await verifyPassword(password, user.passwordHash)));
      identityCheck = { method: 'PASSWORD', passed };
    } else if (data.idNumberLast4) {
      const last4 = data.idNumberLast4;
      const sealed = user?.idNumberEnc ?? s.mySessionParties.find((p) => p.idNumberEnc)?.idNumberEnc ?? null;
      const full = sealed ? decrypt(deps.config.dataKey, sealed) : null;
      const passed = await throttledCheck(deps.db, now, keys, async () => !!full && full.slice(-4).toUpperCase() === last4.toUpperCase());
      identityCheck = { method: 'ID_NUMBER_LAST4', passed };
    } else {
      throw ValidationError.field('password', 're-enter your password or the last 4 characters of your ID number to join (OMR 17)');
    }
    // Recorded in its own transaction so that a failed check stays on the record.
    await deps.db.transaction((tx) =>
      touchCase(tx, deps.clock, actor, s.current, {}, {
        type: 'session.identity_check',
        data: { sessionId: s.session.id, partyIds: s.mySessionParties.map((p) => p.id), method: identityCheck.method, passed: identityCheck.passed },
      }),
    );
    if (!identityCheck.passed) throw new ForbiddenError('The identity check failed.');
  }

  const provider = videoProviderFromConfig({
    livekitUrl: deps.config.livekit?.url,
    livekitApiKey: deps.config.livekit?.apiKey,
    livekitApiSecret: deps.config.livekit?.apiSecret,
  });
  const roomName = provider.roomFor(s.session.id);
  try {
    const details = await provider.joinDetails({
      sessionId: s.session.id,
      roomName,
      meetingUrl: s.session.meetingUrl,
      participant: {
        identity: s.viewer.userId,
        name: s.viewer.name,
        role: s.role,
      },
      now,
    });
    return { session: s.session, roomName, details, identityCheck };
  } catch (e) {
    if (e instanceof VideoProviderError) throw ValidationError.field('sessionId', e.message);
    throw e;
  }
}
