import { eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { loginThrottles } from '../../../schema';
import type { Executor } from '../../db';
import type { Actor, Deps } from '../context';
import { ForbiddenError } from '../errors';
import { parseInput } from '../validate';
import { phoneSchema } from './fields';
import { dummyHash, verifyPassword } from './passwords';
import { createSession } from './sessions';
import { findUserByPhone, type UserRow } from './users';

/** Failed logins allowed per phone, and per client address, within the window before a lock. */
export const LOGIN_LIMITS = {
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
  perPhone: 5,
  perAddress: 30,
};

function lockedMessage(until: Date): string {
  return `Too many failed logins. Locked until ${until.toISOString()}.`;
}

/** Adds one failure to a counter; the upsert is atomic, so parallel failures all count. */
async function recordFailure(db: Executor, key: string, limit: number, now: Date): Promise<Date | null> {
  const windowStart = new Date(now.getTime() - LOGIN_LIMITS.windowMs);
  const lockUntil = new Date(now.getTime() + LOGIN_LIMITS.lockMs);
  // Raw SQL bypasses column mapping, and the postgres driver refuses Date parameters: send ISO text.
  const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  const fresh = sql`${loginThrottles.windowStartedAt} < ${at(windowStart)}`;
  const nextFailures = sql`case when ${fresh} then 1 else ${loginThrottles.failures} + 1 end`;
  const [row] = await db
    .insert(loginThrottles)
    .values({ key, failures: 1, windowStartedAt: now, lockedUntil: limit <= 1 ? lockUntil : null })
    .onConflictDoUpdate({
      target: loginThrottles.key,
      set: {
        failures: nextFailures,
        windowStartedAt: sql`case when ${fresh} then ${at(now)} else ${loginThrottles.windowStartedAt} end`,
        lockedUntil: sql`case when ${nextFailures} >= ${limit} then ${at(lockUntil)} else ${loginThrottles.lockedUntil} end`,
      },
    })
    .returning();
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

/** Logs in by phone and password; throttled per phone and per address. */
export async function login(
  deps: Deps,
  actor: Actor,
  input: { phone: string; password: string },
): Promise<{ token: string; user: UserRow }> {
  const data = parseInput(z.object({ phone: phoneSchema, password: z.string().min(1, 'is required') }), input);
  const now = deps.clock.now();
  const keys = [`phone:${data.phone}`, ...(actor.ip ? [`ip:${actor.ip}`] : [])];
  const locks = await deps.db.select().from(loginThrottles).where(inArray(loginThrottles.key, keys));
  const lockedUntil = locks
    .map((l) => l.lockedUntil)
    .filter((d): d is Date => d !== null && d > now)
    .sort((a, b) => b.getTime() - a.getTime())[0];
  if (lockedUntil) throw new ForbiddenError(lockedMessage(lockedUntil), 'ACCOUNT_LOCKED', lockedUntil);

  const user = await findUserByPhone(deps.db, data.phone);
  const ok = await verifyPassword(data.password, user?.passwordHash ?? (await dummyHash(deps.config.bcryptCost)));
  if (!user || !ok) {
    const phoneLock = await recordFailure(deps.db, `phone:${data.phone}`, LOGIN_LIMITS.perPhone, now);
    const ipLock = actor.ip ? await recordFailure(deps.db, `ip:${actor.ip}`, LOGIN_LIMITS.perAddress, now) : null;
    const lock = phoneLock ?? ipLock;
    if (lock) throw new ForbiddenError(lockedMessage(lock), 'ACCOUNT_LOCKED', lock);
    throw new ForbiddenError('Wrong phone number or password.', 'UNAUTHENTICATED');
  }
  return deps.db.transaction(async (tx) => {
    await tx.delete(loginThrottles).where(eq(loginThrottles.key, `phone:${data.phone}`));
    const session = await createSession(tx, deps.clock, deps.config.sessionTtlMs, user.id, actor);
    return { token: session.token, user };
  });
}
