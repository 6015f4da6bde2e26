import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobLeases } from '../../schema';
import { releaseLease, tryAcquireLease } from '../../server/jobs/lease';
import { createScheduler, type Job } from '../../server/jobs/scheduler';
import { createTestContext, type TestContext } from '../support/harness';

// Lease and job names are unique per test: on PostgreSQL the database is shared with other files.
const unique = (prefix: string) => `${prefix}-${randomUUID()}`;

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => {
  await ctx?.close();
});

describe('job leases', () => {
  it('lets one holder in until the lease expires, then the other', async () => {
    const name = unique('lease');
    const db = ctx.deps.db;
    const ttl = 30_000;
    expect(await tryAcquireLease(db, name, 'a', ctx.clock.now(), ttl)).toBe(true);
    expect(await tryAcquireLease(db, name, 'b', ctx.clock.now(), ttl)).toBe(false);

    ctx.clock.advance(20_000);
    expect(await tryAcquireLease(db, name, 'b', ctx.clock.now(), ttl)).toBe(false);
    // The holder renews: the lease now runs until 50 s after the start.
    expect(await tryAcquireLease(db, name, 'a', ctx.clock.now(), ttl)).toBe(true);

    ctx.clock.advance(20_000);
    expect(await tryAcquireLease(db, name, 'b', ctx.clock.now(), ttl)).toBe(false);

    ctx.clock.advance(10_001);
    expect(await tryAcquireLease(db, name, 'b', ctx.clock.now(), ttl)).toBe(true);
    expect(await tryAcquireLease(db, name, 'a', ctx.clock.now(), ttl)).toBe(false);
    const [row] = await db.select().from(jobLeases).where(eq(jobLeases.name, name));
    expect(row).toMatchObject({ holder: 'b' });
    expect(row!.expiresAt.getTime()).toBe(ctx.clock.now().getTime() + ttl);

    expect(await releaseLease(db, name, 'a')).toBe(false);
    expect(await releaseLease(db, name, 'b')).toBe(true);
    expect(await tryAcquireLease(db, name, 'a', ctx.clock.now(), ttl)).toBe(true);
  });

  it('gives a free lease to exactly one of several racing holders', async () => {
    const name = unique('race');
    const now = ctx.clock.now();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => tryAcquireLease(ctx.deps.db, name, `h${i}`, now, 10_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

describe('scheduler', () => {
  function countingJob(name: string, runs: string[], who: string): Job {
    return {
      name,
      run: async () => {
        runs.push(who);
      },
    };
  }

  it('runs a job only on the instance holding its lease', async () => {
    const name = unique('job');
    const runs: string[] = [];
    const a = createScheduler(ctx.deps, { holder: 'a', intervalMs: 1000, jobs: [countingJob(name, runs, 'a')] });
    const b = createScheduler(ctx.deps, { holder: 'b', intervalMs: 1000, jobs: [countingJob(name, runs, 'b')] });

    await a.runOnce();
    await b.runOnce();
    await a.runOnce();
    expect(runs).toEqual(['a', 'a']);

    // a stops renewing (it died); after three intervals its lease has run out.
    ctx.clock.advance(3001);
    await b.runOnce();
    await a.runOnce();
    expect(runs).toEqual(['a', 'a', 'b']);

    // Stopping gives the lease up at once.
    await b.stop();
    await a.runOnce();
    expect(runs).toEqual(['a', 'a', 'b', 'a']);
    await a.stop();
  });

  it('logs a failing job without stopping the others', async () => {
    const runs: string[] = [];
    const s = createScheduler(ctx.deps, {
      holder: 'solo',
      intervalMs: 1000,
      jobs: [
        { name: unique('broken'), run: async () => Promise.reject(new Error('boom')) },
        countingJob(unique('fine'), runs, 'fine'),
      ],
    });
    await expect(s.runOnce()).resolves.toBeUndefined();
    await expect(s.runOnce()).resolves.toBeUndefined();
    expect(runs).toEqual(['fine', 'fine']);
    await s.stop();
  });

  it('ticks on its own once started, never overlaps a job with itself, and stop waits for the tick', async () => {
    let running = 0;
    let maxRunning = 0;
    let runs = 0;
    let finished = 0;
    const s = createScheduler(ctx.deps, {
      holder: 'ticker',
      intervalMs: 5,
      jobs: [
        {
          name: unique('slow'),
          run: async () => {
            runs++;
            running++;
            maxRunning = Math.max(maxRunning, running);
            await new Promise((r) => setTimeout(r, 20));
            running--;
            finished++;
          },
        },
      ],
    });
    s.start();
    // A manual tick while timed ticks run must queue behind them, not overlap.
    await Promise.all([s.runOnce(), s.runOnce()]);
    while (runs < 4) await new Promise((r) => setTimeout(r, 5));
    await s.stop();
    expect(maxRunning).toBe(1);
    expect(finished).toBe(runs);
    const after = runs;
    await new Promise((r) => setTimeout(r, 50));
    expect(runs).toBe(after);
  });
});

describe('lanes in the scheduler', () => {
  it('a job still running does not hold up the others: the fast lane keeps ticking', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let fastRuns = 0;
    let slowRuns = 0;
    const s = createScheduler(ctx.deps, {
      holder: `lanes-${randomUUID()}`,
      intervalMs: 30,
      jobs: [
        { name: `slow-${randomUUID()}`, run: async () => { slowRuns++; await gate; } },
        { name: `fast-${randomUUID()}`, run: async () => { fastRuns++; } },
      ],
    });
    s.start();
    await new Promise((r) => setTimeout(r, 600));
    expect(slowRuns).toBe(1); // never started twice in one instance
    expect(fastRuns).toBeGreaterThanOrEqual(3);
    release();
    await s.stop();
  });
});
