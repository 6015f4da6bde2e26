/**
 * fileDispute throughput through HTTP (express + yoga + domain + drizzle) against the same SQL work
 * done directly with postgres.js, same concurrency, same run, same PostgreSQL. Prints both and the ratio.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx test/bench/file-dispute.ts
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db';
import { loadCalendar } from '../../server/domain/clock/calendar';
import { systemClock, type Deps } from '../../server/domain/context';
import { createMemorySender } from '../../server/domain/notify/sender';
import { loadReferenceData } from '../../server/domain/regions/load-reference-data';
import { requestPhoneCode } from '../../server/domain/auth/request-phone-code';
import { register } from '../../server/domain/auth/register';
import { createMemoryStorage } from '../../server/storage/storage';
import { tuneHeap } from '../../server/heap';

// The server in this process is sized as `npm start` sizes it (the young generation comes from `npm run bench`).
tuneHeap();

const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Long enough for both paths to run warm: with 400 filings each, the first few hundred of the
// server's (compiled by V8 as they run) weighed on its figure more than the direct path's.
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

/** Plain-JS load generator run in a worker thread: fileDispute requests, CONCURRENCY at a time. */
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, token, total, concurrency, query } = workerData;
let next = 0;
const one = async (i) => {
  const input = { category: 'NEIGHBOR', title: '基准纠纷' + i, description: '相邻两户因排水问题发生纠纷，请求村调委会调解。',
    regionCode: '532924101201', respondents: [{ name: '被申请人', phone: '137' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0') }] };
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token }, body: JSON.stringify({ query, variables: { input } }) });
  const body = await res.json();
  if (!body.data || !body.data.fileDispute || body.data.fileDispute.__typename !== 'FileDisputeSuccess') throw new Error(JSON.stringify(body));
};
(async () => {
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < total) await one(next++); }));
  parentPort.postMessage(total / ((performance.now() - started) / 1000));
})().catch((e) => parentPort.postMessage({ error: String(e) }));
`;

async function runPool(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

const name = `jiefen_bench_${Date.now()}`;
const admin = postgres(base, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(base);
url.pathname = `/${name}`;
// Both paths use the pool a started server has (DATABASE_POOL_SIZE): the direct path is measured
// with the same connections, so the ratio compares the server with the best the same pool does.
const config = loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4', LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE });
const handle = await openDatabase({ databaseUrl: url.toString(), maxConnections: config.databasePoolSize });
try {
  await handle.migrate();
  await loadReferenceData(handle.db, systemClock);
  const notifier = createMemorySender();
  const deps: Deps = {
    db: handle.db, clock: systemClock, config, log: pino({ level: 'silent' }),
    notifier, calendar: loadCalendar(), storage: createMemoryStorage(),
  };
  const actor = { viewer: null, ip: '127.0.0.1', userAgent: 'bench', requestId: null };
  await requestPhoneCode(deps, actor, { phone: '13912345678', purpose: 'REGISTER' });
  const phoneCode = notifier.sent.at(-1)!.params.code!;
  const { token } = await register(deps, actor, { phone: '13912345678', phoneCode, password: 'Bench2026jf', name: '基准申请人' });
  const { app } = createApp(deps);
  const server = app.listen(0);
  const port = (server.address() as AddressInfo).port;
  const query = `mutation($input: FileDisputeInput!) { fileDispute(input: $input) { __typename ... on FileDisputeSuccess { case { id number } } } }`;
  // The HTTP load comes from a worker thread, so the client's work does not run on the server's
  // event loop (the direct path's client is postgres.js, which the server would not have either).
  const graphqlUrl = `http://127.0.0.1:${port}/graphql`;
  const loadInWorker = (total: number) =>
    new Promise<number>((resolve, reject) => {
      const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { url: graphqlUrl, token, total, concurrency: CONCURRENCY, query } });
      worker.once('message', (m: number | { error: string }) => (typeof m === 'number' ? resolve(m) : reject(new Error(m.error))));
      worker.once('error', reject);
    });
  await loadInWorker(20); // warm-up

  // Statements one filing sends, with their values, logged on a second connection pool: the direct
  // path below sends exactly these.
  const sent: { text: string; params: unknown[] }[] = [];
  const counting = await openDatabase({ databaseUrl: url.toString(), maxConnections: 2, onQuery: (text, params) => sent.push({ text, params }) });
  const countingApp = createApp({ ...deps, db: counting.db }).app.listen(0);
  const countingUrl = `http://127.0.0.1:${(countingApp.address() as AddressInfo).port}/graphql`;
  const filingInput = {
    category: 'NEIGHBOR', title: '计数纠纷', description: '相邻两户因排水问题发生纠纷，请求村调委会调解。', regionCode: '532924101201',
    respondents: [{ name: '被申请人', phone: '13799999999' }],
  };
  const counted = await fetch(countingUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables: { input: filingInput } }),
  }).then((r) => r.json() as Promise<{ data?: { fileDispute?: { __typename: string; case?: { id: string } } } }>);
  countingApp.close();
  await counting.close();
  if (counted.data?.fileDispute?.__typename !== 'FileDisputeSuccess') throw new Error(`counting filing failed: ${JSON.stringify(counted)}`);
  const http = process.env.BENCH_PHASE === 'direct' ? 0 : await loadInWorker(REQUESTS);
  server.close();

  // The same statements the counted filing sent, with the same values, sent straight through
  // postgres.js: its session lookup, the filer's address, the divisions named, the prior-case count
  // and the one statement that writes the case. Each run swaps in a new case id and respondent
  // number wherever the counted filing's stood (in JSON too), as each HTTP filing has its own.
  const sql = postgres(url.toString(), { max: config.databasePoolSize, onnotice: () => {} });
  // The server's driver settings (timestamps and JSON are sent as text, as drizzle sends them).
  drizzlePostgres({ client: sql });
  const countedCaseId = Buffer.from(counted.data.fileDispute.case!.id, 'base64').toString('utf8').split(':').at(-1)!;
  const countedPhone = filingInput.respondents[0]!.phone;
  const swap = (value: unknown, id: string, phone: string): unknown =>
    typeof value === 'string' ? value.split(countedCaseId).join(id).split(countedPhone).join(phone) : Array.isArray(value) ? value.map((v) => swap(v, id, phone)) : value;
  if (!sent.some((s) => s.params.some((p) => typeof p === 'string' && p.includes(countedCaseId)))) throw new Error('the counted filing’s case id is in none of its statements');
  const direct = process.env.BENCH_PHASE === 'http' ? 0 : await runPool(REQUESTS, CONCURRENCY, async (i) => {
    const id = randomUUID();
    const phone = `137${String(i).padStart(8, '0')}`;
    // Prepared once per connection, as the server prepares every text (`preparedStatements` in server/db.ts).
    for (const statement of sent) await sql.unsafe(statement.text, swap(statement.params, id, phone) as never[], { prepare: true });
  });
  await sql.end();
  console.log(`fileDispute over HTTP:        ${http.toFixed(0)} req/s  (${REQUESTS} requests, concurrency ${CONCURRENCY}, ${config.databasePoolSize} connections)`);
  console.log(`same SQL via postgres.js:     ${direct.toFixed(0)} tx/s  (concurrency ${CONCURRENCY}, ${config.databasePoolSize} connections)`);
  console.log(`ratio HTTP / direct:          ${(http / direct).toFixed(2)}  (target >= 0.6)`);
  const writing = sent.filter((s) => /insert into|update |delete from/.test(s.text)).length;
  console.log(`statements per filing:        ${sent.length} (authentication included), ${writing} writing the case`);
} finally {
  await handle.close();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
