/**
 * The web client's case page on the compiled server, with and without compiled queries
 * (`GRAPHQL_COMPILED_QUERIES`): two servers on PostgreSQL side by side, each on a database of its own
 * with the demo data and 20 cases in mediation, read in alternating rounds (BENCH_ROUNDS, default 6,
 * of BENCH_REQUESTS, default 2,000, from 25 clients) so that both see the same machine. Prints each
 * server's CPU per request (from /proc), throughput and latency, and the ratio of the two.
 * BENCH_QUERY=queue reads the mediators' queue instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { NODE_FLAGS, SERVER_ENV } from '../../server/heap';
import { freePort } from '../support/free-port';
import { processStat } from '../support/proc-stat';
import { insertLoadParties, LOAD_PASSWORD as PASSWORD } from '../support/load-parties';
import { webDocument } from '../support/web-documents';

const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CASE_PAGE = webDocument('case-query.ts');
const QUEUE = webDocument('pages/mediator-queue.tsx');
const FILE = `mutation ($input: FileDisputeInput!) { fileDispute(input: $input) { __typename ... on FileDisputeSuccess { case { id } } ... on Error { code message } } }`;

const MEDIATORS = ['13800001001', '13800001002'];
const DEMO_PASSWORD = 'Demo2026jf';
const VILLAGE = '532924101201';

interface Server {
  name: string;
  child: ChildProcess;
  base: string;
  /** Each case with its applicant's token. */
  cases: { id: string; token: string }[];
  mediators: string[];
  stop(): Promise<void>;
}

/** The first field of an answer, which must not be an error. */
async function gql(base: string, query: string, input: Record<string, unknown>, token?: string): Promise<any> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables: { input } }),
  });
  const body = (await res.json()) as { data?: Record<string, { __typename?: string }>; errors?: unknown };
  if (!body.data || body.errors) throw new Error(JSON.stringify(body));
  const first = Object.values(body.data)[0];
  if (first?.__typename && !first.__typename.endsWith('Success')) throw new Error(JSON.stringify(first));
  return first;
}

async function login(base: string, phone: string, password: string): Promise<string> {
  const r = await gql(base, `mutation($input: LoginInput!) { login(input: $input) { __typename ... on LoginSuccess { token } ... on Error { code message } } }`, { phone, password });
  return r.token as string;
}

/** A compiled server on a new database with the demo data, 40 parties and 20 cases in mediation. */
async function start(name: string, env: Record<string, string>): Promise<Server> {
  const database = `jiefen_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(BASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${database}`);
  const url = new URL(BASE_URL);
  url.pathname = `/${database}`;
  const port = await freePort();
  const child = spawn(process.execPath, [...NODE_FLAGS, 'dist/server/main.js'], {
    env: { ...process.env, ...SERVER_ENV, NODE_ENV: 'development', DATABASE_URL: url.toString(), PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'true', WEB: 'off', LOG_LEVEL: 'warn', SMS_PROVIDER: 'log', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await admin.unsafe(`drop database if exists ${database} with (force)`);
    await admin.end();
  };
  let output = '';
  child.stdout!.on('data', (b) => (output += b));
  child.stderr!.on('data', (b) => (output += b));
  while (!output.includes('is running')) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`${name} exited:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const base = `http://127.0.0.1:${port}`;
  // Parties straight into the database: the reading is measured here, not registration.
  const rows = await insertLoadParties(url.toString(), 40);
  // One login at a time: the platform limits password attempts per address.
  const tokens: string[] = [];
  for (const r of rows) tokens.push(await login(base, r.phone, PASSWORD));
  const mediators = new Map<string, string>();
  for (const phone of MEDIATORS) {
    const token = await login(base, phone, DEMO_PASSWORD);
    const me = (await (await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ me { name } }' }) })).json()) as { data: { me: { name: string } } };
    mediators.set(me.data.me.name, token);
  }
  const cases: Server['cases'] = [];
  for (let i = 0; i < 20; i++) {
    const respondent = rows[i + 20]!;
    const filed = await gql(base, FILE, {
      category: 'NEIGHBOR',
      title: `宅基地滴水纠纷${i}`,
      description: '被申请人新建房屋屋檐滴水落入申请人院内，多次协商未果，请求调解。',
      regionCode: VILLAGE,
      respondents: [{ name: respondent.name, phone: respondent.phone, address: '同村' }],
      claims: '请求被申请人改建排水设施',
      amount: '3000.00',
    }, tokens[i]);
    const consented = await gql(base, `mutation($input: RespondToMediationInput!) { respondToMediation(input: $input) { __typename ... on RespondToMediationSuccess { case { mediator { name } } } ... on Error { code message } } }`, { caseId: filed.case.id, accept: true }, tokens[i + 20]);
    const mediator = mediators.get(consented.case.mediator.name)!;
    await gql(base, `mutation($input: AcceptAssignmentInput!) { acceptAssignment(input: $input) { __typename ... on Error { code message } } }`, { caseId: filed.case.id }, mediator);
    await gql(base, `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { __typename ... on ScheduleSessionSuccess { session { id } } ... on Error { code message } } }`, { caseId: filed.case.id, mode: 'ON_SITE', place: '圭山村村民委员会调解室', startsAt: new Date(Date.now() + 3 * 3_600_000).toISOString() }, mediator);
    cases.push({ id: filed.case.id, token: tokens[i]! });
  }
  return { name, child, base, cases, mediators: [...mediators.values()], stop };
}

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)]!;
/** A read counts as an error unless it came back with data and no error. */
const okBody = (body: string) => {
  try {
    const parsed = JSON.parse(body) as { data?: unknown; errors?: unknown };
    return Boolean(parsed.data) && !parsed.errors;
  } catch {
    return false;
  }
};

