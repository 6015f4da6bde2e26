import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/harness';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ config: { CORS_ORIGINS: 'https://jiefen.example.cn' } });
});
afterAll(async () => ctx?.close());

describe('CORS', () => {
  it('allows only the configured origins, never an echo of any origin', async () => {
    const allowed = await request(ctx.app).post('/graphql').set('origin', 'https://jiefen.example.cn').send({ query: '{ me { id } }' });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://jiefen.example.cn');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');

    const evil = await request(ctx.app).post('/graphql').set('origin', 'https://evil.example.com').send({ query: '{ me { id } }' });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect(evil.headers['access-control-allow-credentials']).toBeUndefined();

    const preflight = await request(ctx.app)
      .options('/graphql')
      .set('origin', 'https://evil.example.com')
      .set('access-control-request-method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const okPreflight = await request(ctx.app)
      .options('/graphql')
      .set('origin', 'https://jiefen.example.cn')
      .set('access-control-request-method', 'POST');
    expect(okPreflight.headers['access-control-allow-origin']).toBe('https://jiefen.example.cn');
  });
});
