import { decodeGlobalID } from '@pothos/plugin-relay';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../schema';
import { enqueue, type OutboxMessage } from '../../server/domain/outbox/enqueue';
import { MAX_WEBHOOK_ATTEMPTS, DEFAULT_RETRY_BASE_MS, DEFAULT_RETRY_MAX_MS } from '../../server/jobs/backoff';
import { deliverOutbox, webhookBody, type DeliverOutboxOptions } from '../../server/jobs/deliver-outbox';
import { redeliverOutbox } from '../../server/jobs/redeliver';
import { adminOf, courtOf } from '../support/factories';
import { createTestContext, uniquePhone, type TestContext } from '../support/harness';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

// Every delivery run is scoped to this file's recipients: on PostgreSQL the test database is shared
// with files running in parallel, whose outbox rows are theirs to deliver.

const CREATE_API_CLIENT = /* GraphQL */ `
  mutation ($input: CreateApiClientInput!) {
    createApiClient(input: $input) {
      __typename
      ... on CreateApiClientSuccess { apiClient { id } secret webhookSecret }
      ... on Error { code message }
    }
  }
`;
const REVOKE_API_CLIENT = /* GraphQL */ `
  mutation ($input: RevokeApiClientInput!) {
    revokeApiClient(input: $input) { __typename ... on Error { code message } }
  }
`;

let ctx: TestContext;
let adminToken: string;
let courtGlobalId: string;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  ctx = await createTestContext({ config: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8' } }); // the local webhook receiver
  adminToken = (await adminOf(ctx)).token;
  courtGlobalId = (await courtOf(ctx, adminToken, '532924')).globalId;
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await ctx?.close();
});

interface Client {
  id: string;
  globalId: string;
  webhookSecret: string | null;
}

async function createClient(webhookUrl: string | null): Promise<Client> {
  const res = await ctx.gql(
    CREATE_API_CLIENT,
    { input: { name: `法院系统${uniquePhone().slice(-6)}`, organizationId: courtGlobalId, webhookUrl } },
    adminToken,
  );
  const r = res.data?.createApiClient;
  if (r?.__typename !== 'CreateApiClientSuccess') throw new Error(`createApiClient failed: ${JSON.stringify(res.body)}`);
  return { id: decodeGlobalID(r.apiClient.id).id, globalId: r.apiClient.id, webhookSecret: r.webhookSecret };
}

/** A receiver and an API client whose webhook points at it, verifying with the returned secret. */
async function clientWithReceiver(): Promise<{ client: Client; receiver: WebhookReceiver }> {
  const receiver = await startWebhookReceiver({ now: () => ctx.clock.now() });
  receivers.push(receiver);
  const client = await createClient(receiver.url);
  expect(client.webhookSecret).toMatch(/^whsec_/);
  receiver.secret = client.webhookSecret;
  return { client, receiver };
}

async function enqueueAll(messages: OutboxMessage[]) {
  await ctx.deps.db.transaction((tx) => enqueue(tx, ctx.clock, messages));
  const recipients = [...new Set(messages.map((m) => m.recipient))];
  return ctx.deps.db.select().from(outbox).where(inArray(outbox.recipient, recipients)).orderBy(outbox.createdAt);
}

async function rowsOf(ids: string[]) {
  return ctx.deps.db.select().from(outbox).where(inArray(outbox.id, ids));
}

function deliver(recipients: string[], opts: DeliverOutboxOptions = {}) {
  return deliverOutbox(ctx.deps, { recipients, ...opts });
}

/** Further than any single retry delay, so every rescheduled row is due again. */
const PAST_ANY_RETRY = DEFAULT_RETRY_MAX_MS + 1000;

