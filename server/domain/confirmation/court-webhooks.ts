import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { apiClients, caseCourtAccess } from '../../../schema';
import type { Executor } from '../../db';
import type { Clock } from '../context';
import { enqueue } from '../outbox/enqueue';
import { assertCourtSafe } from '../litigation/court-view';

/**
 * The GraphQL global id of an object (base64 of `Type:id`, the Relay convention the API uses), so
 * webhook payloads carry ids a court can pass straight back; computed here because the domain does
 * not import the GraphQL layer.
 */
export function globalIdOf(typename: string, id: string): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64');
}

/**
 * Queues one webhook per active API client of `courtId` that has a webhook URL, in the caller's
 * transaction: the event leaves only if the change commits (api-contract.md, "Webhooks").
 */
export async function enqueueCourtWebhook(
  tx: Executor,
  clock: Clock,
  courtId: string,
  event: { topic: string; caseId: string; data: Record<string, unknown> },
): Promise<number> {
  // OMR 18, SIM 2: nothing written during mediation leaves for a court.
  assertCourtSafe(event.data);
  const clients = await tx
    .select({ id: apiClients.id })
    .from(apiClients)
    .where(and(eq(apiClients.organizationId, courtId), isNull(apiClients.revokedAt), isNotNull(apiClients.webhookUrl)));
  await enqueue(
    tx,
    clock,
    clients.map((c) => ({ kind: 'WEBHOOK' as const, topic: event.topic, recipient: c.id, caseId: event.caseId, payload: event.data })),
  );
  return clients.length;
}

/** Lets a court see a case it was sent (SIM 2, INT 146: the file is open to the court it went to). */
export async function grantCourtAccess(tx: Executor, clock: Clock, caseId: string, courtId: string, reason: string): Promise<void> {
  // A court the matter comes back to (a new application, an entrusted case) sees the file again.
  await tx
    .insert(caseCourtAccess)
    .values({ caseId, courtId, reason, grantedAt: clock.now() })
    .onConflictDoUpdate({ target: [caseCourtAccess.caseId, caseCourtAccess.courtId], set: { reason, grantedAt: clock.now(), contentUntil: null } });
}

/**
 * The matter has left the court (application not accepted or withdrawn, transfer acknowledged): it
 * keeps what it was sent, and nothing recorded from now on reaches it (SIM 2, INT 146).
 */
export async function closeCourtAccess(tx: Executor, clock: Clock, caseId: string, courtId: string): Promise<void> {
  await tx
    .update(caseCourtAccess)
    .set({ contentUntil: clock.now() })
    .where(and(eq(caseCourtAccess.caseId, caseId), eq(caseCourtAccess.courtId, courtId), isNull(caseCourtAccess.contentUntil)));
}
