/**
 * Prints EXPLAIN (ANALYZE, BUFFERS) of the statement `statistics` sends for the benchmark's county
 * (one year by month × category) or the whole province, on a database filled by seed:scale:
 *   DATABASE_URL=postgres://…/db npx tsx test/bench/explain-statistics.ts county|province
 */
import { PgDialect } from 'drizzle-orm/pg-core';
import { pino } from 'pino';
import postgres from 'postgres';
import { loadConfig } from '../../server/config';
import { openDatabase, type Database } from '../../server/db';
import { loadCalendar } from '../../server/domain/clock/calendar';
import type { Deps } from '../../server/domain/context';
import { createMemorySender } from '../../server/domain/notify/sender';
import { statisticsFor } from '../../server/domain/statistics/compute-statistics';
import { createMemoryStorage } from '../../server/storage/storage';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL');
const which = process.argv[2] === 'province' ? 'province' : 'county';
const NOW = new Date('2026-11-29T04:00:00Z');
const handle = await openDatabase({ databaseUrl: url, maxConnections: 2 });
const raw = postgres(url, { max: 1, onnotice: () => {} });
const dialect = new PgDialect();
const captured: { sql: string; params: unknown[] }[] = [];
// Records the raw statements (with their parameters) as they are sent.
const record = <T extends object>(target: T): T =>
  new Proxy(target, {
    get(t, p, r) {
      const v = Reflect.get(t, p, r) as unknown;
      if (p === 'execute') {
        return (q: Parameters<Database['execute']>[0]) => {
          captured.push(dialect.sqlToQuery(q as never));
          return (v as (q: unknown) => unknown).call(t, q);
        };
      }
      if (p === 'transaction') return (fn: (tx: object) => unknown) => (v as (f: unknown) => unknown).call(t, (tx: object) => fn(record(tx)));
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
const deps: Deps = {
  db: record(handle.db), clock: { now: () => NOW }, config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }), log: pino({ level: 'silent' }),
  notifier: createMemorySender(), calendar: loadCalendar(), storage: createMemoryStorage(),
};
try {
  const [county] = await raw<{ county_code: string }[]>`select county_code from cases group by 1 order by count(*) desc limit 1`;
  const input = which === 'county'
    ? { regionCode: county!.county_code, from: '2025-12-01', to: '2026-11-30', groupBy: ['MONTH' as const, 'CATEGORY' as const] }
    : { regionCode: '530000', from: '2025-12-01', to: '2026-11-30', groupBy: [] };
  const t = performance.now();
  await statisticsFor(deps, { kind: 'all' }, input);
  console.log(`${which}: ${(performance.now() - t).toFixed(1)} ms`);
  const statement = captured.find((c) => c.sql.length > 300)!;
  await raw.begin(async (tx) => {
    await tx.unsafe("select set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)");
    const plan = await tx.unsafe(`explain (analyze, buffers) ${statement.sql}`, statement.params as never[]);
    console.log(plan.map((r) => r['QUERY PLAN'] as string).join('\n'));
  });
} finally {
  await raw.end();
  await handle.close();
}
