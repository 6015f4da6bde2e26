import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { apiClients, outbox } from '../../../schema';
import { recordEvent } from '../audit/record-event';
import type { Actor, Deps, Viewer } from '../context';
import { ForbiddenError, InvalidTransitionError, NotFoundError } from '../errors';
import { parseInput } from '../validate';

export type OutboxRow = typeof outbox.$inferSelect;

/**
 * Which webhook deliveries a viewer may see: platform admins all of them, a court client those
 * addressed to any client of its own court; nobody else any.
 */
export function visibleWebhookDeliveries(viewer: Viewer | null): SQL {
  const webhook = eq(outbox.kind, 'WEBHOOK');
  if (viewer?.kind === 'apiClient') {
    return and(
      webhook,
      sql`${outbox.recipient} in (select ${apiClients.id}::text from ${apiClients} where ${apiClients.organizationId} = ${viewer.organizationId})`,
    )!;
  }
  if (viewer?.kind === 'user' && viewer.role === 'PLATFORM_ADMIN') return webhook;
  return sql`false`;
}

/** Puts a failed (or waiting) webhook back in the queue, due now with fresh attempts; recorded on the client's trail. */
export async function redeliverWebhook(deps: Deps, actor: Actor, input: { deliveryId: string }): Promise<OutboxRow> {
  if (!actor.viewer) throw ForbiddenError.unauthenticated();
  const v = actor.viewer;
  if (v.kind === 'user' && v.role !== 'PLATFORM_ADMIN') throw new ForbiddenError('Only a platform admin or the court’s own client may redeliver.');
  const { deliveryId } = parseInput(z.object({ deliveryId: z.string().uuid() }), input);
  const [row] = await deps.db.select().from(outbox).where(and(eq(outbox.id, deliveryId), visibleWebhookDeliveries(v)));
  if (!row) throw new NotFoundError('WebhookDelivery');
  if (row.status === 'DELIVERED') throw new InvalidTransitionError(row.status, 'REDELIVER', 'This event was delivered; receivers drop repeats by id anyway.');
  return deps.db.transaction(async (tx) => {
    // Same requeue as the redeliver job (fresh attempts, due now); conditional so a row delivered
    // in the meantime is left alone.
    const [requeued] = await tx
      .update(outbox)
      .set({ status: 'PENDING', availableAt: deps.clock.now(), attempts: 0 })
      .where(and(eq(outbox.id, row.id), inArray(outbox.status, ['FAILED', 'PENDING'])))
      .returning();
    if (!requeued) throw new InvalidTransitionError('DELIVERED', 'REDELIVER', 'This event was delivered in the meantime.');
    await recordEvent(tx, deps.clock, actor, {
      subjectType: 'api_client',
      subjectId: row.recipient,
      type: 'webhook.redelivery_requested',
      data: { deliveryId: row.id, topic: row.topic, previousStatus: row.status, attempts: row.attempts, lastError: row.lastError },
    });
    return requeued;
  });
}
