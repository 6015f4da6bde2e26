/**
 * `npm run load`: a bounded load test of the compiled server on PostgreSQL, on loopback only.
 *
 * 1. Builds the server, creates a database of its own, starts `node dist/server/main.js` on it with
 *    the demo data, adds parties and cases in mediation with scheduled sessions.
 * 2. Mixed run (LOAD_SECONDS, default 40): parties reading their case page (the web client's query),
 *    mediators reading their queue, filings, and messages into live rooms with subscribers attached;
 *    50 concurrent clients in all.
 * 3. Fan-out run (FANOUT_SECONDS, default 15): 2,000 open live-room subscriptions (SSE) on the one
 *    instance, a message posted into every room each second (the rooms' posts spread over the second;
 *    FANOUT_BURST=1 posts them all at once), latency from post to receipt.
 *
 * LOAD_ONLY=word[,word] runs only the operations whose names hold one of the words (to profile one
 * operation alone, e.g. LOAD_ONLY="case page"); the goals are then not all measured.
 *
 * Prints per operation p50/p95/p99 latency, throughput and errors, the server's RSS after each
 * run, and whether the goals hold: 0 errors, read p95 < 150 ms and RSS <= 300 MB for the mixed run,
 * fan-out p95 <= 200 ms for the second (whose RSS, with 2,000 connections held, is printed beside).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { Agent, request } from 'node:http';
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { startCompiledServer } from '../support/compiled-server';
import { freePort } from '../support/free-port';
import { processStat } from '../support/proc-stat';
import { insertLoadParties, LOAD_PASSWORD as PASSWORD } from '../support/load-parties';
import { webDocument } from '../support/web-documents';

const BASE_URL = process.env.LOAD_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MIXED_SECONDS = Number(process.env.LOAD_SECONDS ?? 40);
const FANOUT_SECONDS = Number(process.env.FANOUT_SECONDS ?? 15);
const SUBSCRIPTIONS = Number(process.env.FANOUT_SUBSCRIPTIONS ?? 2000);
const CASES = 20;
/** LOAD_ONLY: a comma-separated list of words; only the operations whose names hold one run (for profiling one). */
const ONLY = process.env.LOAD_ONLY ? process.env.LOAD_ONLY.split(',') : null;
const DEMO_PASSWORD = 'Demo2026jf';
const VILLAGE = '532924101201';
const MEDIATOR_PHONES: Record<string, string> = { 杨正华: '13800001001', 李阿妹: '13800001002' };

const CASE_PAGE = webDocument('case-query.ts');
/** The web client's queue of a mediator, as the mediator-queue page sends it without filters. */
const QUEUE = webDocument('pages/mediator-queue.tsx');
const FILE = /* GraphQL */ `mutation ($input: FileDisputeInput!) { fileDispute(input: $input) { __typename ... on FileDisputeSuccess { case { id } } ... on Error { code message } } }`;
const POST = /* GraphQL */ `mutation ($input: PostSessionMessageInput!) { postSessionMessage(input: $input) { __typename ... on PostSessionMessageSuccess { roomMessage { seq } } ... on Error { code message } } }`;
const ROOM = /* GraphQL */ `subscription ($sessionId: ID!) { sessionRoom(sessionId: $sessionId) { seq kind body } }`;

let server: ChildProcess | null = null;
/** What the server has printed so far. */
let serverOutput: () => string = () => '';
let dropDatabase: (() => Promise<void>) | null = null;
let base = '';


async function gql<T = any>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  if (!body.data || body.errors) throw new Error(`GraphQL failed: ${JSON.stringify(body)}`);
  return body.data;
}

/** The first field of a mutation's result, which must be a success. */
async function mutate(query: string, input: Record<string, unknown>, token: string): Promise<any> {
  const data = await gql(query, { input }, token);
  const r = Object.values(data as object)[0] as { __typename: string };
  if (!r.__typename.endsWith('Success')) throw new Error(`mutation failed: ${JSON.stringify(r)}`);
  return r;
}

