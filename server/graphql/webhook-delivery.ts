import { and, desc, eq, type SQL } from 'drizzle-orm';
import { outbox } from '../../schema';
import { redeliverWebhook, visibleWebhookDeliveries, type OutboxRow } from '../domain/outbox/redeliver-webhook';
import { builder } from './builder';
import { newestFirstConnection, olderThanCursor, pageSize } from './keyset';
import { localId } from './ids';

const WebhookDeliveryRef = builder.objectRef<OutboxRow>('WebhookDelivery').implement({
  description: 'One webhook event to one court client: the delivery log (at least once, retried with backoff).',
  fields: (t) => ({
    id: t.id({ description: 'The event id receivers see in the body (`id`); use it to drop repeats.', resolve: (r) => r.id }),
    topic: t.exposeString('topic', { description: 'The event type, e.g. confirmation_application.submitted.' }),
    status: t.exposeString('status', { description: 'PENDING, DELIVERED or FAILED.' }),
    attempts: t.exposeInt('attempts'),
    lastStatus: t.exposeInt('lastStatus', { nullable: true, description: 'HTTP status of the last attempt.' }),
    lastError: t.exposeString('lastError', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
    nextAttemptAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => (r.status === 'PENDING' ? r.availableAt : null) }),
    deliveredAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.deliveredAt }),
    apiClientId: t.id({ resolve: (r) => r.recipient }),
    payload: t.string({ description: 'The event data as JSON.', resolve: (r) => JSON.stringify(r.payload) }),
  }),
});

const DeliveryConnection = builder.connectionObject({ type: WebhookDeliveryRef, name: 'WebhookDeliveryConnection' });


builder.queryFields((t) => ({
  webhookDeliveries: t.field({
    type: DeliveryConnection,
    description: 'Platform admins: every webhook delivery; a court client: those to its court. Newest first.',
    args: { first: t.arg.int({ defaultValue: 20 }), after: t.arg.string(), status: t.arg.string({ description: 'PENDING, DELIVERED or FAILED.' }) },
    resolve: async (_p, args, ctx) => {
      const first = pageSize(args.first);
      const where: (SQL | undefined)[] = [visibleWebhookDeliveries(ctx.viewer)];
      if (args.status) where.push(eq(outbox.status, args.status));
      where.push(olderThanCursor(outbox, args.after));
      const rows = await ctx.deps.db.select().from(outbox).where(and(...where)).orderBy(desc(outbox.createdAt), desc(outbox.id)).limit(first + 1);
      return newestFirstConnection(rows, first, args.after);
    },
  }),
}));

const RedeliverInput = builder.inputType('RedeliverWebhookInput', { fields: (t) => ({ deliveryId: t.id({ required: true }) }) });
const RedeliverSuccess = builder.objectRef<{ delivery: OutboxRow }>('RedeliverWebhookSuccess').implement({
  fields: (t) => ({ delivery: t.field({ type: WebhookDeliveryRef, resolve: (p) => p.delivery }) }),
});

builder.mutationFields((t) => ({
  redeliverWebhook: t.field({
    type: RedeliverSuccess,
    errors: { union: { name: 'RedeliverWebhookResult' } },
    args: { input: t.arg({ type: RedeliverInput, required: true }) },
    resolve: async (_p, { input }, ctx) => {
      // Delivery ids are the raw event ids receivers see, so they are taken as they are.
      const id = String(input.deliveryId);
      const deliveryId = /^[0-9a-f-]{36}$/i.test(id) ? id : localId(id, 'WebhookDelivery', 'deliveryId');
      return { delivery: await redeliverWebhook(ctx.deps, ctx.actor, { deliveryId }) };
    },
  }),
}));
