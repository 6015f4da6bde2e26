import { eq, sql } from 'drizzle-orm';
import { loginThrottles } from '../../../schema';
import type { Executor } from '../../db';
import { ForbiddenError } from '../errors';

/**
 * Every password check (login, signing, password change, the session re-check) goes through one
 * throttle. An attempt is taken atomically BEFORE the hash is compared, so a burst of concurrent
 * guesses gets no more comparisons than the limit allows. Past the free attempts each further
 * attempt waits a growing delay (1 s, 2 s, 4 s … at most 15 min) instead of a hard lock, and the
 * owner can always get in by proving the phone with an SMS code (loginWithPhoneCode).
 */
export const PASSWORD_THROTTLE = {
  /** Attempts are counted within this window; a quiet window starts the count again. */
  windowMs: 60 * 60_000,
  /** Free attempts per phone or account before delays start. */
  perAccount: 5,
  /** Free attempts per client address (many people can share one address behind NAT). */
  perAddress: 30,
  maxDelayMs: 15 * 60_000,
};

/** The delay after the `n`th counted attempt against a key with `limit` free attempts. */
export function attemptDelayMs(n: number, limit: number): number {
  if (n < limit) return 0;
  return Math.min(1000 * 2 ** (n - limit), PASSWORD_THROTTLE.maxDelayMs);
}

export interface ThrottleKey {
  /** "phone:<phone>", "user:<id>" or "ip:<address>". */
  key: string;
  limit: number;
  /** On success the count is cleared (the owner's own key) rather than merely given back. */
  clearOnSuccess?: boolean;
}

const at = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/**
 * Takes one attempt on `key`: a single conditional upsert, so parallel requests each see the
 * count the others left. Returns null when the key is waiting out a delay (no attempt taken).
 */
async function takeAttempt(db: Executor, k: ThrottleKey, now: Date): Promise<{ retryAt: Date | null } | null> {
  const windowStart = new Date(now.getTime() - PASSWORD_THROTTLE.windowMs);
  const fresh = sql`${loginThrottles.windowStartedAt} < ${at(windowStart)}`;
  const next = sql`(case when ${fresh} then 1 else ${loginThrottles.failures} + 1 end)`;
  const delaySeconds = sql`least(power(2, ${next} - ${k.limit}), ${PASSWORD_THROTTLE.maxDelayMs / 1000})`;
  const firstDelay = attemptDelayMs(1, k.limit);
  const [row] = await db
    .insert(loginThrottles)
    .values({
      key: k.key,
      failures: 1,
      windowStartedAt: now,
      lockedUntil: firstDelay > 0 ? new Date(now.getTime() + firstDelay) : null,
    })
    .onConflictDoUpdate({
      target: loginThrottles.key,
      set: {
        failures: next,
        windowStartedAt: sql`case when ${fresh} then ${at(now)} else ${loginThrottles.windowStartedAt} end`,
        lockedUntil: sql`case when ${next} >= ${k.limit} then ${at(now)} + ${delaySeconds} * interval '1 second' else null end`,
      },
      // Conditional: while a delay runs, the attempt is refused and nothing is compared.
      setWhere: sql`${loginThrottles.lockedUntil} is null or ${loginThrottles.lockedUntil} <= ${at(now)}`,
    })
    .returning();
  return row ? { retryAt: row.lockedUntil } : null;
}

async function giveBack(db: Executor, k: ThrottleKey): Promise<void> {
  if (k.clearOnSuccess) {
    await db.delete(loginThrottles).where(eq(loginThrottles.key, k.key));
  } else {
    await db
      .update(loginThrottles)
      .set({ failures: sql`greatest(${loginThrottles.failures} - 1, 0)` })
      .where(eq(loginThrottles.key, k.key));
  }
}

/**
 * Runs `check` (a password comparison) only if every key has an attempt left; returns its result.
 * A refused attempt is a RATE_LIMITED ForbiddenError carrying when to try again.
 */
export async function throttledCheck(
  db: Executor,
  now: Date,
  keys: ThrottleKey[],
  check: () => Promise<boolean>,
): Promise<boolean> {
  const taken: ThrottleKey[] = [];
  for (const k of keys) {
    const attempt = await takeAttempt(db, k, now);
    if (!attempt) {
      const [row] = await db.select().from(loginThrottles).where(eq(loginThrottles.key, k.key));
      const retryAt = row?.lockedUntil ?? new Date(now.getTime() + 1000);
      throw new ForbiddenError(
        `Too many password attempts. Try again after ${retryAt.toISOString()}, or sign in with a code sent to your phone.`,
        'RATE_LIMITED',
        retryAt,
      );
    }
    taken.push(k);
  }
  const ok = await check();
  if (ok) for (const k of taken) await giveBack(db, k);
  return ok;
}

/** The keys for a password check by a known account from a client address. */
export function accountKeys(ref: { phone?: string; userId?: string }, ip: string | null): ThrottleKey[] {
  const keys: ThrottleKey[] = [];
  if (ref.phone) keys.push({ key: `phone:${ref.phone}`, limit: PASSWORD_THROTTLE.perAccount, clearOnSuccess: true });
  if (ref.userId) keys.push({ key: `user:${ref.userId}`, limit: PASSWORD_THROTTLE.perAccount, clearOnSuccess: true });
  if (ip) keys.push({ key: `ip:${ip}`, limit: PASSWORD_THROTTLE.perAddress });
  return keys;
}
