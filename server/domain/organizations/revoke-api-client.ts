import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { apiClients } from '../../../schema';
import { recordEvent } from '../audit/record-event';
import { requireRole } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError, NotFoundError } from '../errors';
import { parseInput } from '../validate';
import type { ApiClientRow } from './create-api-client';

/** Revokes a court API client; its secret stops working at once. */
export async function revokeApiClient(deps: Deps, actor: Actor, input: { apiClientId: string }): Promise<ApiClientRow> {
  requireRole(actor, 'PLATFORM_ADMIN');
  const { apiClientId } = parseInput(z.object({ apiClientId: z.string().uuid('is not a valid id') }), input);
  return deps.db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiClients)
      .set({ revokedAt: deps.clock.now() })
      .where(and(eq(apiClients.id, apiClientId), isNull(apiClients.revokedAt)))
      .returning();
    if (!revoked) {
      const [exists] = await tx.select({ id: apiClients.id }).from(apiClients).where(eq(apiClients.id, apiClientId));
      if (!exists) throw new NotFoundError('ApiClient');
      throw new InvalidTransitionError('REVOKED', 'revoke', 'This API client is already revoked.');
    }
    await recordEvent(tx, deps.clock, actor, { subjectType: 'api_client', subjectId: revoked.id, type: 'api_client.revoked' });
    return revoked;
  });
}
