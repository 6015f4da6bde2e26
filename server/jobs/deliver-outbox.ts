import { and, asc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import { apiClients, outbox } from '../../schema';
import { queryRows } from '../db';
import { decrypt } from '../domain/auth/crypto';
import type { Deps } from '../domain/context';
import { checkWebhookUrl } from '../domain/outbox/webhook-url-policy';
import { MAX_WEBHOOK_ATTEMPTS, retryDelayMs } from './backoff';
import { WEBHOOK_SIGNATURE_HEADER, signWebhookPayload } from './webhook-signature';

export type OutboxRow = typeof outbox.$inferSelect;

/** Attempts after which a notification or alert is marked failed (an SMS days late helps nobody). */
export const MAX_NOTIFICATION_ATTEMPTS = 8;

/** How long a webhook receiver may take to answer. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

/** Rows claimed per run. */
export const DEFAULT_DELIVERY_LIMIT = 50;

/** Deliveries in flight at once within one run. */
const CONCURRENCY = 5;


const ERROR_MAX_CHARS = 500;

export interface DeliverOutboxOptions {
  /** HTTP client for webhooks (tests inject failures). */
  webhookFetch?: typeof fetch;
  limit?: number;
  timeoutMs?: number;
  /**
   * Only rows for these recipients (an API client id, a phone…): "deliver this client's queue
   * now"; also keeps tests on a shared database off each other's rows.
   */
  recipients?: string[];
  /** Only webhooks to courts, or only notifications and alerts: each lane has its own job. */
  lane?: 'webhooks' | 'notifications';
}

export interface DeliverOutboxResult {
  delivered: number;
  /** Rows marked FAILED in this run (attempts used up or undeliverable). */
  failed: number;
  /** Rows rescheduled with backoff. */
  retried: number;
}

type Outcome =
  | { kind: 'delivered'; status: number | null }
  | { kind: 'retry'; status: number | null; error: string }
  | { kind: 'fail'; status: number | null; error: string };

interface WebhookTarget {
  url: string | null;
  secret: string | null;
  problem: string | null;
}

/**
 * Delivers due outbox rows (notifications, alerts, webhooks to court systems), oldest first.
 * Each row is claimed before it is sent so two workers never send it at the same time; a failed
 * send is retried with exponential backoff and full jitter until its attempts run out.
 */
export async function deliverOutbox(deps: Deps, opts: DeliverOutboxOptions = {}): Promise<DeliverOutboxResult> {
  const result: DeliverOutboxResult = { delivered: 0, failed: 0, retried: 0 };
  if (opts.recipients && opts.recipients.length === 0) return result;
  // The claim (OUTBOX_CLAIM_SECONDS) pushes available_at: no other worker picks the row up until
  // then, and if this one dies the row comes due again after it (delivery at least once). A run
  // must finish inside its claim, so it takes no more rows than it can send in that time.
  const claimMs = deps.config.outboxClaimMs;
  const timeoutMs = Math.min(opts.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS, Math.floor(claimMs / 2));
  const rounds = Math.max(1, Math.floor(claimMs / timeoutMs) - 1);
  const limit = Math.min(opts.limit ?? DEFAULT_DELIVERY_LIMIT, CONCURRENCY * rounds);
  const now = deps.clock.now();
  const claimedUntil = new Date(now.getTime() + claimMs);
  opts = { ...opts, timeoutMs };

  // One statement claims the batch. FOR UPDATE SKIP LOCKED lets a concurrent worker pass over the
  // rows this one is claiming instead of waiting for them; once committed, the bumped available_at
  // keeps them out of its WHERE. MATERIALIZED makes the CTE run exactly once, so the LIMIT holds.
  const claimed = await queryRows<{ id: string }>(
    deps.db,
    sql`with due as materialized (
          select ${outbox.id} from ${outbox}
          where ${and(
            eq(outbox.status, 'PENDING'),
            lte(outbox.availableAt, now),
            opts.recipients ? inArray(outbox.recipient, opts.recipients) : undefined,
            opts.lane === 'webhooks' ? eq(outbox.kind, 'WEBHOOK') : opts.lane === 'notifications' ? ne(outbox.kind, 'WEBHOOK') : undefined,
          )}
          order by ${outbox.availableAt}, ${outbox.createdAt}
          limit ${limit}
          for update skip locked
        )
        update ${outbox} set available_at = ${claimedUntil.toISOString()}::timestamptz
        from due where ${outbox}.id = due.id
        returning ${outbox}.id`,
  );
  if (claimed.length === 0) return result;

  const rows = await deps.db
    .select()
    .from(outbox)
    .where(inArray(outbox.id, claimed.map((r) => String(r.id))))
    .orderBy(asc(outbox.createdAt), asc(outbox.id));

  const targets = new Map<string, Promise<WebhookTarget>>();
  const targetOf = (clientId: string) => {
    let t = targets.get(clientId);
    if (!t) targets.set(clientId, (t = loadWebhookTarget(deps, clientId)));
    return t;
  };

  let next = 0;
  const worker = async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      const outcome = await attempt(deps, opts, row, targetOf).catch(
        (err: unknown): Outcome => ({ kind: 'retry', status: null, error: errorText(err) }),
      );
      const applied = await record(deps, row, claimedUntil, outcome);
      if (applied) result[applied]++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, rows.length) }, worker));
  return result;
}