/** One round of `amount` reads from `connections` clients, with each response's latency. */
function round(s: Server, what: 'case' | 'queue', connections: number, amount: number): Promise<{ n: number; errors: number; latencies: number[] }> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${s.base}/graphql`,
        connections,
        amount,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              if (what === 'queue') return { ...req, body: JSON.stringify({ query: QUEUE }), headers: { 'content-type': 'application/json', authorization: `Bearer ${pick(s.mediators)}` } };
              const c = pick(s.cases);
              return { ...req, body: JSON.stringify({ query: CASE_PAGE, variables: { id: c.id } }), headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}` } };
            },
          },
        ],
        verifyBody: okBody,
      } as autocannon.Options,
      (err, r) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve({ n: r.requests.total, errors: r.non2xx + r.errors + r.timeouts + (r.mismatches ?? 0), latencies })),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  });
}

async function main() {
  const built = spawnSync(process.execPath, ['server/build.mjs', '--if-changed'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('build failed');
  const what: 'case' | 'queue' = process.env.BENCH_QUERY === 'queue' ? 'queue' : 'case';
  const rounds = Number(process.env.BENCH_ROUNDS ?? 6);
  const amount = Number(process.env.BENCH_REQUESTS ?? 2000);
  const connections = 25;
  const servers: Server[] = [];
  try {
    servers.push(await start('standard executor', { GRAPHQL_COMPILED_QUERIES: 'false' }));
    servers.push(await start('compiled queries', {}));
    // Warm-up: the compiled server compiles the document in its first runs.
    for (const s of servers) await round(s, what, connections, 1000);
    const totals = servers.map(() => ({ cpu: 0, n: 0, ms: 0, lat: [] as number[] }));
    for (let i = 0; i < rounds; i++) {
      // Alternate which server goes first.
      for (const k of i % 2 ? [1, 0] : [0, 1]) {
        const s = servers[k]!;
        const cpu0 = processStat(s.child.pid!)!.cpuMs;
        const t0 = performance.now();
        const r = await round(s, what, connections, amount);
        const t = totals[k]!;
        t.cpu += processStat(s.child.pid!)!.cpuMs - cpu0;
        t.ms += performance.now() - t0;
        t.n += r.n;
        t.lat.push(...r.latencies);
        if (r.errors > 0) throw new Error(`${s.name}: ${r.errors} requests failed`);
      }
    }
    console.log(`${what === 'case' ? "the web client's case page" : "the mediators' queue"}, ${rounds} rounds of ${amount} requests from ${connections} clients per server`);
    console.log('| server | CPU per request | requests a second | p50 | p95 |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (const [k, t] of totals.entries()) {
      t.lat.sort((a, b) => a - b);
      const at = (p: number) => Math.round(t.lat[Math.min(t.lat.length - 1, Math.floor(t.lat.length * p))]!);
      console.log(`| ${servers[k]!.name} | ${(t.cpu / t.n).toFixed(2)} ms | ${(t.n / (t.ms / 1000)).toFixed(0)} | ${at(0.5)} ms | ${at(0.95)} ms |`);
    }
    const [base, compiled] = totals.map((t) => t.cpu / t.n) as [number, number];
    console.log(`CPU per request, compiled / standard: ${(compiled / base).toFixed(3)}`);
  } finally {
    for (const s of servers) await s.stop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
