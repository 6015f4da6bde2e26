import { sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows } from '../../server/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app';
import { adminOf, courtOf } from '../support/factories';
import { CREATE_API_CLIENT } from '../support/confirmation-world';
import { createTestContext, type TestContext } from '../support/harness';

// Two instances of the server on one database: a court client's budget must hold across both when
// they share Redis, and (the contrast that shows the test can fail) does not without it.
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const LIST = `{ confirmationApplications(first: 1) { edges { node { id } } } }`;

let ctx: TestContext;
let adminToken: string;
let courtGlobalId: string;
const apps: App[] = [];
beforeAll(async () => {
  ctx = await createTestContext();
  const admin = await adminOf(ctx);
  adminToken = admin.token;
  const [county] = await queryRows<{ code: string }>(ctx.deps.db, sql`select code from regions where level = 'COUNTY' and code like '53%' order by code desc limit 1`);
  courtGlobalId = (await courtOf(ctx, admin.token, county!.code)).globalId;
});
afterAll(async () => {
  for (const a of apps) await a.close();
  await ctx?.close();
});

function instance(redisUrl: string | undefined) {
  const a = createApp({ ...ctx.deps, config: { ...ctx.deps.config, redisUrl } });
  apps.push(a);
  return (secret: string) => request(a.app).post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${secret}`).send({ query: LIST });
}

async function clientOf3PerMinute(): Promise<string> {
  const res = await ctx.gql(CREATE_API_CLIENT, { input: { name: `限流系统${Date.now() % 100000}`, organizationId: courtGlobalId, rateLimitPerMinute: 3 } }, adminToken);
  const secret = res.data?.createApiClient?.secret as string | undefined;
  if (!secret) throw new Error(`createApiClient failed: ${JSON.stringify(res.body)}`);
  return secret;
}

describe('court API rate limits across instances', () => {
  it('with Redis, a 3-per-minute client gets 429 RATE_LIMITED on its 4th request spread over two instances', async () => {
    const a = instance(REDIS_URL);
    const b = instance(REDIS_URL);
    const secret = await clientOf3PerMinute();
    expect((await a(secret)).status).toBe(200);
    expect((await b(secret)).status).toBe(200);
    expect((await a(secret)).status).toBe(200);
    const fourth = await b(secret);
    expect(fourth.status).toBe(429);
    expect(fourth.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
    // The other instance refuses too: it reads the same counter.
    expect((await a(secret)).status).toBe(429);
  });

  it('without Redis each instance counts on its own (the budget is per process)', async () => {
    const a = instance(undefined);
    const b = instance(undefined);
    const secret = await clientOf3PerMinute();
    const statuses = [];
    for (const send of [a, b, a, b]) statuses.push((await send(secret)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    // Each instance alone still holds the client to 3 a minute.
    expect((await a(secret)).status).toBe(200);
    expect((await a(secret)).status).toBe(429);
  });
});
