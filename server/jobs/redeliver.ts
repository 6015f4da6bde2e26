import { and, eq, inArray } from 'drizzle-orm';
import { outbox } from '../../schema';
import type { Deps } from '../domain/context';
import type { OutboxRow } from './deliver-outbox';

/**
 * Puts a FAILED (or still PENDING) outbox row back in the queue, due now, with a fresh set of
 * attempts: a row that had used them all would otherwise fail again on its first error. The last
 * error and status stay until the next attempt overwrites them. Returns null when there is no such
 * row or it was already delivered. Callers check that the actor is a platform admin.
 */
export async function redeliverOutbox(deps: Deps, outboxId: string): Promise<OutboxRow | null> {
  // A malformed id is "not found", not a database error.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(outboxId)) return null;
  // Conditional update: a row delivered in the meantime is left alone.
  const [row] = await deps.db
    .update(outbox)
    .set({ status: 'PENDING', availableAt: deps.clock.now(), attempts: 0 })
    .where(and(eq(outbox.id, outboxId), inArray(outbox.status, ['FAILED', 'PENDING'])))
    .returning();
  return row ?? null;
}
