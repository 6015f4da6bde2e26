import { z } from 'zod';
import type { Actor, Deps } from '../context';
import { ForbiddenError } from '../errors';
import { parseInput } from '../validate';
import { phoneSchema } from './fields';
import { accountKeys, throttledCheck } from './password-throttle';
import { dummyHash, verifyPassword } from './passwords';
import { createSession } from './sessions';
import { findUserByPhone, type UserRow } from './users';

/** Logs in by phone and password; every attempt is counted before the hash is compared. */
export async function login(
  deps: Deps,
  actor: Actor,
  input: { phone: string; password: string },
): Promise<{ token: string; user: UserRow }> {
  const data = parseInput(z.object({ phone: phoneSchema, password: z.string().min(1, 'is required').max(200) }), input);
  const now = deps.clock.now();
  const user = await findUserByPhone(deps.db, data.phone);
  // An unknown phone is throttled and compared (against a dummy hash) like a known one: timing and answers do not tell.
  const ok = await throttledCheck(deps.db, now, accountKeys({ phone: data.phone }, actor.ip), async () =>
    verifyPassword(data.password, user?.passwordHash ?? (await dummyHash(deps.config.bcryptCost))),
  );
  if (!user || !ok) throw new ForbiddenError('Wrong phone number or password.', 'UNAUTHENTICATED');
  const session = await createSession(deps.db, deps.clock, deps.config.sessionTtlMs, user.id, actor);
  return { token: session.token, user };
}
