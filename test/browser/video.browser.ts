/**
 * A LiveKit video session in the page. There is no LiveKit server here, so the server is started
 * with LIVEKIT_URL pointing at a stand-in this test serves on 127.0.0.1: it records every signalling
 * connection the SDK opens (the path and its access token) and refuses it, as an unreachable or
 * broken video service would. The test checks that entering the session loads the SDK's chunk then
 * and not before, that the SDK came to /rtc with the token the API minted for this person and this
 * session's room (signature, room, identity), and that the page tells the failure in Chinese.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/domain/bootstrap/seed-demo';
import { checkPage, launch, startServer, Watched, type RunningServer } from './support';

const API_KEY = 'browser-video-key';
const API_SECRET = 'browser-video-secret-0123456789abcdef';

/** What the stand-in saw: each signalling attempt (a WebSocket upgrade) and each plain HTTP request. */
interface Seen { path: string; token: string | null }
const upgrades: Seen[] = [];
const requests: string[] = [];
let stub: Server;
let stubOrigin = '';
let server: RunningServer;
let browser: Browser;

async function startStub(): Promise<void> {
  stub = createServer((req, res) => {
    requests.push(req.url ?? '');
    // The SDK asks /rtc/…/validate why the upgrade failed; a broken service answers 503.
    res.writeHead(503, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
    res.end('video service unavailable');
  });
  stub.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    upgrades.push({ path: url.pathname, token: url.searchParams.get('access_token') });
    socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  });
  await new Promise<void>((r) => stub.listen(0, '127.0.0.1', r));
  stubOrigin = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
}

/** The claims of a LiveKit access token, after checking its HS256 signature with the API secret. */
function verifiedClaims(token: string): { sub: string; iss: string; video: { room?: string; roomJoin?: boolean; roomAdmin?: boolean } } {
  const [header, payload, signature] = token.split('.');
  expect(JSON.parse(Buffer.from(header!, 'base64url').toString()).alg).toBe('HS256');
  const expected = createHmac('sha256', API_SECRET).update(`${header}.${payload}`).digest('base64url');
  expect(signature, 'signed with the configured API secret').toBe(expected);
  return JSON.parse(Buffer.from(payload!, 'base64url').toString());
}

async function gql<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await fetch(`${server.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown };
  expect(body.errors, query.slice(0, 60)).toBeUndefined();
  return body.data!;
}

/** The success branch of a mutation result, or a failed expectation naming the error. */
function ok<T extends { __typename: string }>(r: T, success: string): T {
  expect(r.__typename, JSON.stringify(r)).toBe(success);
  return r;
}

async function login(phone: string): Promise<{ token: string; id: string }> {
  const r = await gql<{ login: { __typename: string; token: string; user: { id: string } } }>(
    `mutation($input: LoginInput!) { login(input: $input) { __typename ... on LoginSuccess { token user { id } } ... on Error { code message } } }`,
    { input: { phone, password: DEMO_PASSWORD } },
  );
  ok(r.login, 'LoginSuccess');
  return { token: r.login.token, id: r.login.user.id };
}

/** Global ids decode to "Type:uuid"; the LiveKit identity and room use the database ids. */
const localId = (id: string) => Buffer.from(id, 'base64').toString().split(':').pop()!;

const world = { caseId: '', sessionId: '', applicant: { token: '', id: '', phone: '' }, mediator: { token: '', id: '', phone: '' } };

beforeAll(async () => {
  await startStub();
  [server, browser] = await Promise.all([
    startServer({ LIVEKIT_URL: stubOrigin.replace('http:', 'ws:'), LIVEKIT_API_KEY: API_KEY, LIVEKIT_API_SECRET: API_SECRET }),
    // A synthetic camera and microphone; whether the page may use them is granted per context.
    launch(['--use-fake-device-for-media-stream']),
  ]);

  // The world through the API: a dispute between the two demo residents, consented, accepted by
  // its mediator, with a video session starting in five minutes (joining opens 15 minutes before).
  const parties = server.demo.filter((d) => d.role === 'PARTY');
  expect(parties.length).toBeGreaterThanOrEqual(2);
  const applicant = { ...(await login(parties[0]!.phone)), phone: parties[0]!.phone };
  const respondent = await login(parties[1]!.phone);
  const filed = await gql<{ fileDispute: { __typename: string; case: { id: string } } }>(
    `mutation($input: FileDisputeInput!) { fileDispute(input: $input) { __typename ... on FileDisputeSuccess { case { id } } ... on Error { code message } } }`,
    {
      input: {
        category: 'NEIGHBOR',
        title: '屋檐滴水落到邻居院内',
        description: '邻居新修的屋檐伸到我家院子上方，下雨时滴水落进院内，协商未果。',
        regionCode: '532924101201',
        respondents: [{ name: parties[1]!.name, phone: parties[1]!.phone }],
      },
    },
    applicant.token,
  );
  const caseId = ok(filed.fileDispute, 'FileDisputeSuccess').case.id;
  const consented = await gql<{ respondToMediation: { __typename: string } }>(
    `mutation($input: RespondToMediationInput!) { respondToMediation(input: $input) { __typename ... on Error { code message } } }`,
    { input: { caseId, accept: true } },
    respondent.token,
  );
  ok(consented.respondToMediation, 'RespondToMediationSuccess');
  const seen = await gql<{ case: { mediator: { name: string } | null } }>(`query($id: ID!) { case(id: $id) { mediator { name } } }`, { id: caseId }, applicant.token);
  const m = server.demo.find((d) => d.role === 'MEDIATOR' && d.name === seen.case.mediator?.name);
  expect(m, `the case's mediator among the demo accounts: ${seen.case.mediator?.name}`).toBeTruthy();
  const mediator = { ...(await login(m!.phone)), phone: m!.phone };
  const accepted = await gql<{ acceptAssignment: { __typename: string } }>(
    `mutation($input: AcceptAssignmentInput!) { acceptAssignment(input: $input) { __typename ... on Error { code message } } }`,
    { input: { caseId } },
    mediator.token,
  );
  ok(accepted.acceptAssignment, 'AcceptAssignmentSuccess');
  const scheduled = await gql<{ scheduleSession: { __typename: string; session: { id: string } } }>(
    `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { __typename ... on ScheduleSessionSuccess { session { id } } ... on Error { code message } ... on ValidationError { fields { field message } } } }`,
    { input: { caseId, startsAt: new Date(Date.now() + 5 * 60_000).toISOString(), mode: 'VIDEO' } },
    mediator.token,
  );
  Object.assign(world, { caseId, sessionId: ok(scheduled.scheduleSession, 'ScheduleSessionSuccess').session.id, applicant, mediator });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise((r) => stub?.close(r));
});