async function attempt(
  deps: Deps,
  opts: DeliverOutboxOptions,
  row: OutboxRow,
  targetOf: (clientId: string) => Promise<WebhookTarget>,
): Promise<Outcome> {
  switch (row.kind) {
    case 'NOTIFICATION':
    case 'ALERT':
      await deps.notifier.send({ channel: 'SMS', to: row.recipient, template: row.topic, params: stringParams(row.payload) });
      return { kind: 'delivered', status: null };
    case 'WEBHOOK': {
      const target = await targetOf(row.recipient);
      if (target.problem) return { kind: 'fail', status: null, error: target.problem };
      return postWebhook(deps, opts, row, target.url!, target.secret!);
    }
    default:
      return { kind: 'fail', status: null, error: `unknown outbox kind ${row.kind}` };
  }
}

/** The exact bytes sent for a row: rebuilt from stored columns only, so every retry is identical. */
export function webhookBody(row: Pick<OutboxRow, 'id' | 'topic' | 'createdAt' | 'payload'>): string {
  return JSON.stringify({ id: row.id, type: row.topic, createdAt: row.createdAt.toISOString(), data: row.payload });
}

async function postWebhook(
  deps: Deps,
  opts: DeliverOutboxOptions,
  row: OutboxRow,
  url: string,
  secret: string,
): Promise<Outcome> {
  const body = webhookBody(row);
  const t = Math.floor(deps.clock.now().getTime() / 1000);
  const doFetch = opts.webhookFetch ?? fetch;
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'jiefen-webhooks',
        [WEBHOOK_SIGNATURE_HEADER]: signWebhookPayload(secret, body, t),
      },
      body,
      // A redirect is not followed: the signed event would go somewhere the admin did not configure.
      redirect: 'manual',
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS),
    });
  } catch (err) {
    return { kind: 'retry', status: null, error: errorText(err) };
  }
  if (res.status >= 200 && res.status < 300) {
    await res.body?.cancel().catch(() => {});
    return { kind: 'delivered', status: res.status };
  }
  // The receiver's body is not read nor stored: last_error is readable by the court client, and a
  // receiver must not be able to make the platform echo whatever it answers.
  await res.body?.cancel().catch(() => {});
  return { kind: 'retry', status: res.status, error: `HTTP ${res.status}${res.statusText ? ` ${res.statusText.slice(0, 40)}` : ''}` };
}

async function loadWebhookTarget(deps: Deps, clientId: string): Promise<WebhookTarget> {
  const none = (problem: string): WebhookTarget => ({ url: null, secret: null, problem });
  // A malformed id would make PostgreSQL reject the uuid comparison; it can only be a bad row.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(clientId)) {
    return none('recipient is not an API client id');
  }
  const [client] = await deps.db.select().from(apiClients).where(eq(apiClients.id, clientId));
  if (!client) return none('API client not found');
  if (client.revokedAt) return none('API client revoked');
  if (!client.webhookUrl || !client.webhookSecretEnc) return none('API client has no webhook URL');
  // Checked again at every delivery: the name may now resolve somewhere it did not at creation.
  const allowed = await checkWebhookUrl(client.webhookUrl, {
    production: deps.config.production,
    allowedNetworks: deps.config.webhookAllowedNetworks,
    resolve: deps.resolveHost,
  });
  if (!allowed.ok) return none(`webhook URL refused: ${allowed.reason}`);
  try {
    return { url: client.webhookUrl, secret: decrypt(deps.config.dataKey, client.webhookSecretEnc), problem: null };
  } catch {
    return none('webhook secret cannot be decrypted with the current data key');
  }
}

/**
 * Writes the outcome, conditioned on the claim still being ours (status PENDING and the
 * available_at we set): if the claim lapsed and another worker took the row, or an admin
 * requeued it, this late result must not overwrite theirs.
 */
async function record(
  deps: Deps,
  row: OutboxRow,
  claimedUntil: Date,
  outcome: Outcome,
): Promise<keyof DeliverOutboxResult | null> {
  const now = deps.clock.now();
  const ours = and(eq(outbox.id, row.id), eq(outbox.status, 'PENDING'), eq(outbox.availableAt, claimedUntil));
  const attempts = row.attempts + 1;
  let set: Partial<typeof outbox.$inferInsert>;
  let counted: keyof DeliverOutboxResult;
  if (outcome.kind === 'delivered') {
    set = { status: 'DELIVERED', attempts, deliveredAt: now, lastStatus: outcome.status, lastError: null };
    counted = 'delivered';
  } else {
    const max = row.kind === 'WEBHOOK' ? MAX_WEBHOOK_ATTEMPTS : MAX_NOTIFICATION_ATTEMPTS;
    const error = outcome.error.slice(0, ERROR_MAX_CHARS);
    if (outcome.kind === 'fail' || attempts >= max) {
      set = { status: 'FAILED', attempts, lastStatus: outcome.status, lastError: error };
      counted = 'failed';
    } else {
      const availableAt = new Date(now.getTime() + retryDelayMs(attempts));
      set = { attempts, availableAt, lastStatus: outcome.status, lastError: error };
      counted = 'retried';
    }
    deps.log.warn(
      { outboxId: row.id, kind: row.kind, topic: row.topic, attempts, status: outcome.status, outcome: counted },
      'outbox delivery failed',
    );
  }
  const updated = await deps.db.update(outbox).set(set).where(ours).returning({ id: outbox.id });
  if (updated.length === 0) {
    deps.log.warn({ outboxId: row.id }, 'outbox claim lapsed before the result was recorded');
    return null;
  }
  return counted;
}

/** Template parameters are strings: strings pass as they are, anything else as JSON. */
function stringParams(payload: Record<string, unknown>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    params[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return params;
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    // fetch wraps the useful part (ECONNREFUSED, a timeout) in `cause`.
    const cause = (err as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? `: ${cause.message}` : '';
    return `${err.name}: ${err.message}${causeText}`.slice(0, 200);
  }
  return String(err);
}