describe('notifications and alerts', () => {
  it('sends a committed notification through the notifier, once', async () => {
    const phone = uniquePhone();
    const [row] = await enqueueAll([
      {
        kind: 'NOTIFICATION',
        topic: 'case.respondent_invited',
        recipient: phone,
        payload: { caseNumber: '(2026)云2924民调12号', days: 3, urgent: true, note: null },
      },
    ]);
    expect(row!.status).toBe('PENDING');

    expect(await deliver([phone])).toEqual({ delivered: 1, failed: 0, retried: 0 });
    const sent = ctx.notifier.sent.filter((m) => m.to === phone);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      channel: 'SMS',
      to: phone,
      template: 'case.respondent_invited',
      params: { caseNumber: '(2026)云2924民调12号', days: '3', urgent: 'true' },
    });
    expect(sent[0]!.params).not.toHaveProperty('note');

    const [after] = await rowsOf([row!.id]);
    expect(after).toMatchObject({ status: 'DELIVERED', attempts: 1, lastError: null });
    expect(after!.deliveredAt?.toISOString()).toBe(ctx.clock.now().toISOString());

    expect(await deliver([phone])).toEqual({ delivered: 0, failed: 0, retried: 0 });
    expect(ctx.notifier.sent.filter((m) => m.to === phone)).toHaveLength(1);
  });

  it('sends alerts the same way', async () => {
    const liaison = uniquePhone();
    await enqueueAll([{ kind: 'ALERT', topic: 'risk.high', recipient: liaison, payload: { caseId: 'c1', level: 'HIGH' } }]);
    expect(await deliver([liaison])).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(ctx.notifier.sent.filter((m) => m.to === liaison)).toMatchObject([
      { template: 'risk.high', params: { caseId: 'c1', level: 'HIGH' } },
    ]);
  });

  it('leaves a row alone until it is due', async () => {
    const phone = uniquePhone();
    await enqueueAll([{ kind: 'NOTIFICATION', topic: 't', recipient: phone, payload: {} }]);
    ctx.clock.advance(-60_000);
    expect(await deliver([phone])).toEqual({ delivered: 0, failed: 0, retried: 0 });
    ctx.clock.advance(60_000);
    expect(await deliver([phone])).toEqual({ delivered: 1, failed: 0, retried: 0 });
  });

  it('retries when the notifier throws', async () => {
    const phone = uniquePhone();
    const [row] = await enqueueAll([{ kind: 'NOTIFICATION', topic: 't', recipient: phone, payload: {} }]);
    const failing = { ...ctx.deps, notifier: { send: async () => Promise.reject(new Error('gateway 500')) } };
    expect(await deliverOutbox(failing, { recipients: [phone] })).toEqual({ delivered: 0, failed: 0, retried: 1 });
    const [after] = await rowsOf([row!.id]);
    expect(after).toMatchObject({ status: 'PENDING', attempts: 1, lastStatus: null });
    expect(after!.lastError).toContain('gateway 500');
    ctx.clock.advance(PAST_ANY_RETRY);
    expect(await deliver([phone])).toEqual({ delivered: 1, failed: 0, retried: 0 });
  });
});