async function login(phone: string, password: string): Promise<string> {
  const r = await mutate(`mutation($input: LoginInput!) { login(input: $input) { __typename ... on LoginSuccess { token } ... on Error { code message } } }`, { phone, password }, '');
  return r.token;
}

/** CPU time a process has used so far (user and system), in ms. */
function processCpuMs(pid: number): number {
  const st = processStat(pid);
  if (!st) throw new Error(`process ${pid} is gone`);
  return st.cpuMs;
}

/** The machine's CPU time so far, busy and in all, in clock ticks (every core). */
function machineCpu(): { busy: number; total: number } {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - ticks[3]! - ticks[4]!, total };
}

/** Where the CPU went during a run: the server's share of one core, and how busy the machine was. */
function cpuDuring<T>(run: () => Promise<T>): Promise<{ result: T; serverCores: number; machineBusy: number; serverCpuMs: number }> {
  const pid = server!.pid!;
  const [cpu0, machine0, at0] = [processCpuMs(pid), machineCpu(), performance.now()];
  return run().then((result) => {
    const [cpu1, machine1, at1] = [processCpuMs(pid), machineCpu(), performance.now()];
    return {
      result,
      serverCpuMs: cpu1 - cpu0,
      serverCores: (cpu1 - cpu0) / (at1 - at0),
      machineBusy: (machine1.busy - machine0.busy) / (machine1.total - machine0.total),
    };
  });
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Math.round(Number(line.replace(/\D+/g, '')) / 1024);
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Figures {
  operation: string;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

async function startServer(): Promise<void> {
  console.log('building the server…');
  const built = spawnSync(process.execPath, ['server/build.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('build failed');
  const name = `jiefen_load_${randomBytes(4).toString('hex')}`;
  const admin = postgres(BASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  dropDatabase = async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // LOAD_SERVER_NODE_ARGS: node flags NODE_OPTIONS refuses, e.g. --cpu-prof --cpu-prof-dir=/tmp/profile,
  // given after the flags `npm start` gives the server.
  const started = await startCompiledServer(
    {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: url.toString(),
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_DEMO: 'true',
      WEB: 'off',
      LOG_LEVEL: 'warn',
      SMS_PROVIDER: 'log',
      // Node flags for the server alone, e.g. LOAD_SERVER_NODE_OPTIONS=--max-old-space-size=256.
      NODE_OPTIONS: process.env.LOAD_SERVER_NODE_OPTIONS ?? '',
    },
    {
      nodeArgs: (process.env.LOAD_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
      onSpawn: (child) => {
        server = child;
        // LOAD_SERVER_OUTPUT=<file>: the server's own output kept there as well (with --trace-gc, say).
        if (process.env.LOAD_SERVER_OUTPUT) {
          const file = createWriteStream(process.env.LOAD_SERVER_OUTPUT);
          child.stdout!.pipe(file, { end: false });
          child.stderr!.pipe(file, { end: false });
          child.once('exit', () => file.end());
        }
      },
    },
  );
  serverOutput = started.output;
  // Parties of the demo village, straight into the database: the load is the point here, not registration.
  const rows = await insertLoadParties(url.toString(), CASES * 2);
  parties = rows.map((r) => ({ phone: r.phone, name: r.name, token: '' }));
}

let parties: { phone: string; name: string; token: string }[] = [];
const mediatorTokens = new Map<string, string>();
const cases: { id: string; applicantToken: string; mediatorToken: string; sessionId: string }[] = [];

async function prepareCases(): Promise<void> {
  for (const p of parties) p.token = await login(p.phone, PASSWORD);
  for (const [name, phone] of Object.entries(MEDIATOR_PHONES)) mediatorTokens.set(name, await login(phone, DEMO_PASSWORD));
  for (let i = 0; i < CASES; i++) {
    const applicant = parties[i]!;
    const respondent = parties[i + CASES]!;
    const filed = await mutate(FILE, fileInput(respondent.name, respondent.phone), applicant.token);
    const consented = await mutate(
      `mutation($input: RespondToMediationInput!) { respondToMediation(input: $input) { __typename ... on RespondToMediationSuccess { case { mediator { name } } } ... on Error { code message } } }`,
      { caseId: filed.case.id, accept: true },
      respondent.token,
    );
    const mediatorToken = mediatorTokens.get(consented.case.mediator.name)!;
    await mutate(`mutation($input: AcceptAssignmentInput!) { acceptAssignment(input: $input) { __typename ... on Error { code message } } }`, { caseId: filed.case.id }, mediatorToken);
    const scheduled = await mutate(
      `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { __typename ... on ScheduleSessionSuccess { session { id } } ... on Error { code message } } }`,
      { caseId: filed.case.id, mode: 'ON_SITE', place: '圭山村村民委员会调解室', startsAt: new Date(Date.now() + 3 * 3_600_000).toISOString() },
      mediatorToken,
    );
    cases.push({ id: filed.case.id, applicantToken: applicant.token, mediatorToken, sessionId: scheduled.session.id });
  }
}

let filed = 0;
function fileInput(name: string, phone: string) {
  filed++;
  return {
    category: 'NEIGHBOR',
    title: `宅基地滴水纠纷${filed}`,
    description: '被申请人新建房屋屋檐滴水落入申请人院内，多次协商未果，请求调解。',
    regionCode: VILLAGE,
    respondents: [{ name, phone, address: '同村' }],
    claims: '请求被申请人改建排水设施',
    amount: '3000.00',
  };
}

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)]!;
/** A response counts as an error unless every top-level field came back, and mutations succeeded. */
const okBody = (body: string) => {
  try {
    const parsed = JSON.parse(body) as { data?: Record<string, { __typename?: string } | null>; errors?: unknown };
    if (parsed.errors || !parsed.data) return false;
    return Object.values(parsed.data).every((v) => v !== null && (v.__typename === undefined || v.__typename.endsWith('Success')));
  } catch {
    return false;
  }
};

/** One operation under autocannon, with latencies kept per response for exact percentiles. */
function runOperation(operation: string, connections: number, seconds: number, makeBody: () => { body: string; token: string }, overallRate?: number): Promise<Figures> {
  const latencies: number[] = [];
  if (ONLY && !ONLY.some((o) => operation.includes(o))) return Promise.resolve({ operation, requests: 0, perSecond: 0, p50: 0, p95: 0, p99: 0, errors: 0 });
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${base}/graphql`,
        connections,
        duration: seconds,
        ...(overallRate ? { overallRate } : {}),
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const { body, token } = makeBody();
              return { ...req, body, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } };
            },
          },
        ],
        verifyBody: okBody,
      } as autocannon.Options,
      (err, result) => {
        if (err) return reject(err instanceof Error ? err : new Error(String(err)));
        latencies.sort((a, b) => a - b);
        resolve({
          operation,
          requests: result.requests.total,
          perSecond: Math.round((result.requests.total / seconds) * 10) / 10,
          p50: percentile(latencies, 50),
          p95: percentile(latencies, 95),
          p99: percentile(latencies, 99),
          errors: result.errors + result.timeouts + result.non2xx + (result.mismatches ?? 0),
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  });
}

/**
 * An SSE subscription to a room that reports each message's body with the time it arrived. Read with
 * node:http, not fetch: 2,000 web-stream readers in this process would add their own delay to the
 * latency measured, on the same two cores as the server.
 */
function subscribe(token: string, sessionId: string, onMessage: (body: string, at: number) => void, signal: AbortSignal): Promise<void> {
  const payload = JSON.stringify({ query: ROOM, variables: { sessionId } });
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}/graphql`,
      {
        method: 'POST',
        agent: sseAgent,
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(payload) },
        signal,
      },
      (res) => {
        if (res.statusCode !== 200 || !String(res.headers['content-type']).includes('text/event-stream')) {
          res.resume();
          reject(new Error(`subscription refused: ${res.statusCode}`));
          return;
        }
        resolve();
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          const at = performance.now();
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            // An event's data lines joined with newlines (the SSE rule); the stream's closing
            // `complete` event carries none.
            const data = block
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
              .join('\n');
            if (!data) continue;
            try {
              const parsed = JSON.parse(data) as { data?: { sessionRoom?: { body?: string } } };
              const body = parsed.data?.sessionRoom?.body;
              if (body) onMessage(body, at);
            } catch {
              unreadableEvents++;
            }
          }
        });
        res.on('error', () => {});
      },
    );
    req.on('error', (err) => {
      if (!signal.aborted) reject(err);
    });
    req.end(payload);
  });
}

