/**
 * fileDispute throughput through HTTP (the compiled server: express + yoga + domain + drizzle)
 * against the same SQL work done directly with postgres.js, same concurrency, same run, same
 * PostgreSQL, the two taking turns. Prints both and the ratio.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx test/bench/file-dispute.ts
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
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
import { startCompiledServer } from '../support/compiled-server';
import { freePort } from '../support/free-port';
import { processesNamed, processStat } from '../support/proc-stat';

// With BENCH_SERVER=sources the server runs in this process, sized as `npm start` sizes it (the
// young generation comes from `npm run bench`).
tuneHeap();

const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// Long enough for both paths to run warm: with 400 filings each, the first few hundred of the
// server's (compiled by V8 as they run) weighed on its figure more than the direct path's.
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** Turns the two paths take (see below), and the filings each path makes first, unmeasured. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const WARM_UP = 200;

/**
 * Plain-JS load generator run in a worker thread: fileDispute requests, CONCURRENCY at a time, over
 * node:http with kept-alive connections. It shares the machine's two cores with the server and
 * PostgreSQL, so it is kept light: fetch (undici) spent about as much CPU per filing as the server.
 */
const LOAD_WORKER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { url, token, concurrency, query } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL(url);
const headers = { 'content-type': 'application/json', authorization: 'Bearer ' + token };
const post = (body) => new Promise((resolve, reject) => {
  const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => { try { resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))); } catch (e) { reject(e); } });
    res.on('error', reject);
  });
  req.on('error', reject);
  req.end(body);
});
const one = async (i) => {
  const input = { category: 'NEIGHBOR', title: '基准纠纷' + i, description: '相邻两户因排水问题发生纠纷，请求村调委会调解。',
    regionCode: '532924101201', respondents: [{ name: '被申请人', phone: '137' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0') }] };
  const body = await post(JSON.stringify({ query, variables: { input } }));
  if (!body.data || !body.data.fileDispute || body.data.fileDispute.__typename !== 'FileDisputeSuccess') throw new Error(JSON.stringify(body));
};
let filed = 0;
// One worker for the whole run: each message asks for that many filings and is answered with the
// milliseconds they took.
parentPort.on('message', async (total) => {
  try {
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => { while (next < total) { next++; await one(filed++); } }));
    parentPort.postMessage(performance.now() - started);
  } catch (e) {
    parentPort.postMessage({ error: String(e) });
  }
});
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

/** Stops the server measured (the child process, or the server in this process); again is harmless. */
let stopServer: () => Promise<void> = async () => {};
/** The server's process id when it runs in a child process (its CPU time is read from /proc). */
let serverPid: number | null = null;
/** Ends the direct path's connections (again is harmless). */
let endDirect: () => Promise<void> = async () => {};
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
  // The server measured is the one production runs (`npm start`): the compiled bundle, in its own
  // process, with the same node flags. BENCH_SERVER=sources runs the TypeScript sources in this
  // process instead (to profile them with the bench's own --cpu-prof).
  let port: number;
  if (process.env.BENCH_SERVER === 'sources') {
    const server = createApp(deps).app.listen(0);
    port = (server.address() as AddressInfo).port;
    stopServer = async () => void server.close();
  } else {
    const built = spawnSync(process.execPath, ['server/build.mjs', '--if-changed'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('build failed');
    port = await freePort();
    // BENCH_SERVER_NODE_ARGS: node flags for the server alone, e.g. --cpu-prof --cpu-prof-dir=/tmp/profile.
    const server = await startCompiledServer(
      // No scheduled jobs: their deliveries and scans would land in whichever path's round runs.
      { ...process.env, NODE_ENV: 'development', DATABASE_URL: url.toString(), PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'false', JOBS: 'false', WEB: 'off', LOG_LEVEL: 'warn', SMS_PROVIDER: 'log', NODE_OPTIONS: '' },
      { nodeArgs: (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean) },
    );
    stopServer = () => server.stop();
    serverPid = server.child.pid ?? null;
  }
  const query = `mutation($input: FileDisputeInput!) { fileDispute(input: $input) { __typename ... on FileDisputeSuccess { case { id number } } } }`;
  // The HTTP load comes from a worker thread, so the client's work does not run on the bench's
  // event loop (the direct path's client is postgres.js, which the server would not have either).
  const graphqlUrl = `http://127.0.0.1:${port}/graphql`;
  const worker = new Worker(LOAD_WORKER, { eval: true, workerData: { url: graphqlUrl, token, concurrency: CONCURRENCY, query } });
  const stopWorker = stopServer;
  stopServer = async () => {
    await worker.terminate();
    await stopWorker();
  };
  /** Seconds `total` filings over HTTP took. */
  const loadInWorker = (total: number) =>
    new Promise<number>((resolve, reject) => {
      const done = (m: number | { error: string }) => {
        worker.off('error', failed);
        if (typeof m === 'number') resolve(m / 1000);
        else reject(new Error(m.error));
      };
      const failed = (e: Error) => {
        worker.off('message', done);
        reject(e);
      };
      worker.once('message', done);
      worker.once('error', failed);
      worker.postMessage(total);
    });
  await loadInWorker(WARM_UP); // warm-up: the server compiles its hot paths as they run

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
  // The same statements the counted filing sent, with the same values, sent straight through
  // postgres.js: its login lookup (which brings the filer's address), the divisions named, the
  // prior-case count and the one statement that writes the case. Each run swaps in a new case id and respondent
  // number wherever the counted filing's stood (in JSON too), as each HTTP filing has its own.
  const sql = postgres(url.toString(), { max: config.databasePoolSize, onnotice: () => {} });
  endDirect = () => sql.end();
  // The server's driver settings (timestamps and JSON are sent as text, as drizzle sends them).
  drizzlePostgres({ client: sql });
  const countedCaseId = Buffer.from(counted.data.fileDispute.case!.id, 'base64').toString('utf8').split(':').at(-1)!;
  const countedPhone = filingInput.respondents[0]!.phone;
  const swap = (value: unknown, id: string, phone: string): unknown =>
    typeof value === 'string' ? value.split(countedCaseId).join(id).split(countedPhone).join(phone) : Array.isArray(value) ? value.map((v) => swap(v, id, phone)) : value;
  if (!sent.some((s) => s.params.some((p) => typeof p === 'string' && p.includes(countedCaseId)))) throw new Error('the counted filing’s case id is in none of its statements');
  let transactions = 0;
  /** Seconds `total` filings' statements sent directly took. */
  const direct = async (total: number) =>
    total / (await runPool(total, CONCURRENCY, async () => {
      const id = randomUUID();
      const phone = `137${String(transactions++).padStart(8, '0')}`;
      // Prepared once per connection, as the server prepares every text (`preparedStatements` in server/db.ts).
      for (const statement of sent) await sql.unsafe(statement.text, swap(statement.params, id, phone) as never[], { prepare: true });
    }));
  await direct(WARM_UP);

  // CPU time per filing of each process taking part, read from /proc (Linux; n/a elsewhere): the
  // server, the bench process (the HTTP load generator's thread, or the direct path's postgres.js
  // with the bench's own rewriting of each statement's values) and PostgreSQL, every process of it
  // on this machine (backends, WAL writer, autovacuum…). Each process is known by its id and start
  // time; one that ends during a round is not counted for that round, one that starts is counted
  // whole.
  const cpuNow = () => {
    const own = process.cpuUsage();
    return { server: serverPid === null ? null : (processStat(serverPid)?.cpuMs ?? null), bench: (own.user + own.system) / 1000, postgres: processesNamed('postgres') };
  };
  const cpu = { http: { server: 0, bench: 0, postgres: 0 }, direct: { server: 0, bench: 0, postgres: 0 } };
  const procAvailable = processesNamed('postgres').size > 0;
  const measured = async (path: 'http' | 'direct', run: () => Promise<number>) => {
    const before = cpuNow();
    const took = await run();
    const after = cpuNow();
    cpu[path].server += after.server !== null && before.server !== null ? after.server - before.server : NaN;
    cpu[path].bench += after.bench - before.bench;
    for (const [key, ms] of after.postgres) cpu[path].postgres += ms - (before.postgres.get(key) ?? 0);
    return took;
  };

  // The two paths take turns, a part of the filings each, in the order HTTP, direct, direct, HTTP…
  // so that the machine's drift through the run (its speed moves by a quarter in a day) weighs on
  // both alike. BENCH_PHASE=http or direct runs one path only (to profile it).
  const runs = { http: process.env.BENCH_PHASE !== 'direct', direct: process.env.BENCH_PHASE !== 'http' };
  const times = { http: 0, direct: 0 };
  const ratios: number[] = [];
  const perRound = Math.ceil(REQUESTS / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['http', 'direct'] as const) : (['direct', 'http'] as const);
    const took = { http: 0, direct: 0 };
    for (const path of order) if (runs[path]) took[path] = await measured(path, () => (path === 'http' ? loadInWorker(perRound) : direct(perRound)));
    times.http += took.http;
    times.direct += took.direct;
    if (runs.http && runs.direct) ratios.push(took.direct / took.http);
  }
  await stopServer();
  await endDirect();
  const total = perRound * ROUNDS;
  const server = process.env.BENCH_SERVER === 'sources' ? 'the TypeScript sources, in this process' : 'the compiled server (dist/server), as npm start runs it';
  if (runs.http) console.log(`fileDispute over HTTP:        ${(total / times.http).toFixed(0)} req/s  (${total} requests, concurrency ${CONCURRENCY}, ${config.databasePoolSize} connections; ${server})`);
  if (runs.direct) console.log(`same SQL via postgres.js:     ${(total / times.direct).toFixed(0)} tx/s  (concurrency ${CONCURRENCY}, ${config.databasePoolSize} connections)`);
  if (runs.http && runs.direct) {
    console.log(`ratio HTTP / direct:          ${(times.direct / times.http).toFixed(2)}  (target >= 0.6; by round: ${ratios.map((r) => r.toFixed(2)).join(', ')})`);
  }
  const ms = (v: number) => (procAvailable && Number.isFinite(v) ? (v / total).toFixed(2) : 'n/a');
  // With BENCH_SERVER=sources the server runs in the bench process, beside the load generator.
  const httpClients = serverPid === null ? `server and load generator (one process) ${ms(cpu.http.bench)} ms` : `server ${ms(cpu.http.server)} ms, load generator ${ms(cpu.http.bench)} ms`;
  if (runs.http) console.log(`CPU per filing over HTTP:     ${httpClients}, PostgreSQL ${ms(cpu.http.postgres)} ms`);
  if (runs.direct) console.log(`CPU per filing direct:        postgres.js ${ms(cpu.direct.bench)} ms, PostgreSQL ${ms(cpu.direct.postgres)} ms`);
  const writing = sent.filter((s) => /insert into|update |delete from/.test(s.text)).length;
  console.log(`statements per filing:        ${sent.length} (authentication included), ${writing} writing the case`);
} finally {
  await stopServer();
  await endDirect();
  await handle.close();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
