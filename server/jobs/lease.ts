import { and, eq, lt, or } from 'drizzle-orm';
import { jobLeases } from '../../schema';
import type { Executor } from '../db';

/**
 * Takes or renews the lease `name` for `holder` until `now + ttlMs`; true when `holder` holds it
 * afterwards. One upsert decides: the update only applies when the lease has expired or is already
 * ours, so two instances racing for a free or expired lease cannot both get it.
 */
export async function tryAcquireLease(
  db: Executor,
  name: string,
  holder: string,
  now: Date,
  ttlMs: number,
): Promise<boolean> {
  if (!(ttlMs > 0)) throw new RangeError('ttlMs must be positive');
  const expiresAt = new Date(now.getTime() + ttlMs);
  const rows = await db
    .insert(jobLeases)
    .values({ name, holder, expiresAt })
    .onConflictDoUpdate({
      target: jobLeases.name,
      set: { holder, expiresAt },
      setWhere: or(lt(jobLeases.expiresAt, now), eq(jobLeases.holder, holder)),
    })
    .returning({ holder: jobLeases.holder });
  return rows.length === 1;
}

/** Gives the lease up so another instance can take it at once; true when `holder` held it. */
export async function releaseLease(db: Executor, name: string, holder: string): Promise<boolean> {
  const rows = await db
    .delete(jobLeases)
    .where(and(eq(jobLeases.name, name), eq(jobLeases.holder, holder)))
    .returning({ name: jobLeases.name });
  return rows.length === 1;
}
