import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import request from 'supertest';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app';
import { openDatabase, type DatabaseHandle } from '../../server/db';
import { createTestContext, type TestContext } from '../support/harness';
import { registerParty, type Login } from '../support/factories';

// Issue 10, point 12: a connection the database resets under a read is retried once on a fresh
// one, so /readyz does not report a false 503 and reads do not fail. Only real PostgreSQL has
// backends to terminate.
const databaseUrl = inject('databaseUrl');

describe.skipIf(!databaseUrl)('reads while the database terminates the server’s connections', () => {
  let ctx: TestContext;
  let handle: DatabaseHandle;
  let admin: ReturnType<typeof postgres>;
  let party: Login;
  const appName = `jiefen-reset-${randomUUID().slice(0, 8)}`;
  let retried = 0;

  beforeAll(async () => {
    ctx = await createTestContext();
    party = await registerParty(ctx);
    handle = await openDatabase({ databaseUrl: databaseUrl!, maxConnections: 10, applicationName: appName, onReadRetried: () => retried++ });
    admin = postgres(databaseUrl!, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await admin?.end({ timeout: 5 });
    await handle?.close();
    await ctx?.close();
  });

  it('answers every /readyz and every read query although backends are terminated throughout', async () => {
    const { app, close } = createApp({ ...ctx.deps, db: handle.db, log: pino({ level: process.env.RESET_LOG ?? 'silent' }) });
    let stop = false;
    let terminated = 0;
    const killer = (async () => {
      while (!stop) {
        const rows = await admin`select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = ${appName} and pid <> pg_backend_pid() and backend_start < now() - interval '300 milliseconds'`;
        terminated += rows.filter((r) => r.ok).length;
        await new Promise((r) => setTimeout(r, 1500));
      }
    })();
    const statuses: number[] = [];
    const failures: string[] = [];
    try {
      const ME = '{ me { id name } }';
      // Every backend is terminated every 1.5 s. Bursts go on until that has happened and reads were
      // retried (at least 20 bursts), so the run cannot end before the first kill lands.
      const deadline = Date.now() + 60_000;
      for (let round = 0; round < 20 || ((terminated === 0 || retried === 0) && Date.now() < deadline); round++) {
        const burst = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            i % 2 === 0
              ? request(app).get('/readyz')
              : request(app).post('/graphql').set('authorization', `Bearer ${party.token}`).send({ query: ME }),
          ),
        );
        for (const res of burst) {
          statuses.push(res.status);
          if (res.status !== 200 || res.body.errors) failures.push(JSON.stringify({ status: res.status, body: res.body }).slice(0, 300));
          else if (res.body.data) expect(res.body.data.me.id).toBe(party.globalId);
        }
      }
    } finally {
      stop = true;
      await killer;
      await close();
    }
    if (failures.length) console.info(failures.slice(0, 3).join("\n"));
    console.info(`db resets: ${statuses.length} requests, ${terminated} backends terminated, ${retried} reads retried, ${failures.length} failed`);
    expect(terminated).toBeGreaterThan(0);
    expect(retried).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });
});
