import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { apiClients, organizations } from '../../../schema';
import { recordEvent } from '../audit/record-event';
import { encrypt, randomToken, sha256Hex } from '../auth/crypto';
import { requireRole } from '../auth/policy';
import { API_CLIENT_SECRET_PREFIX } from '../auth/sessions';
import type { Actor, Deps } from '../context';
import { NotFoundError, ValidationError } from '../errors';
import { checkWebhookUrl } from '../outbox/webhook-url-policy';
import { parseInput } from '../validate';

export type ApiClientRow = typeof apiClients.$inferSelect;

const inputSchema = z.object({
  name: z.string().trim().min(2).max(100),
  organizationId: z.string().uuid('is not a valid id'),
  webhookUrl: z
    .string()
    .url('must be an absolute URL')
    .refine((u) => /^https?:\/\//.test(u), 'must be http(s)')
    .nullish(),
  rateLimitPerMinute: z.number().int().min(1).max(100_000).nullish(),
});

/** Creates a court's API client; the secret and webhook secret are returned once and stored hashed/encrypted. */
export async function createApiClient(
  deps: Deps,
  actor: Actor,
  input: z.input<typeof inputSchema>,
): Promise<{ apiClient: ApiClientRow; secret: string; webhookSecret: string | null }> {
  requireRole(actor, 'PLATFORM_ADMIN');
  const data = parseInput(inputSchema, input);
  const [org] = await deps.db.select().from(organizations).where(eq(organizations.id, data.organizationId));
  if (!org) throw new NotFoundError('Organization');
  if (org.kind !== 'COURT') throw ValidationError.field('organizationId', 'must be a court');
  if (data.webhookUrl) {
    const target = await checkWebhookUrl(data.webhookUrl, { production: deps.config.production, allowedNetworks: deps.config.webhookAllowedNetworks, resolve: deps.resolveHost });
    if (!target.ok) throw ValidationError.field('webhookUrl', target.reason);
  }
  const secret = randomToken(API_CLIENT_SECRET_PREFIX);
  const webhookSecret = data.webhookUrl ? randomToken('whsec_') : null;
  return deps.db.transaction(async (tx) => {
    const [client] = await tx
      .insert(apiClients)
      .values({
        name: data.name,
        organizationId: org.id,
        secretPrefix: secret.slice(0, API_CLIENT_SECRET_PREFIX.length + 6),
        secretHash: sha256Hex(secret),
        webhookUrl: data.webhookUrl ?? null,
        webhookSecretEnc: webhookSecret ? encrypt(deps.config.dataKey, webhookSecret) : null,
        rateLimitPerMinute: data.rateLimitPerMinute ?? 600,
        createdAt: deps.clock.now(),
        createdBy: actor.viewer?.kind === 'user' ? actor.viewer.userId : null,
      })
      .returning();
    await recordEvent(tx, deps.clock, actor, {
      subjectType: 'api_client',
      subjectId: client!.id,
      type: 'api_client.created',
      data: { organizationId: org.id, name: client!.name, webhookUrl: client!.webhookUrl },
    });
    return { apiClient: client!, secret, webhookSecret };
  });
}