describe('webhooks', () => {
  it('POSTs the signed event to the client created through the API', async () => {
    const { client, receiver } = await clientWithReceiver();
    const payload = { applicationId: 'a5b0c7de-0000-4000-8000-000000000001', court: '云2924', parties: ['甲', '乙'] };
    const [row] = await enqueueAll([
      { kind: 'WEBHOOK', topic: 'confirmation_application.submitted', recipient: client.id, payload },
    ]);

    expect(await deliver([client.id])).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(receiver.requests).toHaveLength(1);
    const got = receiver.requests[0]!;
    expect(got.signatureValid).toBe(true);
    expect(got.json).toEqual({
      id: row!.id,
      type: 'confirmation_application.submitted',
      createdAt: ctx.clock.now().toISOString(),
      data: payload,
    });
    expect(got.body).toBe(webhookBody(row!));
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['user-agent']).toBe('jiefen-webhooks');
    const t = Number(/^t=(\d+),v1=[0-9a-f]{64}$/.exec(String(got.headers['x-jiefen-signature']))?.[1]);
    expect(t).toBe(Math.floor(ctx.clock.now().getTime() / 1000));

    const [after] = await rowsOf([row!.id]);
    expect(after).toMatchObject({ status: 'DELIVERED', attempts: 1, lastStatus: 200, lastError: null });
  });

  it('retries through outages with backoff until delivered, with the same body each time', async () => {
    const { client, receiver } = await clientWithReceiver();
    const rows = await enqueueAll(
      ['confirmation_application.submitted', 'confirmation_application.withdrawn', 'litigation_transfer.created'].map(
        (topic, i) => ({ kind: 'WEBHOOK' as const, topic, recipient: client.id, payload: { n: i, 名称: '宾川县' } }),
      ),
    );
    const ids = rows.map((r) => r.id);

    // 1. The receiver answers 503.
    receiver.mode = 'down';
    const firstTry = ctx.clock.now();
    expect(await deliver([client.id])).toEqual({ delivered: 0, failed: 0, retried: 3 });
    for (const r of await rowsOf(ids)) {
      expect(r).toMatchObject({ status: 'PENDING', attempts: 1, lastStatus: 503, deliveredAt: null });
      expect(r.lastError).toMatch(/^HTTP 503/);
      // Full jitter: somewhere in [now, now + base] for the first retry.
      expect(r.availableAt.getTime()).toBeGreaterThanOrEqual(firstTry.getTime());
      expect(r.availableAt.getTime()).toBeLessThanOrEqual(firstTry.getTime() + DEFAULT_RETRY_BASE_MS);
    }
    // Only rows whose delay has passed are tried again (a jittered delay of 0 is possible, if rare).
    const dueNow = (await rowsOf(ids)).filter((r) => r.availableAt <= ctx.clock.now()).length;
    expect(await deliver([client.id])).toEqual({ delivered: 0, failed: 0, retried: dueNow });

    // 2. The connection drops without an answer.
    ctx.clock.advance(PAST_ANY_RETRY);
    receiver.mode = 'reset';
    expect((await deliver([client.id])).retried).toBe(3);
    for (const r of await rowsOf(ids)) {
      expect(r.lastStatus).toBeNull();
      expect(r.lastError).toBeTruthy();
    }

    // 3. The receiver never answers: the sender's timeout fires.
    ctx.clock.advance(PAST_ANY_RETRY);
    receiver.mode = 'hang';
    expect(await deliver([client.id], { timeoutMs: 300 })).toEqual({ delivered: 0, failed: 0, retried: 3 });
    for (const r of await rowsOf(ids)) expect(r.lastError).toMatch(/timeout|abort/i);

    // 4. Back up: everything arrives.
    ctx.clock.advance(PAST_ANY_RETRY);
    receiver.mode = 'up';
    expect(await deliver([client.id])).toEqual({ delivered: 3, failed: 0, retried: 0 });
    expect(await deliver([client.id])).toEqual({ delivered: 0, failed: 0, retried: 0 });

    const after = await rowsOf(ids);
    for (const r of after) {
      expect(r).toMatchObject({ status: 'DELIVERED', lastStatus: 200, lastError: null });
      expect(r.attempts).toBeGreaterThanOrEqual(4);
    }
    expect(new Set(receiver.accepted().map((r) => r.json!.id))).toEqual(new Set(ids));
    for (const id of ids) {
      const copies = receiver.requests.filter((r) => r.json?.id === id);
      expect(copies.length).toBeGreaterThanOrEqual(4);
      expect(new Set(copies.map((c) => c.body)).size).toBe(1);
      expect(copies.every((c) => c.signatureValid)).toBe(true);
    }
  });

  it('marks a row FAILED after the last attempt, and redelivers it on request', async () => {
    const { client, receiver } = await clientWithReceiver();
    const [row] = await enqueueAll([
      { kind: 'WEBHOOK', topic: 'litigation_transfer.created', recipient: client.id, payload: { transferId: 't1' } },
    ]);
    await ctx.deps.db.update(outbox).set({ attempts: MAX_WEBHOOK_ATTEMPTS - 1 }).where(eq(outbox.id, row!.id));

    receiver.mode = 'down';
    expect(await deliver([client.id])).toEqual({ delivered: 0, failed: 1, retried: 0 });
    let [r] = await rowsOf([row!.id]);
    expect(r).toMatchObject({ status: 'FAILED', attempts: MAX_WEBHOOK_ATTEMPTS, lastStatus: 503 });
    ctx.clock.advance(PAST_ANY_RETRY);
    expect(await deliver([client.id])).toEqual({ delivered: 0, failed: 0, retried: 0 });

    const requeued = await redeliverOutbox(ctx.deps, row!.id);
    expect(requeued).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(requeued!.availableAt.toISOString()).toBe(ctx.clock.now().toISOString());

    receiver.mode = 'up';
    expect(await deliver([client.id])).toEqual({ delivered: 1, failed: 0, retried: 0 });
    [r] = await rowsOf([row!.id]);
    expect(r).toMatchObject({ status: 'DELIVERED', attempts: 1 });
    const bodies = new Set(receiver.requests.map((q) => q.body));
    expect(bodies).toEqual(new Set([webhookBody(row!)]));

    expect(await redeliverOutbox(ctx.deps, row!.id)).toBeNull();
    expect(await redeliverOutbox(ctx.deps, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await redeliverOutbox(ctx.deps, 'not-a-uuid')).toBeNull();
  });

  it('fails rows for a revoked client, a client without a webhook URL and an unknown client', async () => {
    const { client: revoked, receiver } = await clientWithReceiver();
    const res = await ctx.gql(REVOKE_API_CLIENT, { input: { apiClientId: revoked.globalId } }, adminToken);
    expect(res.data?.revokeApiClient?.__typename).toBe('RevokeApiClientSuccess');
    const noHook = await createClient(null);
    expect(noHook.webhookSecret).toBeNull();
    const unknown = '00000000-0000-4000-8000-00000000abcd';

    const rows = await enqueueAll(
      [revoked.id, noHook.id, unknown].map((recipient) => ({
        kind: 'WEBHOOK' as const,
        topic: 'confirmation_application.submitted',
        recipient,
        payload: {},
      })),
    );
    expect(await deliver([revoked.id, noHook.id, unknown])).toEqual({ delivered: 0, failed: 3, retried: 0 });
    expect(receiver.requests).toHaveLength(0);
    const byRecipient = new Map((await rowsOf(rows.map((r) => r.id))).map((r) => [r.recipient, r]));
    expect(byRecipient.get(revoked.id)).toMatchObject({ status: 'FAILED', lastError: 'API client revoked' });
    expect(byRecipient.get(noHook.id)).toMatchObject({ status: 'FAILED', lastError: 'API client has no webhook URL' });
    expect(byRecipient.get(unknown)).toMatchObject({ status: 'FAILED', lastError: 'API client not found' });
  });

  it('does not follow redirects', async () => {
    const { client } = await clientWithReceiver();
    await enqueueAll([{ kind: 'WEBHOOK', topic: 'x', recipient: client.id, payload: {} }]);
    const calls: RequestInit[] = [];
    const redirecting = (async (_url: string | URL | Request, init?: RequestInit) => {
      calls.push(init!);
      return new Response(null, { status: 307, headers: { location: 'http://127.0.0.1:1/elsewhere' } });
    }) as typeof fetch;
    expect(await deliver([client.id], { webhookFetch: redirecting })).toEqual({ delivered: 0, failed: 0, retried: 1 });
    expect(calls[0]?.redirect).toBe('manual');
  });
});

