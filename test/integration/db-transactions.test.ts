import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../server/db';

const URL = process.env.DATABASE_URL;

/**
 * The race of porsager/postgres#823 and #1189: every connection busy with a slow statement and one
 * more sent behind it, then transactions, whose BEGIN is sent as the statement that fills a
 * connection's pipeline (max_pipeline 2 here, 100 by default). Unmended, postgres.js 3.4.9 fails
 * most rounds with UNSAFE_TRANSACTION; the install step mends it (server/patch-postgres.mjs).
 */
async function busyPoolRounds(client: ReturnType<typeof postgres>, rounds: number): Promise<{ failedRounds: number; first: string | null }> {
  let failedRounds = 0;
  let first: string | null = null;
  for (let round = 0; round < rounds; round++) {
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 3; i++) work.push(client`select pg_sleep(0.1)`.execute());
    for (let i = 0; i < 3; i++) work.push(client`select 1`.execute());
    for (let i = 0; i < 5; i++) work.push(client.begin(async (tx) => tx`select txid_current()`));
    const failed = (await Promise.allSettled(work)).filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) {
      failedRounds++;
      first ??= String(failed[0]!.reason);
    }
  }
  return { failedRounds, first };
}

describe.runIf(Boolean(URL))('transactions on a busy PostgreSQL pool', () => {
  it('sql.begin reserves its connection when BEGIN fills a pipeline (the installed postgres.js is mended)', async () => {
    // max_pipeline is a postgres.js option its type declarations leave out.
    const options = { max: 3, max_pipeline: 2, onnotice: () => {} };
    const client = postgres(URL!, options);
    try {
      expect(await busyPoolRounds(client, 10)).toEqual({ failedRounds: 0, first: null });
      // And no connection was left inside a transaction.
      const [open] = await client`select count(*)::int as n from pg_stat_activity where state = 'idle in transaction' and pid <> pg_backend_pid() and datname = current_database() and application_name = 'postgres.js'`;
      expect(open!.n).toBe(0);
    } finally {
      await client.end({ timeout: 5 });
    }
  }, 120_000);

  it('the server’s transactions keep one transaction per connection and leave none open', async () => {
    const handle = await openDatabase({ databaseUrl: URL!, maxConnections: 3, maxPipeline: 2, applicationName: `jiefen-tx-${process.pid}` });
    const table = `tx_probe_${process.pid}_${Date.now()}`;
    try {
      await handle.db.execute(sql.raw(`create table ${table} (id serial primary key, txid bigint not null, seen bigint not null)`));
      const work: Promise<unknown>[] = [];
      for (let i = 0; i < 3; i++) work.push(handle.db.execute(sql.raw('select pg_sleep(0.1)')));
      for (let i = 0; i < 40; i++) {
        work.push(queryRows(handle.db, sql`select 1 as n`));
        work.push(
          handle.db.transaction(async (tx) => {
            const [a] = await queryRows<{ id: string }>(tx, sql`select txid_current()::text as id`);
            // A nested transaction is a savepoint on the same connection.
            await tx.transaction(async (inner) => inner.execute(sql.raw(`insert into ${table} (txid, seen) values (${a!.id}, txid_current())`)));
          }),
        );
      }
      await Promise.all(work);
      const [rows] = await queryRows<{ n: number; split: number }>(handle.db, sql.raw(`select count(*)::int as n, count(*) filter (where txid <> seen)::int as split from ${table}`));
      expect(rows).toEqual({ n: 40, split: 0 });
      const [open] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from pg_stat_activity where state = 'idle in transaction' and application_name = ${`jiefen-tx-${process.pid}`}`);
      expect(open!.n).toBe(0);
    } finally {
      await handle.db.execute(sql.raw(`drop table if exists ${table}`));
      await handle.close();
    }
  }, 120_000);
});