/** Events whose data was not JSON (counted as errors of the run). */
let unreadableEvents = 0;

/** Keep-alive off and no socket limit: every subscription holds a connection of its own. */
const sseAgent = new Agent({ keepAlive: false, maxSockets: Infinity });

async function mixedRun(): Promise<{ figures: Figures[]; rss: number }> {
  // Subscribers attached to every room while messages go in: two per room.
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  let received = 0;
  for (const c of cases) for (let k = 0; k < 2; k++) await subscribe(c.applicantToken, c.sessionId, () => received++, abort.signal);
  let n = 0;
  const { result: figures, serverCores, machineBusy, serverCpuMs } = await cpuDuring(() => Promise.all([
    runOperation('party reads case page', 25, MIXED_SECONDS, () => {
      const c = pick(cases);
      return { body: JSON.stringify({ query: CASE_PAGE, variables: { id: c.id } }), token: c.applicantToken };
    }),
    runOperation('mediator reads queue', 15, MIXED_SECONDS, () => ({ body: JSON.stringify({ query: QUEUE, variables: {} }), token: pick([...mediatorTokens.values()]) })),
    runOperation(
      'party files a dispute',
      5,
      MIXED_SECONDS,
      () => {
        const applicant = pick(parties.slice(0, CASES));
        const phone = `176${String(10_000_000 + n++).slice(-8)}`;
        return { body: JSON.stringify({ query: FILE, variables: { input: fileInput('王某某', phone) } }), token: applicant.token };
      },
      5,
    ),
    runOperation(
      'mediator posts into a live room',
      5,
      MIXED_SECONDS,
      () => {
        const c = pick(cases);
        return { body: JSON.stringify({ query: POST, variables: { input: { sessionId: c.sessionId, body: `调解员发言 ${n++}` } } }), token: c.mediatorToken };
      },
      20,
    ),
  ]));
  abort.abort();
  console.log(`  (${received} room messages reached the ${cases.length * 2} attached subscribers)`);
  const requests = figures.reduce((a, f) => a + f.requests, 0);
  console.log(`  server CPU ${(serverCores * 100).toFixed(0)} % of one core (${(serverCpuMs / requests).toFixed(1)} ms per request); machine ${(machineBusy * 100).toFixed(0)} % busy on ${cpus().length} cores`);
  return { figures, rss: rssMb(server!.pid!) };
}

