import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { freePort, makeIdNumber, uniquePhone } from '../support/harness';

// The whole core path over HTTP against a server whose system clock is in mid-2027, a year without
// an official holiday notice in the shipped data: nothing may fail because of the calendar.
const hasFaketime = spawnSync('faketime', ['2027-06-01 10:00:00', 'true']).status === 0;
const FAKE_NOW = '2027-06-01 10:00:00';

let child: ChildProcess | null = null;
let base = '';
let output = '';
let dropDatabase: (() => Promise<void>) | null = null;

async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<{ status: number; body: { data?: T; errors?: unknown[] }; text: string }> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), text };
}

const responses: string[] = [];
async function ok(query: string, input: Record<string, unknown>, token?: string) {
  const res = await gql(query, { input }, token);
  responses.push(res.text);
  const r = Object.values(res.body.data ?? {})[0] as { __typename?: string } | undefined;
  expect(r?.__typename, res.text).toMatch(/Success$/);
  return r as any;
}

beforeAll(async () => {
  if (!hasFaketime) return;
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'development',
    PORT: String(port),
    HOST: '127.0.0.1',
    BCRYPT_COST: '4',
    // info: the development SMS provider logs one-time codes, which the parties here read as from their phones.
    LOG_LEVEL: 'info',
    SMS_PROVIDER: 'log',
    SEED_DEMO: 'true',
  };
  const databaseUrl = inject('databaseUrl');
  if (databaseUrl) {
    // A database of its own: the demo data is seeded only into a database without organisations.
    const name = `jiefen_faketime_${randomBytes(4).toString('hex')}`;
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    env.DATABASE_URL = url.toString();
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    delete env.DATABASE_URL;
    env.DATA_DIR = 'memory://';
  }
  delete env.VITEST;
  // faketime runs the server as its own child: in a process group of their own, both are stopped
  // together (killing faketime alone would leave the server running).
  child = spawn('faketime', [FAKE_NOW, process.execPath, '--import', 'tsx', 'server/main.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout!.on('data', (b) => (output += b));
  child.stderr!.on('data', (b) => (output += b));
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    // The server prints its banner once it listens: only then is the port surely this server's.
    if (output.includes('jiefen 解纷 is running')) break;
    if (Date.now() > deadline) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 200_000);

afterAll(async () => {
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    const force = setTimeout(() => {
      try {
        process.kill(-child!.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 15_000);
    await exited;
    clearTimeout(force);
  }
  await dropDatabase?.();
});

const FILE = `mutation($input: FileDisputeInput!) { fileDispute(input: $input) { __typename ... on FileDisputeSuccess { case { id number } } ... on Error { code message } } }`;
const RESPOND = `mutation($input: RespondToMediationInput!) { respondToMediation(input: $input) { __typename ... on RespondToMediationSuccess { case { status mediator { id name } } } ... on Error { code message } } }`;
const ACCEPT = `mutation($input: AcceptAssignmentInput!) { acceptAssignment(input: $input) { __typename ... on AcceptAssignmentSuccess { case { status dueAt } } ... on Error { code message } } }`;
const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { __typename ... on LoginSuccess { token } ... on Error { code message } } }`;
const REGISTER = `mutation($input: RegisterInput!) { register(input: $input) { __typename ... on RegisterSuccess { token } ... on Error { code message } } }`;
const DEMO_PASSWORD = 'Demo2026jf';
const MEDIATOR_PHONES: Record<string, string> = { 杨正华: '13800001001', 李阿妹: '13800001002' };

async function login(phone: string, password = DEMO_PASSWORD): Promise<string> {
  return (await ok(LOGIN, { phone, password })).token;
}

/** The code the development SMS provider logged for this phone (masked there as 190****1234). */
async function codeSentTo(phone: string): Promise<string> {
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  for (let i = 0; i < 120; i++) {
    for (const line of output.split('\n').reverse()) {
      if (!line.includes('"code"') || !line.includes(masked)) continue;
      const code = (JSON.parse(line) as { code?: string }).code;
      if (code) return code;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no code logged for ${masked}`);
}

async function party(name: string) {
  const phone = uniquePhone();
  await ok(`mutation($input: RequestPhoneCodeInput!) { requestPhoneCode(input: $input) { __typename ... on RequestPhoneCodeSuccess { expiresAt } ... on Error { code message } } }`, { phone, purpose: 'REGISTER' });
  const phoneCode = await codeSentTo(phone);
  const input = {
    phone,
    phoneCode,
    password: 'Faketime-2027-jiefen',
    name,
    idNumber: makeIdNumber('532924'),
    ethnicity: '白族',
    occupation: '农民',
    address: '云南省大理白族自治州宾川县金牛镇圭山村',
  };
  const token = (await ok(REGISTER, input)).token as string;
  return { phone, name, token };
}

async function caseInMediation(applicant: { token: string }, respondent: { name: string; phone: string; token: string }) {
  const filed = await ok(
    FILE,
    {
      category: 'NEIGHBOR',
      title: '宅基地滴水纠纷',
      description: '被申请人新建房屋屋檐滴水落入申请人院内，多次协商未果，请求调解。',
      regionCode: '532924101201',
      respondents: [{ name: respondent.name, phone: respondent.phone, address: '同村' }],
      amount: '3000.00',
    },
    applicant.token,
  );
  const caseId = filed.case.id as string;
  const consented = await ok(RESPOND, { caseId, accept: true }, respondent.token);
  expect(consented.case.status).toBe('ASSIGNING');
  const mediatorToken = await login(MEDIATOR_PHONES[consented.case.mediator.name]!);
  await ok(ACCEPT, { caseId }, mediatorToken);
  return { caseId, mediatorToken };
}

describe.skipIf(!hasFaketime)('a server whose system clock is in mid-2027', () => {
  it('is ready, says how far the official days run, and answers the whole core path', async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { calendar: { officialThrough: number; warning: string | null } };
    expect(body.calendar.officialThrough).toBe(2026);
    expect(body.calendar.warning).toMatch(/2027/);

    const admin = await login('13800000000');
    const orgs = await gql(`{ organizations(first: 50) { edges { node { id name kind courtCode } } } }`, {}, admin);
    const court = orgs.body.data.organizations.edges.map((e: any) => e.node).find((o: any) => o.name === '宾川县人民法院');
    expect(court?.courtCode).toBe('云2924');
    const client = await ok(`mutation($input: CreateApiClientInput!) { createApiClient(input: $input) { __typename ... on CreateApiClientSuccess { secret } ... on Error { code message } } }`, { name: '宾川法院系统', organizationId: court.id }, admin);

    const applicant = await party('李秀英');
    const respondent = await party('杨建国');
    const { caseId, mediatorToken } = await caseInMediation(applicant, respondent);
    // 实名: without an identity service the mediator checks each party's identity card in person.
    const parties = await gql(`query($id: ID!) { case(id: $id) { parties { id } } }`, { id: caseId }, mediatorToken);
    for (const p of parties.body.data.case.parties as { id: string }[]) {
      await ok(`mutation($input: VerifyIdentityInPersonInput!) { verifyIdentityInPerson(input: $input) { __typename ... on Error { code message } } }`, { partyId: p.id, documentType: 'RESIDENT_ID_CARD' }, mediatorToken);
    }
    const drafted = await ok(
      `mutation($input: DraftAgreementInput!) { draftAgreement(input: $input) { __typename ... on DraftAgreementSuccess { agreement { id } } ... on Error { code message } } }`,
      {
        caseId,
        facts: '被申请人新建房屋屋檐滴水落入申请人院内。',
        issues: '排水设施改建及损失赔偿。',
        responsibilities: '被申请人负主要责任。',
        terms: [{ text: '被申请人赔偿申请人损失人民币三千元。', amount: '3000.00', dueDate: '2027-06-20' }],
        performanceMethod: '一次性转账支付',
        performanceDeadline: '2027-06-20',
      },
      mediatorToken,
    );
    const SIGN = `mutation($input: SignAgreementInput!) { signAgreement(input: $input) { __typename ... on SignAgreementSuccess { agreement { status confirmationDeadline } } ... on Error { code message } } }`;
    await ok(SIGN, { agreementId: drafted.agreement.id, password: 'Faketime-2027-jiefen' }, applicant.token);
    await ok(SIGN, { agreementId: drafted.agreement.id, password: 'Faketime-2027-jiefen' }, respondent.token);
    const effective = await ok(SIGN, { agreementId: drafted.agreement.id, password: DEMO_PASSWORD }, mediatorToken);
    expect(effective.agreement.status).toBe('EFFECTIVE');
    const APPLY = `mutation($input: ApplyForJudicialConfirmationInput!) { applyForJudicialConfirmation(input: $input) { __typename ... on ApplyForJudicialConfirmationSuccess { application { id status } } ... on Error { code message } } }`;
    await ok(APPLY, { agreementId: drafted.agreement.id, courtId: court.id }, applicant.token);
    const submitted = await ok(APPLY, { agreementId: drafted.agreement.id, courtId: court.id }, respondent.token);
    expect(submitted.application.status).toBe('SUBMITTED');
    const appId = submitted.application.id;
    await ok(`mutation($input: AcceptConfirmationApplicationInput!) { acceptConfirmationApplication(input: $input) { __typename ... on AcceptConfirmationApplicationSuccess { application { status } } ... on Error { code message } } }`, { applicationId: appId }, client.secret);
    const ruled = await ok(
      `mutation($input: RuleOnConfirmationInput!) { ruleOnConfirmation(input: $input) { __typename ... on RuleOnConfirmationSuccess { application { status objectionDueAt } } ... on Error { code message } } }`,
      { applicationId: appId, outcome: 'CONFIRMED', rulingNumber: `（2027）云2924民特${Number(uniquePhone().slice(-6)) + 1}号` },
      client.secret,
    );
    expect(ruled.application.status).toBe('CONFIRMED');

    // The failed path: termination, transfer to the court, docketed.
    const failed = await caseInMediation(applicant, respondent);
    await ok(`mutation($input: TerminateMediationInput!) { terminateMediation(input: $input) { __typename ... on TerminateMediationSuccess { case { status } } ... on Error { code message } } }`, { caseId: failed.caseId, ground: 'POSITIONS_TOO_FAR_APART' }, failed.mediatorToken);
    const transfer = await ok(`mutation($input: TransferToLitigationInput!) { transferToLitigation(input: $input) { __typename ... on TransferToLitigationSuccess { transfer { id } } ... on Error { code message } } }`, { caseId: failed.caseId, courtId: court.id }, applicant.token);
    const acked = await ok(
      `mutation($input: AcknowledgeLitigationTransferInput!) { acknowledgeLitigationTransfer(input: $input) { __typename ... on AcknowledgeLitigationTransferSuccess { transfer { status } } ... on Error { code message } } }`,
      { transferId: transfer.transfer.id, docketNumber: `（2027）云2924民初${Number(uniquePhone().slice(-6)) + 1}号` },
      client.secret,
    );
    expect(acked.transfer.status).toBe('ACKNOWLEDGED');

    const deadlines = await gql(`query($id: ID!) { case(id: $id) { deadlines { kind basis dueAt } } }`, { id: caseId }, applicant.token);
    expect(deadlines.body.data.case.deadlines.length).toBeGreaterThan(5);
    expect(deadlines.body.data.case.deadlines.every((d: { basis: string }) => d.basis === 'PROVISIONAL')).toBe(true);
    expect(responses.join('\n')).not.toContain('Unexpected error');
    expect(output).not.toMatch(/CalendarYearMissing|Unexpected error/);
  }, 300_000);
});
