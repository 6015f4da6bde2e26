/**
 * fileDispute throughput through HTTP (express + yoga + domain + drizzle) against the same SQL work
 * done directly with postgres.js, same concurrency, same run, same PostgreSQL. Prints both and the ratio.
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx test/bench/file-dispute.ts
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
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

  // Statements one filing sends, counted on a second connection pool with a query log.
  const statements: string[] = [];
  const counting = await openDatabase({ databaseUrl: url.toString(), maxConnections: 2, onQuery: (q) => statements.push(q) });
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
  }).then((r) => r.json() as Promise<{ data?: { fileDispute?: { __typename: string } } }>);
  countingApp.close();
  await counting.close();
  if (counted.data?.fileDispute?.__typename !== 'FileDisputeSuccess') throw new Error(`counting filing failed: ${JSON.stringify(counted)}`);
  const http = process.env.BENCH_PHASE === 'direct' ? 0 : await loadInWorker(REQUESTS);
  server.close();

  // The same statements a filing runs (session lookup, the filer's address, the divisions named,
  // the prior-case count; then one statement with the number, the case, its parties, its two events,
  // its first deadline and the outbox row), sent straight through postgres.js.
  const sql = postgres(url.toString(), { max: config.databasePoolSize, onnotice: () => {} });
  const [user] = await sql`select id, phone from users where phone = '13912345678'`;
  const direct = process.env.BENCH_PHASE === 'http' ? 0 : await runPool(REQUESTS, CONCURRENCY, async (i) => {
    await sql`select s.*, u.* from sessions s join users u on u.id = s.user_id where s.token_hash = ${randomUUID()} and s.revoked_at is null limit 1`;
    await sql`select address from users where id = ${user!.id}`;
    await sql`select code, name from regions where code in ('532924101201', '532924')`;
    await sql`with r as materialized (select distinct b.case_id from case_parties b where b.phone = any(${[`137${String(i).padStart(8, '0')}`]}::text[]))
      select count(*)::int as n from r join cases c on c.id = r.case_id
      where c.created_at > ${new Date(Date.now() - 365 * 86_400_000).toISOString()}::timestamptz
        and exists (select 1 from case_parties a where a.case_id = r.case_id and a.phone = ${user!.phone})`;
    const id = randomUUID();
    const respondent = `137${String(i).padStart(8, '0')}`;
    // The case as the server writes it: one statement, its number taken in it.
    await sql`with n as (
        insert into case_number_counters (county_code, year, last) values ('532924', 2099, 1)
        on conflict (county_code, year) do update set last = case_number_counters.last + 1 returning last
      ), c as (
        insert into cases (id, number, status, version, category, title, description, region_code, county_code, filed_by_user_id, filed_via, head_event_hash, contact_due_at, created_at, updated_at)
        values (${id}, (select ${'（2099）宾川调登字第'}::text || n.last || '号' from n), 'AWAITING_RESPONDENT', 2, 'NEIGHBOR', ${`基准${i}`}, '相邻两户因排水问题发生纠纷', '532924101201', '532924', ${user!.id}, 'PARTY', ${randomUUID()}, now() + interval '3 days', now(), now())
        returning *
      ), p as (
        insert into case_parties (case_id, role, kind, name, phone, user_id, consent, position) values
        (${id}, 'APPLICANT', 'PERSON', 'a', ${user!.phone}, (select id from users where phone = ${user!.phone} and phone_verified_at is not null), 'ACCEPTED', 0),
        (${id}, 'RESPONDENT', 'PERSON', 'b', ${respondent}, (select id from users where phone = ${respondent} and phone_verified_at is not null), 'PENDING', 1)
      ), e as (
        insert into events (subject_type, subject_id, seq, type, at, actor_kind, data, hash) values
        ('case', ${id}, 1, 'bench', now(), 'user', '{}'::jsonb, ${randomUUID()}), ('case', ${id}, 2, 'bench', now(), 'user', '{}'::jsonb, ${randomUUID()})
      ), d as (
        insert into deadlines (case_id, kind, target_id, rule, amount, start_at, due_at, basis, protects, source, created_at, updated_at)
        values (${id}, 'RESPONDENT_CONTACT', ${id}, 'WORKING_DAYS', 3, now(), now() + interval '3 days', 'bench', 'DUTY', 'OMR 15', now(), now())
      ), o as (
        insert into outbox (kind, topic, recipient, payload, case_id, available_at, created_at)
        select m.kind, m.topic, m.recipient, replace(m.payload::text, ${'case-number:bench'}::text, btrim(to_jsonb((select number from c)::text)::text, '"'))::jsonb, m.case_id, m.available_at, now()
        from jsonb_to_recordset(${JSON.stringify([{ kind: 'NOTIFICATION', topic: 'bench', recipient: respondent, payload: { caseNumber: 'case-number:bench' }, case_id: id, available_at: new Date().toISOString() }])}::text::jsonb)
          as m(kind text, topic text, recipient text, payload jsonb, case_id uuid, available_at timestamptz)
      )
      select * from c`;
  });
  await sql.end();
  console.log(`fileDispute over HTTP:        ${http.toFixed(0)} req/s  (${REQUESTS} requests, concurrency ${CONCURRENCY}, ${config.databasePoolSize} connections)`);
  console.log(`same SQL via postgres.js:     ${direct.toFixed(0)} tx/s  (concurrency ${CONCURRENCY}, ${config.databasePoolSize} connections)`);
  console.log(`ratio HTTP / direct:          ${(http / direct).toFixed(2)}  (target >= 0.6)`);
  const writing = statements.filter((q) => /insert into|update |delete from/.test(q)).length;
  console.log(`statements per filing:        ${statements.length} (authentication included), ${writing} writing the case`);
} finally {
  await handle.close();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
}