async function fanOutRun(): Promise<{ received: number; expected: number; p50: number; p95: number; p99: number; rss: number; posts: number; postErrors: number; postsPerSecond: number }> {
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const perRoom = Math.ceil(SUBSCRIPTIONS / cases.length);
  const opened = Date.now();
  const jobs: Promise<void>[] = [];
  for (let s = 0; s < SUBSCRIPTIONS; s++) {
    const c = cases[s % cases.length]!;
    jobs.push(
      subscribe(
        c.applicantToken,
        c.sessionId,
        (body, at) => {
          const t = sentAt.get(body);
          if (t !== undefined) latencies.push(at - t);
        },
        abort.signal,
      ),
    );
    if (jobs.length % 200 === 0) await Promise.all(jobs.splice(0));
  }
  await Promise.all(jobs);
  console.log(`  ${SUBSCRIPTIONS} subscriptions open (${perRoom} per room, ${cases.length} rooms) in ${Date.now() - opened} ms`);
  let posts = 0;
  let postErrors = 0;
  // Each room gets one message a second, the rooms' posts spread evenly over the second as live
  // sessions' speakers would be, not all in the same millisecond (FANOUT_BURST=1 sends them together).
  // Every post has its own time on a fixed schedule: a slow answer does not delay the next ones.
  const gap = process.env.FANOUT_BURST === '1' ? 0 : 1000 / cases.length;
  const started = Date.now();
  const { serverCores, machineBusy } = await cpuDuring(async () => {
    const sending: Promise<void>[] = [];
    for (let second = 0; second < FANOUT_SECONDS; second++) {
      for (const [i, c] of cases.entries()) {
        const due = started + second * 1000 + i * gap;
        await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
        const body = `fan-out ${i} ${posts++} ${second}`;
        sentAt.set(body, performance.now());
        sending.push(
          mutate(POST, { sessionId: c.sessionId, body }, c.mediatorToken).then(
            () => undefined,
            (err: unknown) => {
              postErrors++;
              if (postErrors <= 3) console.log(`  post failed: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}`);
            },
          ),
        );
      }
    }
    await Promise.all(sending);
  });
  const postsPerSecond = posts / ((Date.now() - started) / 1000);
  console.log(`  server CPU ${(serverCores * 100).toFixed(0)} % of one core while posting; machine ${(machineBusy * 100).toFixed(0)} % busy on ${cpus().length} cores`);
  // Let the last messages arrive.
  await new Promise((r) => setTimeout(r, 2000));
  const rss = rssMb(server!.pid!);
  abort.abort();
  latencies.sort((a, b) => a - b);
  return { received: latencies.length, expected: (posts - postErrors) * perRoom, p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), rss, posts, postErrors, postsPerSecond };
}