describe('concurrent workers', () => {
  it('deliver each row exactly once', async () => {
    const { client, receiver } = await clientWithReceiver();
    const other = await clientWithReceiver();
    // Slow answers keep both workers' batches in flight at the same time.
    receiver.delayMs = 15;
    other.receiver.delayMs = 15;
    const phones = Array.from({ length: 8 }, () => uniquePhone());
    const messages: OutboxMessage[] = [
      ...Array.from({ length: 10 }, (_, i) => ({ kind: 'WEBHOOK' as const, topic: 'e', recipient: client.id, payload: { i } })),
      ...Array.from({ length: 6 }, (_, i) => ({ kind: 'WEBHOOK' as const, topic: 'e', recipient: other.client.id, payload: { i } })),
      ...phones.map((to, i) => ({ kind: 'NOTIFICATION' as const, topic: 'n', recipient: to, payload: { i } })),
    ];
    const rows = await enqueueAll(messages);
    expect(rows).toHaveLength(24);
    const recipients = [client.id, other.client.id, ...phones];

    const drain = async () => {
      let delivered = 0;
      for (;;) {
        const r = await deliverOutbox(ctx.deps, { recipients, limit: 3 });
        expect(r.failed + r.retried).toBe(0);
        if (r.delivered === 0) return delivered;
        delivered += r.delivered;
      }
    };
    const [a, b] = await Promise.all([drain(), drain()]);
    expect(a + b).toBe(24);
    if (ctx.kind === 'postgres') {
      // On PostgreSQL the two workers really overlap; both should have had a share.
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
    }

    const webhookIds = [...receiver.requests, ...other.receiver.requests].map((r) => r.json!.id);
    expect(webhookIds).toHaveLength(16);
    expect(new Set(webhookIds).size).toBe(16);
    const sms = ctx.notifier.sent.filter((m) => phones.includes(m.to));
    expect(sms).toHaveLength(8);
    expect(new Set(sms.map((m) => m.to)).size).toBe(8);
    for (const r of await rowsOf(rows.map((x) => x.id))) expect(r).toMatchObject({ status: 'DELIVERED', attempts: 1 });
  });
});