/** The built chunk of the video room, which carries the LiveKit SDK (checked by a string only the SDK has). */
function videoChunk(): string {
  const dist = new URL('../../dist/web/', import.meta.url);
  const manifest = JSON.parse(readFileSync(new URL('.vite/manifest.json', dist), 'utf8')) as Record<string, { file: string }>;
  const chunk = manifest['src/components/video-room.tsx'];
  expect(chunk, 'the video room is a chunk of its own').toBeTruthy();
  expect(readFileSync(new URL(chunk!.file, dist), 'utf8')).toContain('v1 RTC path not found');
  return chunk!.file;
}

/**
 * Chromium reports the refused signalling connection and the SDK's follow-up question to the
 * stand-in as console errors, and the stand-in is another origin: both are what this test sets up
 * (LIVEKIT_URL is the stand-in). These, and only these, are taken out of the watched problems
 * before checkPage, and handed back so the test can assert they happened; anything else, or any
 * of these for another origin, still fails the page.
 */
function takeExpectedFailures(w: Watched): string[] {
  const ws = stubOrigin.replace('http:', 'ws:');
  const expected = (p: string) =>
    p.startsWith(`request to another origin: ${stubOrigin}/rtc`) ||
    (p.startsWith('console error on ') && (p.includes(`WebSocket connection to '${ws}/rtc`) || p.includes('Failed to load resource: the server responded with a status of 503')));
  const taken = w.problems.filter(expected);
  const rest = w.problems.filter((p) => !expected(p));
  w.problems.splice(0, w.problems.length, ...rest);
  // Chromium's "Failed to load resource" text names no URL: no more of them than the stand-in answered.
  expect(taken.filter((p) => p.includes('status of 503')).length, taken.join('\n')).toBeLessThanOrEqual(requests.length);
  return taken;
}