const ms = (v: number) => (Number.isNaN(v) ? '—' : `${Math.round(v)} ms`);

async function main() {
  await startServer();
  console.log('preparing parties, cases in mediation and their sessions…');
  await prepareCases();
  console.log(`\n== mixed run: ${MIXED_SECONDS} s, 50 concurrent clients ==`);
  const mixed = await mixedRun();
  console.log('| operation | requests | per second | p50 | p95 | p99 | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const f of mixed.figures) console.log(`| ${f.operation} | ${f.requests} | ${f.perSecond} | ${ms(f.p50)} | ${ms(f.p95)} | ${ms(f.p99)} | ${f.errors} |`);
  console.log(`server RSS after the mixed run: ${mixed.rss} MB`);

  console.log(`\n== fan-out run: ${SUBSCRIPTIONS} live-room subscriptions, ${FANOUT_SECONDS} s, ${process.env.FANOUT_BURST === '1' ? 'every room\'s post sent at once' : 'posts spread over each second'} ==`);
  const fan = await fanOutRun();
  console.log(`posts ${fan.posts} (errors ${fan.postErrors}), ${fan.postsPerSecond.toFixed(1)} a second; receipts ${fan.received} of ${fan.expected} expected${unreadableEvents ? `, ${unreadableEvents} events unreadable` : ''}`);
  console.log(`post-to-receipt latency: p50 ${ms(fan.p50)}, p95 ${ms(fan.p95)}, p99 ${ms(fan.p99)}`);
  console.log(`server RSS with the subscriptions open: ${fan.rss} MB`);

  const reads = mixed.figures.filter((f) => f.operation.includes('reads'));
  const goals = [
    ['0 errors', mixed.figures.every((f) => f.errors === 0) && fan.postErrors === 0 && fan.received === fan.expected && unreadableEvents === 0],
    ['read p95 < 150 ms at 50 clients', reads.every((f) => f.p95 < 150)],
    ['RSS <= 300 MB after the mixed run', mixed.rss <= 300],
    ['fan-out p95 <= 200 ms', fan.p95 <= 200],
  ] as const;
  console.log('\n== goals ==');
  for (const [goal, met] of goals) console.log(`${met ? 'met    ' : 'NOT met'}  ${goal}`);
  // What the server logged as an error (level 50 and up), to find the cause of a failed request.
  const errors = serverOutput().split('\n').filter((l) => /"level":(5\d|60)/.test(l));
  if (errors.length > 0) console.log(`\nserver errors (${errors.length}, first 3):\n${errors.slice(0, 3).map((l) => l.slice(0, 1500)).join('\n')}`);
}

main()
  .catch((e) => {
    console.error(e);
    if (serverOutput()) console.error(`server output:\n${serverOutput().slice(-4000)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    await dropDatabase?.();
  });
