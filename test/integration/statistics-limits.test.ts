import { sql } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminOf } from '../support/factories';
import { createTestContext, testConfig, type TestContext } from '../support/harness';
import { ConfigError } from '../../server/config';
import { withReportSlot } from '../../server/domain/statistics/report-slots';
import type { Deps } from '../../server/domain/context';
import { ForbiddenError } from '../../server/domain/errors';

// A statistics report is one long statement in a transaction. Reports hold at most half the pool
// at once per instance (more wait in line), and each runs under a time limit, so that a county
// asking for ten years by mediator can neither hold every connection nor run without end.

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const STATS = /* GraphQL */ `
  query ($input: StatisticsInput!) {
    statistics(input: $input) {
      __typename
      ... on Statistics { total { filed } }
      ... on Error { code message }
      ... on ForbiddenError { retryAt }
    }
  }
`;
const INPUT = { input: { regionCode: '530000', from: '2022-01-01', to: '2026-11-30', groupBy: ['MEDIATOR'] } };

describe('configuration', () => {
  it('defaults to half the pool, and refuses a line as wide as the pool', () => {
    expect(testConfig().statistics).toEqual({ concurrency: 2, timeoutMs: 30_000 });
    expect(testConfig({ DATABASE_POOL_SIZE: '2' }).statistics.concurrency).toBe(1);
    expect(testConfig({ DATABASE_POOL_SIZE: '9', STATISTICS_CONCURRENCY: '3', STATISTICS_TIMEOUT_MS: '5000' }).statistics).toEqual({ concurrency: 3, timeoutMs: 5000 });
    expect(() => testConfig({ DATABASE_POOL_SIZE: '4', STATISTICS_CONCURRENCY: '4' })).toThrow(ConfigError);
    expect(() => testConfig({ STATISTICS_TIMEOUT_MS: '10' })).toThrow(ConfigError);
  });
});

