import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../server/db';
import { loadReferenceData } from '../../server/domain/regions/load-reference-data';
import { createTestContext, type TestContext } from '../support/harness';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

async function tableCounts(): Promise<Record<string, number>> {
  const [row] = await queryRows<Record<string, string | number>>(
    ctx.deps.db,
    sql`select
      (select count(*) from regions) as regions,
      (select count(*) from holiday_arrangements) as holiday_arrangements,
      (select count(*) from reference_data) as reference_data,
      (select count(*) from drizzle.__drizzle_migrations) as migrations`,
  );
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

describe('start-up is idempotent', () => {
  it('applies no migration and reloads no reference data a second time', async () => {
    const before = await tableCounts();
    expect(before.migrations).toBeGreaterThan(0);
    expect(before.regions).toBeGreaterThan(19_000);

    await ctx.handle.migrate();
    const reload = await loadReferenceData(ctx.deps.db, ctx.clock);
    // Unchanged files are recognised by digest and skipped.
    expect(reload.skipped.sort()).toEqual(['holidays', 'regions']);
    expect(await tableCounts()).toEqual(before);
  });
});

describe('health', () => {
  it('answers /healthz and /readyz with 200', async () => {
    const health = await request(ctx.app).get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    const ready = await request(ctx.app).get('/readyz');
    expect(ready.status).toBe(200);
    // The calendar never makes the platform unready; the body says how far official days run.
    expect(ready.body).toMatchObject({ status: 'ready', calendar: { officialThrough: 2026 } });
  });

  it('echoes a request id and sets security headers on every response', async () => {
    const res = await request(ctx.app).get('/healthz').set('x-request-id', 'court-trace-42');
    expect(res.headers['x-request-id']).toBe('court-trace-42');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
    const unknown = await request(ctx.app).get('/no-such-route');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('GraphiQL', () => {
  it('is served from this server with nothing loaded from another origin', async () => {
    const res = await request(ctx.app).get('/graphql').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    const html = res.text;
    // The editor itself is inline: the page renders GraphiQL and carries its script and styles.
    expect(html).toContain('renderYogaGraphiQL');
    expect(html).toContain('jiefen 解纷 GraphQL');
    // No element, stylesheet or module import pointing at another origin.
    const external = [
      ...html.matchAll(/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)/gi),
      ...html.matchAll(/@import\s+(?:url\()?["']?((?:https?:)?\/\/[^"')\s]+)/gi),
      ...html.matchAll(/\bimport\(\s*["']((?:https?:)?\/\/[^"']+)/gi),
    ].map((m) => m[1]);
    expect(external).toEqual([]);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs|esm\.sh/);
  });
});

describe('unexpected failures', () => {
  it('masks a database failure as "Unexpected error." with the request id, and /readyz reports 503', async () => {
    // A second app whose database is gone: every query it makes fails for a reason the client must not see.
    const broken = await createTestContext();
    await broken.handle.close();
    try {
      const res = await request(broken.app)
        .post('/graphql')
        .set('content-type', 'application/json')
        .send({ query: '{ regions { code name } }' });
      expect(res.body.data).toBeNull();
      expect(res.body.errors).toHaveLength(1);
      const [error] = res.body.errors;
      expect(error.message).toBe('Unexpected error.');
      expect(error.extensions.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error.extensions.requestId).toBe(res.headers['x-request-id']);
      // Nothing of the driver's error travels: no stack, no SQL, no extra extensions.
      expect(Object.keys(error.extensions).sort()).toEqual(['code', 'requestId']);
      expect(Object.keys(error).sort()).toEqual(['extensions', 'message', 'path']);

      const ready = await request(broken.app).get('/readyz');
      expect(ready.status).toBe(503);
    } finally {
      await broken.close().catch(() => {});
    }
  });
});

describe('query limits', () => {
  it('rejects a query nested deeper than the limit and accepts a shallow one', async () => {
    let deep = 'name';
    for (let i = 0; i < 14; i++) deep = `invitingCourt { ${deep} }`;
    const res = await ctx.gql(`{ organizations(first: 1) { edges { node { ${deep} } } } }`);
    expect(res.data ?? null).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors?.[0]?.message).toMatch(/depth limit of \d+ exceeded/i);

    const shallow = await ctx.gql('{ organizations(first: 1) { edges { node { invitingCourt { name } } } } }');
    expect(shallow.body.errors).toBeUndefined();
  });
});
