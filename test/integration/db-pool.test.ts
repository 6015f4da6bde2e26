import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { describe, expect, inject, it } from 'vitest';
import { prepare } from '../../server/bootstrap';
import { queryRows } from '../../server/db';
import { testConfig } from '../support/harness';

describe('the PostgreSQL pool size', () => {
  it('is 4 connections per instance unless DATABASE_POOL_SIZE says otherwise, and refuses what is not a size', () => {
    expect(testConfig().databasePoolSize).toBe(4);
    expect(testConfig({ DATABASE_POOL_SIZE: '12' }).databasePoolSize).toBe(12);
    for (const bad of ['1', '0', 'many', '2.5', '101']) {
      expect(() => testConfig({ DATABASE_POOL_SIZE: bad }), bad).toThrow(/DATABASE_POOL_SIZE/);
    }
  });

  it.skipIf(!inject('databaseUrl'))('is the number of connections the started server opens, however many statements wait', async () => {
    const config = testConfig({ DATABASE_URL: inject('databaseUrl')!, DATABASE_POOL_SIZE: '3', SEED_DEMO: 'false' });
    const started = await prepare(config, pino({ level: 'silent' }));
    try {
      // Twelve statements at once, each holding its connection a moment: the pool's connections answer them all.
      const backends = await Promise.all(
        Array.from({ length: 12 }, () => queryRows<{ pid: number }>(started.handle.db, sql`select pg_backend_pid() as pid, pg_sleep(0.05)`)),
      );
      expect(new Set(backends.map(([row]) => row!.pid)).size).toBe(3);
    } finally {
      await started.handle.close();
    }
  });
});