describe('the line of reports', () => {
  const depsWith = (concurrency: number, timeoutMs: number) =>
    ({ db: {}, config: { statistics: { concurrency, timeoutMs } }, clock: { now: () => new Date('2026-12-02T00:00:00Z') } }) as unknown as Deps;

  it('runs at most `concurrency` at once, the rest in the order they came', async () => {
    const deps = depsWith(2, 5_000);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => deferred());
    const runs = gates.map((gate, i) =>
      withReportSlot(deps, `person ${i}`, async () => {
        started.push(i);
        most = Math.max(most, ++running);
        await gate.promise;
        running--;
        return i;
      }),
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(started).toEqual([0, 1]);
    for (const gate of gates) {
      gate.resolve();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
  });

  it('a report that waits past the time limit is refused as RATE_LIMITED, and a failed report gives its place back', async () => {
    const deps = depsWith(1, 150);
    const gate = deferred();
    const first = withReportSlot(deps, 'a', () => gate.promise);
    const refused = await withReportSlot(deps, 'b', async () => 'ran').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ForbiddenError);
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', retryAt: new Date('2026-12-02T00:00:05Z') });
    gate.resolve();
    await first;
    await expect(withReportSlot(deps, 'a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withReportSlot(deps, 'a', async () => 'ran')).toBe('ran');
  });
});

describe('one person in the line', () => {
  it('has at most `concurrency` reports in it: one more is refused at once, and the place is theirs again when one ends', async () => {
    const deps = { db: {}, config: { statistics: { concurrency: 2, timeoutMs: 5_000 } }, clock: { now: () => new Date('2026-12-02T00:00:00Z') } } as unknown as Deps;
    const gate = deferred();
    const two = [withReportSlot(deps, 'a', () => gate.promise), withReportSlot(deps, 'a', () => gate.promise)];
    const started = Date.now();
    const third = await withReportSlot(deps, 'a', async () => 'ran').catch((e: unknown) => e);
    expect(third).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Date.now() - started).toBeLessThan(1_000);
    // Someone else waits in line instead of being refused, and runs when a place is free.
    const other = withReportSlot(deps, 'b', async () => 'b ran');
    gate.resolve();
    await Promise.all(two);
    expect(await other).toBe('b ran');
    expect(await withReportSlot(deps, 'a', async () => 'a again')).toBe('a again');
  });
});

describe('statistics over GraphQL', () => {
  let ctx: TestContext;
  let admin: { token: string; userId: string };
  beforeAll(async () => {
    ctx = await createTestContext({ config: { STATISTICS_CONCURRENCY: '1', STATISTICS_TIMEOUT_MS: '300' }, ownDatabase: true });
    admin = await adminOf(ctx);
  });
  afterAll(async () => ctx?.close());

  it('waits for a place, and is refused with a time to try again when none comes in time', async () => {
    const gate = deferred();
    const held = withReportSlot(ctx.deps, 'someone else', () => gate.promise);
    const refused = await ctx.gql(STATS, INPUT, admin.token);
    expect(refused.body.errors).toBeUndefined();
    expect(refused.data.statistics).toMatchObject({ __typename: 'ForbiddenError', code: 'RATE_LIMITED' });
    expect(refused.data.statistics.retryAt).toBeTruthy();
    // The monthly report over HTTP meets the same line: 429 with when to try again.
    const monthly = await request(ctx.app).get('/reports/monthly?region=530000&month=2026-10').set('authorization', `Bearer ${admin.token}`);
    expect(monthly.status).toBe(429);
    expect(monthly.body.code).toBe('RATE_LIMITED');
    expect(Number(monthly.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // A report that finds the place taken runs once it is given back.
    const waiting = ctx.gql(STATS, INPUT, admin.token);
    setTimeout(() => gate.resolve(), 50);
    await held;
    expect((await waiting).data.statistics.__typename).toBe('Statistics');
  });

  it('a person with STATISTICS_CONCURRENCY reports in the line is refused at once, not after a wait', async () => {
    const gate = deferred();
    const held = withReportSlot(ctx.deps, `user:${admin.userId}`, () => gate.promise);
    const started = Date.now();
    const res = await ctx.gql(STATS, INPUT, admin.token);
    expect(res.data.statistics).toMatchObject({ __typename: 'ForbiddenError', code: 'RATE_LIMITED' });
    expect(res.data.statistics.message).toContain('of one person');
    expect(Date.now() - started).toBeLessThan(300);
    gate.resolve();
    await held;
    expect((await ctx.gql(STATS, INPUT, admin.token)).data.statistics.__typename).toBe('Statistics');
  });

  // PGlite runs one statement at a time in this process: no other connection can hold a lock, and it keeps no timer.
  it.skipIf(!inject('databaseUrl'))('a report that runs past its time limit ends as DEADLINE_PASSED and leaves the next one to run', async () => {
    // The tables a report reads, held by another transaction: the report's statement waits until its time limit ends it.
    const locked = deferred();
    const release = deferred();
    const holder = ctx.deps.db.transaction(async (tx) => {
      await tx.execute(sql`lock table statistic_counts, statistic_milestones, dispute_leads in access exclusive mode`);
      locked.resolve();
      await release.promise;
    });
    await locked.promise;
    const started = Date.now();
    const ended = await ctx.gql(STATS, INPUT, admin.token);
    const took = Date.now() - started;
    release.resolve();
    await holder;
    expect(ended.body.errors).toBeUndefined();
    expect(ended.data.statistics).toMatchObject({ __typename: 'DeadlineError', code: 'DEADLINE_PASSED' });
    expect(ended.data.statistics.message).toContain('time limit');
    expect(took).toBeGreaterThanOrEqual(250);
    // The statement timeout was the transaction's own: the pool's connections run the next report as
    // usual, and none keeps it (as many statements at once as the pool has connections, each held a moment).
    expect((await ctx.gql(STATS, INPUT, admin.token)).data.statistics.__typename).toBe('Statistics');
    const settings = await Promise.all(
      Array.from({ length: ctx.deps.config.databasePoolSize }, async () => {
        const [row] = (await ctx.deps.db.execute(sql`select current_setting('statement_timeout') as t, pg_backend_pid() as pid, pg_sleep(0.2)`)) as unknown as { t: string; pid: number }[];
        return row!;
      }),
    );
    expect(new Set(settings.map((r) => r.pid)).size).toBe(ctx.deps.config.databasePoolSize);
    expect(settings.map((r) => r.t)).toEqual(settings.map(() => '0'));
  });
});
