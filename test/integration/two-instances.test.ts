import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createS3Storage } from '../../server/storage/s3';
import { parseStorageUrl } from '../../server/storage/storage-url';
import { freePort } from '../support/harness';
import { startS3 } from '../support/s3';

// Issue 15: two instances of the server (child processes) on one PostgreSQL database, one Redis and
// one S3-compatible bucket. An embedded database lives inside one process and cannot be shared, so
// this runs on PostgreSQL only.
const sharedUrl = inject('databaseUrl');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const root = fileURLToPath(new URL('../..', import.meta.url));
const DEMO_PASSWORD = 'Demo2026jf';

interface Instance {
  child: ChildProcess;
  base: string;
  output: string;
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const inst: Instance = { child, base: `http://127.0.0.1:${port}`, output: '' };
  child.stdout!.on('data', (b) => (inst.output += b));
  child.stderr!.on('data', (b) => (inst.output += b));
  const until = Date.now() + 180_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`instance exited: ${inst.output}`);
    if (await fetch(`${inst.base}/readyz`).then((r) => r.ok, () => false)) return inst;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`instance did not become ready: ${inst.output}`);
}

const stopped = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

async function gql(inst: Instance, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await fetch(`${inst.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] } };
}

async function ok(inst: Instance, query: string, input: Record<string, unknown>, token?: string) {
  const res = await gql(inst, query, { input }, token);
  const r = Object.values(res.body.data ?? {})[0] as { __typename?: string } | undefined;
  if (!r?.__typename?.endsWith('Success')) throw new Error(`expected success: ${JSON.stringify(res.body)}`);
  return r as any;
}

const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { __typename ... on LoginSuccess { token } ... on Error { code message } } }`;
const login = async (inst: Instance, phone: string) => (await ok(inst, LOGIN, { phone, password: DEMO_PASSWORD })).token as string;

describe.skipIf(!sharedUrl)('two instances on one database, one Redis and one bucket', () => {
  let a: Instance;
  let b: Instance;
  let s3: Awaited<ReturnType<typeof startS3>>;
  let db: postgres.Sql;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    s3 = await startS3();
    const name = `jiefen_two_${randomBytes(4).toString('hex')}`;
    const admin = postgres(sharedUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(sharedUrl!);
    url.pathname = `/${name}`;
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
    db = postgres(url.toString(), { max: 1, onnotice: () => {} });
    const env = {
      NODE_ENV: 'development',
      DATABASE_URL: url.toString(),
      REDIS_URL,
      STORAGE_URL: s3.url,
      SEED_DEMO: 'true',
      WEB: 'off',
      BCRYPT_COST: '4',
      LOG_LEVEL: 'warn',
    };
    // The first instance migrates and adds the demo data (its agreements' PDFs go to the bucket).
    a = await startInstance(env);
    b = await startInstance(env);
  }, 400_000);

  afterAll(async () => {
    for (const inst of [a, b]) {
      if (inst && inst.child.exitCode === null) {
        inst.child.kill('SIGTERM');
        await stopped(inst.child);
      }
    }
    await db?.end();
    await dropDatabase?.();
    await s3?.close();
  });

  it('serves a file stored through the other instance, from the bucket', async () => {
    const token = await login(b, '13800003001');
    const listed = await gql(b, `{ cases(first: 20) { edges { node { title agreement { id pdfUrl sha256 } } } } }`, {}, token);
    const settled = listed.body.data.cases.edges.map((e: any) => e.node).find((n: any) => n.title === '屋檐滴水致院墙受潮纠纷');
    expect(settled?.agreement?.pdfUrl).toBeTruthy();
    const path = new URL(settled.agreement.pdfUrl, b.base).pathname;
    const fromB = await fetch(`${b.base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(fromB.status).toBe(200);
    const bytes = new Uint8Array(await fromB.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const fromA = new Uint8Array(await (await fetch(`${a.base}${path}`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer());
    expect(Buffer.from(fromA).equals(Buffer.from(bytes))).toBe(true);
    // The bytes are in the bucket, not on either instance's disk.
    const keys: string[] = [];
    for await (const o of createS3Storage(parseStorageUrl(s3.url)).list()) keys.push(o.key);
    const [row] = await db`select count(*)::int as n from stored_files`;
    expect(keys.length).toBeGreaterThanOrEqual(row!.n as number);
    expect(keys.length).toBeGreaterThan(0);
  });

  it('carries a message posted on one instance to a subscriber on the other', async () => {
    const applicant = await login(a, '13800003001');
    const respondent = await login(b, '13800003002');
    const filed = await ok(
      a,
      `mutation($input: FileDisputeInput!) { fileDispute(input: $input) { __typename ... on FileDisputeSuccess { case { id } } ... on Error { code message } } }`,
      { category: 'NEIGHBOR', title: '共用水沟清淤纠纷', description: '双方共用的灌溉水沟淤塞，对清淤分工和费用意见不一，请求调解。', regionCode: '532924101201', respondents: [{ name: '杨建国', phone: '13800003002', address: '同村' }] },
      applicant,
    );
    const consented = await ok(
      b,
      `mutation($input: RespondToMediationInput!) { respondToMediation(input: $input) { __typename ... on RespondToMediationSuccess { case { mediator { name } } } ... on Error { code message } } }`,
      { caseId: filed.case.id, accept: true },
      respondent,
    );
    const mediator = await login(a, { 杨正华: '13800001001', 李阿妹: '13800001002' }[consented.case.mediator.name as string]!);
    await ok(a, `mutation($input: AcceptAssignmentInput!) { acceptAssignment(input: $input) { __typename ... on AcceptAssignmentSuccess { case { id } } ... on Error { code message } } }`, { caseId: filed.case.id }, mediator);
    const scheduled = await ok(
      b,
      `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { __typename ... on ScheduleSessionSuccess { session { id } } ... on Error { code message } } }`,
      { caseId: filed.case.id, mode: 'ON_SITE', place: '圭山村村民委员会调解室', startsAt: new Date(Date.now() + 3 * 3_600_000).toISOString() },
      mediator,
    );
    // The applicant listens on instance B.
    const abort = new AbortController();
    const res = await fetch(`${b.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${applicant}` },
      body: JSON.stringify({ query: `subscription($id: ID!) { sessionRoom(sessionId: $id) { seq kind body } }`, variables: { id: scheduled.session.id } }),
      signal: abort.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const received: string[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) received.push(decoder.decode(chunk, { stream: true }));
      } catch {
        // aborted below
      }
    })();
    // The mediator speaks on instance A; subscriptions start before the post, so give B a moment to subscribe.
    await new Promise((r) => setTimeout(r, 500));
    const body = `明天上午九点在村委会见面 ${Date.now()}`;
    await ok(a, `mutation($input: PostSessionMessageInput!) { postSessionMessage(input: $input) { __typename ... on PostSessionMessageSuccess { roomMessage { seq } } ... on Error { code message } } }`, { sessionId: scheduled.session.id, body }, mediator);
    const until = Date.now() + 15_000;
    while (!received.join('').includes(body) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    abort.abort();
    await reading;
    expect(received.join('')).toContain(body);
  });

  it('holds a court client to one budget across both instances', async () => {
    const admin = await login(a, '13800000000');
    const courts = await gql(a, `{ organizations(first: 10, kind: COURT, regionCode: "532924") { edges { node { id name } } } }`, {}, admin);
    const court = courts.body.data.organizations.edges.map((e: any) => e.node).find((n: any) => n.name === '宾川县人民法院');
    const created = await ok(
      b,
      `mutation($input: CreateApiClientInput!) { createApiClient(input: $input) { __typename ... on CreateApiClientSuccess { secret } ... on Error { code message } } }`,
      { name: `宾川法院系统${Date.now() % 100000}`, organizationId: court.id, rateLimitPerMinute: 3 },
      admin,
    );
    const ask = (inst: Instance) => gql(inst, `{ confirmationApplications(first: 1) { edges { node { id } } } }`, {}, created.secret);
    const statuses = [];
    for (const inst of [a, b, a, b]) statuses.push((await ask(inst)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await ask(a)).body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
  });

  it('runs each background job on one instance at a time, and hands it over when that one stops', async () => {
    const holderOf = (inst: Instance) => `${hostname()}:${inst.child.pid}`;
    // Both run the scheduler; every lease is held by exactly one of them.
    await new Promise((r) => setTimeout(r, 6000));
    const leases = await db`select name, holder from job_leases order by name`;
    expect(leases.map((l) => l.name)).toContain('case-deadlines');
    for (const l of leases) expect([holderOf(a), holderOf(b)]).toContain(l.holder);
    const first = leases.find((l) => l.name === 'case-deadlines')!.holder as string;
    const [holding, other] = first === holderOf(a) ? [a, b] : [b, a];
    // The holder stops cleanly: it gives its leases up and the other takes the deadlines over.
    holding.child.kill('SIGTERM');
    await stopped(holding.child);
    const until = Date.now() + 30_000;
    let now: string | undefined;
    while (Date.now() < until) {
      [{ holder: now } = { holder: undefined }] = await db`select holder from job_leases where name = 'case-deadlines'`;
      if (now === holderOf(other)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(now).toBe(holderOf(other));
  }, 60_000);
});