async function loginPage(page: Page, phone: string) {
  await page.goto(`${server.base}/login`);
  await page.getByLabel('手机号').fill(phone);
  await page.getByLabel('密码', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Waits until the stand-in has seen `n` signalling attempts. */
async function upgradesReach(n: number) {
  for (let i = 0; i < 100 && upgrades.length < n; i++) await new Promise((r) => setTimeout(r, 100));
  expect(upgrades.length).toBeGreaterThanOrEqual(n);
}

describe('a LiveKit video session in the page', () => {
  it('the party enters: the SDK is loaded then, comes to /rtc with their own token, and the failure is told in Chinese', async () => {
    const w = await Watched.open(browser, server.base, true);
    await w.context.grantPermissions(['camera', 'microphone'], { origin: server.base });
    const page = await w.page();
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    await loginPage(page, world.applicant.phone);
    await page.getByRole('heading', { name: '我的纠纷' }).waitFor();
    await page.goto(`${server.base}/cases/${encodeURIComponent(world.caseId)}`);
    await page.getByRole('button', { name: '进入视频调解' }).waitFor();

    const chunk = videoChunk();
    expect(fetched.filter((f) => f.endsWith(chunk)), 'not loaded before entering').toEqual([]);
    await page.getByRole('button', { name: '进入视频调解' }).click();
    await page.getByLabel('登录密码', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '核验并进入' }).click();

    const room = page.getByRole('region', { name: '视频调解室' });
    await room.getByText('未能进入视频会议室').waitFor({ timeout: 60_000 });
    await room.getByText(/无法连接视频服务/).waitFor();
    expect(fetched.filter((f) => f.endsWith(chunk)), 'the video chunk loaded on entering').toHaveLength(1);

    // The SDK came to the configured service with the token minted for this party and this session.
    await upgradesReach(1);
    expect(upgrades[0]!.path).toMatch(/^\/rtc(\/v1)?$/);
    const claims = verifiedClaims(upgrades[0]!.token!);
    expect(claims.iss).toBe(API_KEY);
    expect(claims.sub).toBe(localId(world.applicant.id));
    expect(claims.video.room).toBe(`jiefen-session-${localId(world.sessionId)}`);
    expect(claims.video.roomJoin).toBe(true);
    expect(claims.video.roomAdmin).toBe(false);

    // The person's own camera shows while the service is unreachable; every control is named.
    await expect(room.getByRole('figure', { name: '我的画面' }).locator('video').count()).resolves.toBe(1);
    for (const name of ['关闭摄像头', '静音', '重新连接', '离开会议室']) await room.getByRole('button', { name }).waitFor();
    await room.getByRole('button', { name: '关闭摄像头' }).click();
    await room.getByRole('button', { name: '打开摄像头' }).waitFor();
    await room.getByText('摄像头已关闭').waitFor();
    await room.getByRole('button', { name: '静音' }).click();
    await room.getByRole('button', { name: '取消静音' }).waitFor();

    const failures = takeExpectedFailures(w);
    expect(failures.some((p) => p.includes('WebSocket connection to')), failures.join('\n')).toBe(true);
    await checkPage(page, w, 'video-01-party-connection-failed');

    await room.getByRole('button', { name: '离开会议室' }).click();
    await room.waitFor({ state: 'detached' });
    await w.context.close();
  });

  it('without camera permission the party is told so, and still tries to enter', async () => {
    const before = upgrades.length;
    const w = await Watched.open(browser, server.base, true);
    const page = await w.page();
    // Refused outright, as by a user who answers 不允许: the page learns it at once, instead of
    // waiting on how headless Chromium happens to treat a prompt nobody answers.
    const { targetInfo } = await (await w.context.newCDPSession(page)).send('Target.getTargetInfo');
    const cdp = await browser.newBrowserCDPSession();
    for (const name of ['camera', 'microphone']) {
      await cdp.send('Browser.setPermission', { permission: { name }, setting: 'denied', origin: new URL(server.base).origin, browserContextId: targetInfo.browserContextId });
    }
    await cdp.detach();
    await loginPage(page, world.applicant.phone);
    await page.getByRole('heading', { name: '我的纠纷' }).waitFor();
    await page.goto(`${server.base}/cases/${encodeURIComponent(world.caseId)}`);
    await page.getByRole('button', { name: '进入视频调解' }).click();
    await page.getByLabel('登录密码', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '核验并进入' }).click();
    const room = page.getByRole('region', { name: '视频调解室' });
    await room.getByText('摄像头或麦克风不可用').waitFor({ timeout: 30_000 });
    await room.getByText(/未获得摄像头和麦克风的使用权限/).waitFor();
    await room.getByText('未能进入视频会议室').waitFor({ timeout: 60_000 });
    await upgradesReach(before + 1);
    expect(verifiedClaims(upgrades[before]!.token!).sub).toBe(localId(world.applicant.id));
    takeExpectedFailures(w);
    await checkPage(page, w, 'video-02-party-permission-denied');
    await w.context.close();
  });

  it('the mediator enters from the workbench with a host token', async () => {
    const before = upgrades.length;
    const w = await Watched.open(browser, server.base, false);
    await w.context.grantPermissions(['camera', 'microphone'], { origin: server.base });
    const page = await w.page();
    await loginPage(page, world.mediator.phone);
    await page.getByRole('heading', { name: '待办案件' }).waitFor();
    await page.goto(`${server.base}/workbench/cases/${encodeURIComponent(world.caseId)}`);
    await page.getByRole('button', { name: '进入视频调解' }).click();
    await page.getByRole('button', { name: '取得入口' }).click();
    const room = page.getByRole('region', { name: '视频调解室' });
    await room.getByText('未能进入视频会议室').waitFor({ timeout: 60_000 });
    await upgradesReach(before + 1);
    const claims = verifiedClaims(upgrades[before]!.token!);
    expect(claims.sub).toBe(localId(world.mediator.id));
    expect(claims.video.room).toBe(`jiefen-session-${localId(world.sessionId)}`);
    expect(claims.video.roomAdmin).toBe(true);
    takeExpectedFailures(w);
    await checkPage(page, w, 'video-03-mediator-connection-failed');
    await w.context.close();
  });
});