describe('webhook targets are checked (SSRF)', () => {
  it('createApiClient refuses internal targets outside the allow-list, naming webhookUrl', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'https://10.0.0.1/hook', 'http://[::1]:8080/', 'http://0x7f000001/', 'https://192.168.0.10/']) {
      const allowed = url.includes('0x7f'); // 127.0.0.0/8 is allow-listed in this file for the local receivers
      const res = await ctx.gql(
        CREATE_API_CLIENT.replace('... on Error { code message }', '... on Error { code message } ... on ValidationError { fields { field message } }'),
        { input: { name: `法院系统${uniquePhone().slice(-6)}`, organizationId: courtGlobalId, webhookUrl: url } },
        adminToken,
      );
      const r = res.data?.createApiClient;
      if (allowed) expect(r?.__typename).toBe('CreateApiClientSuccess');
      else {
        expect(r?.__typename, `${url}: ${JSON.stringify(res.body)}`).toBe('ValidationError');
        expect(r.fields[0].field).toBe('webhookUrl');
      }
    }
  });

  it('checks again at every delivery: once the network is no longer allowed, nothing is sent', async () => {
    const { client, receiver } = await clientWithReceiver();
    const [row] = await enqueueAll([{ kind: 'WEBHOOK', topic: 'test.ping', recipient: client.id, payload: {} }]);
    const strict = { ...ctx.deps, config: { ...ctx.deps.config, webhookAllowedNetworks: [] } };
    expect(await deliverOutbox(strict, { recipients: [client.id] })).toEqual({ delivered: 0, failed: 1, retried: 0 });
    expect(receiver.requests).toHaveLength(0);
    const [after] = await rowsOf([row!.id]);
    expect(after!.lastError).toMatch(/^webhook URL refused: resolves to an internal address/);
  });

  it("stores the receiver's status and a short reason, never its body", async () => {
    const { client } = await clientWithReceiver();
    const [row] = await enqueueAll([{ kind: 'WEBHOOK', topic: 'test.ping', recipient: client.id, payload: {} }]);
    const leaky = async () => new Response('db password is hunter2 <stack trace>', { status: 500, statusText: 'Internal Server Error' });
    expect(await deliver([client.id], { webhookFetch: leaky as unknown as typeof fetch })).toEqual({ delivered: 0, failed: 0, retried: 1 });
    const [after] = await rowsOf([row!.id]);
    expect(after).toMatchObject({ lastStatus: 500, lastError: 'HTTP 500 Internal Server Error' });
  });
});

describe('lanes and the claim window', () => {
  it('the claim window defaults to 30 s: a row claimed by a worker that died is retried after it, not after 5 minutes', async () => {
    expect(ctx.deps.config.outboxClaimMs).toBe(30_000);
    const { client, receiver } = await clientWithReceiver();
    const [row] = await enqueueAll([{ kind: 'WEBHOOK', topic: 'test.ping', recipient: client.id, payload: {} }]);
    // The first worker claims the row and then hangs on a receiver that never answers (as if it died).
    const hanging = (_url: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    const first = deliver([client.id], { webhookFetch: hanging as unknown as typeof fetch, timeoutMs: 300 });
    await new Promise((r) => setTimeout(r, 100));
    ctx.clock.advance(29_000);
    expect(await deliver([client.id])).toEqual({ delivered: 0, failed: 0, retried: 0 }); // still claimed
    ctx.clock.advance(2_000);
    expect(await deliver([client.id])).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(receiver.accepted()).toHaveLength(1);
    // The first worker's late failure does not overwrite the delivery.
    await first;
    expect((await rowsOf([row!.id]))[0]).toMatchObject({ status: 'DELIVERED' });
  });

  it('webhooks to courts have their own lane: a notification backlog does not hold them up', async () => {
    const { client, receiver } = await clientWithReceiver();
    const phones = Array.from({ length: 40 }, () => uniquePhone());
    await enqueueAll(phones.map((p) => ({ kind: 'NOTIFICATION' as const, topic: 't', recipient: p, payload: {} })));
    await enqueueAll([{ kind: 'WEBHOOK', topic: 'test.ping', recipient: client.id, payload: {} }]);
    const slow = { ...ctx.deps, notifier: { send: () => new Promise<{ providerMessageId: string }>((r) => setTimeout(() => r({ providerMessageId: 'slow' }), 200)) } };
    const started = Date.now();
    const backlog = deliverOutbox(slow, { recipients: [...phones, client.id], lane: 'notifications' });
    const webhooks = await deliverOutbox(ctx.deps, { recipients: [...phones, client.id], lane: 'webhooks' });
    const webhookMs = Date.now() - started;
    expect(webhooks).toEqual({ delivered: 1, failed: 0, retried: 0 });
    expect(receiver.accepted()).toHaveLength(1);
    const notifications = await backlog;
    const backlogMs = Date.now() - started;
    expect(notifications.delivered).toBeGreaterThan(0);
    expect(webhookMs).toBeLessThan(backlogMs);
  });
});
