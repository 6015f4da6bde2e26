import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseInMediation, createCaseWorld, type CaseWorld } from '../support/case-world';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { createApp } from '../../server/app';
import { sessions } from '../../schema';
import { sha256Hex } from '../../server/domain/auth/crypto';
import { loginAs, registerParty, type Login } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';

let ctx: TestContext;
let w: CaseWorld;
let stranger: Login;
let server: Server;
let base: string;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await createCaseWorld(ctx);
  stranger = await registerParty(ctx, { name: '路人乙' });
  server = ctx.app.listen(0);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeAllConnections?.();
  await ctx?.close();
});

const ROOM = /* GraphQL */ `
  subscription ($sessionId: ID!, $after: Int) {
    sessionRoom(sessionId: $sessionId, after: $after) { seq kind body authorName authorRole data }
  }
`;

interface RoomMessage {
  seq: number;
  kind: string;
  body: string;
  authorName: string | null;
  authorRole: string | null;
  data: string;
}

/** An SSE subscription read with fetch: collects each `data:` payload until closed. */
class SseSubscription {
  readonly payloads: { data?: { sessionRoom: RoomMessage }; errors?: { message: string; extensions?: { code?: string } }[] }[] = [];
  ended = false;
  private readonly abort = new AbortController();
  private waiters: (() => void)[] = [];

  static async open(token: string, variables: Record<string, unknown>, at = base): Promise<SseSubscription> {
    const sub = new SseSubscription();
    const res = await fetch(`${at}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: ROOM, variables }),
      signal: sub.abort.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    void sub.pump(res.body!);
    return sub;
  }

  get messages(): RoomMessage[] {
    return this.payloads.flatMap((p) => (p.data?.sessionRoom ? [p.data.sessionRoom] : []));
  }

  private async pump(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const data = block
            .split('\n')
            .filter((l) => l.startsWith('data:'))
            .map((l) => l.slice(5).trim())
            .join('\n');
          if (data) this.payloads.push(JSON.parse(data));
          this.notify();
        }
      }
    } catch {
      // aborted by close()
    }
    this.ended = true;
    this.notify();
  }

  private notify() {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  async waitFor(predicate: (s: SseSubscription) => boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate(this)) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(this.payloads)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  close() {
    this.abort.abort();
  }
}

const mutation = (name: string, inputType: string, selection: string) => /* GraphQL */ `
  mutation ($input: ${inputType}!) {
    ${name}(input: $input) { __typename ... on Error { code message } ${selection} }
  }
`;
const SCHEDULE = mutation('scheduleSession', 'ScheduleSessionInput', '... on ScheduleSessionSuccess { session { id } }');
const POST = mutation('postSessionMessage', 'PostSessionMessageInput', '... on PostSessionMessageSuccess { roomMessage { seq kind body } }');
const PRESENCE = mutation('updatePresence', 'UpdatePresenceInput', '... on UpdatePresenceSuccess { roomMessage { seq kind body } }');
const MINUTES = mutation('updateMinutes', 'UpdateMinutesInput', '... on UpdateMinutesSuccess { session { id minutes { version } } }');

describe('the live room over SSE', () => {
  it('carries chat, proposals, presence and minutes to the participants, refuses a stranger, and replays after a cursor', async () => {
    const { case: c, mediator } = await caseInMediation(ctx, w);
    const startsAt = new Date(ctx.clock.now().getTime() + 3600_000).toISOString();
    const scheduled = await ctx.gql(SCHEDULE, { input: { caseId: c.id, startsAt, mode: 'VIDEO', meetingUrl: 'https://meet.example.test/room-1' } }, mediator.token);
    const sessionId = scheduled.data.scheduleSession.session.id as string;

    // A stranger (a registered party of other cases) is told the session does not exist.
    const strangerSub = await SseSubscription.open(stranger.token, { sessionId });
    await strangerSub.waitFor((s) => s.payloads.length > 0);
    expect(strangerSub.payloads[0]!.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(strangerSub.messages).toHaveLength(0);
    strangerSub.close();

    const subs = {
      applicant: await SseSubscription.open(w.applicant.token, { sessionId }),
      respondent: await SseSubscription.open(w.respondent.token, { sessionId }),
      mediator: await SseSubscription.open(mediator.token, { sessionId }),
    };
    // Let every stream attach before the first message (the replay would catch it anyway).
    await new Promise((r) => setTimeout(r, 300));

    const say = async (doc: string, input: Record<string, unknown>, token: string, field: string) => {
      const res = await ctx.gql(doc, { input }, token);
      expect(res.data?.[field]?.__typename, JSON.stringify(res.body)).toMatch(/Success$/);
      return res.data[field];
    };
    await say(PRESENCE, { sessionId, present: true }, mediator.token, 'updatePresence');
    await say(PRESENCE, { sessionId, present: true }, w.applicant.token, 'updatePresence');
    await say(PRESENCE, { sessionId, present: true }, w.respondent.token, 'updatePresence');
    await say(POST, { sessionId, body: '请双方陈述各自意见。' }, mediator.token, 'postSessionMessage');
    await say(POST, { sessionId, body: '屋檐滴水已经三年了。' }, w.applicant.token, 'postSessionMessage');
    await say(POST, { sessionId, body: '我愿意加装排水槽。', kind: 'PROPOSAL' }, w.respondent.token, 'postSessionMessage');
    await say(MINUTES, { sessionId, text: '被申请人提出加装排水槽。' }, mediator.token, 'updateMinutes');

    const expected = [
      ['PRESENCE', 'JOINED', 'MEDIATOR'],
      ['PRESENCE', 'JOINED', 'PARTY'],
      ['PRESENCE', 'JOINED', 'PARTY'],
      ['CHAT', '请双方陈述各自意见。', 'MEDIATOR'],
      ['CHAT', '屋檐滴水已经三年了。', 'PARTY'],
      ['PROPOSAL', '我愿意加装排水槽。', 'PARTY'],
      ['MINUTES', '被申请人提出加装排水槽。', 'MEDIATOR'],
    ];
    for (const sub of Object.values(subs)) {
      await sub.waitFor((s) => s.messages.length >= expected.length);
      expect(sub.messages.map((m) => [m.kind, m.body, m.authorRole])).toEqual(expected);
      expect(sub.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    }
    expect(JSON.parse(subs.mediator.messages[6]!.data)).toEqual({ version: 1 });

    // The respondent drops off; what is said meanwhile is stored and replayed on reconnect.
    const lastSeen = subs.respondent.messages.at(-1)!.seq;
    subs.respondent.close();
    await say(PRESENCE, { sessionId, present: false }, w.respondent.token, 'updatePresence');
    await say(POST, { sessionId, body: '被申请人网络中断，稍候。' }, mediator.token, 'postSessionMessage');
    await say(POST, { sessionId, body: '好的，我等。' }, w.applicant.token, 'postSessionMessage');

    const back = await SseSubscription.open(w.respondent.token, { sessionId, after: lastSeen });
    await back.waitFor((s) => s.messages.length >= 3);
    expect(back.messages.map((m) => [m.seq, m.kind, m.body])).toEqual([
      [8, 'PRESENCE', 'LEFT'],
      [9, 'CHAT', '被申请人网络中断，稍候。'],
      [10, 'CHAT', '好的，我等。'],
    ]);
    // …and then continues live, without repeats.
    await say(PRESENCE, { sessionId, present: true }, w.respondent.token, 'updatePresence');
    await back.waitFor((s) => s.messages.length >= 4);
    expect(back.messages.map((m) => m.seq)).toEqual([8, 9, 10, 11]);
    await subs.applicant.waitFor((s) => s.messages.length >= 11);
    expect(subs.applicant.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

    // The stranger cannot post either, and the stored room shows nothing of theirs.
    const strangerPost = await ctx.gql(POST, { input: { sessionId, body: '我也来看看' } }, stranger.token);
    expect(strangerPost.data.postSessionMessage.code).toBe('NOT_FOUND');
    const stored = await ctx.gql(`query($id: ID!) { node(id: $id) { ... on Session { messages { seq } } } }`, { id: sessionId }, mediator.token);
    expect(stored.data.node.messages).toHaveLength(11);

    for (const sub of [subs.applicant, subs.mediator, back]) sub.close();
  });

  it('asks for a meeting link for video when no video service is configured', async () => {
    const { case: c, mediator } = await caseInMediation(ctx, w);
    const startsAt = new Date(ctx.clock.now().getTime() + 3600_000).toISOString();
    const res = await ctx.gql(SCHEDULE, { input: { caseId: c.id, startsAt, mode: 'VIDEO' } }, mediator.token);
    expect(res.data.scheduleSession).toMatchObject({ code: 'VALIDATION_FAILED' });
    const insecure = await ctx.gql(SCHEDULE, { input: { caseId: c.id, startsAt, mode: 'VIDEO', meetingUrl: 'http://meet.example.test/x' } }, mediator.token);
    expect(insecure.data.scheduleSession.code).toBe('VALIDATION_FAILED');
  });
});

const LOGOUT = /* GraphQL */ `mutation ($input: LogoutInput!) { logout(input: $input) { __typename ... on LogoutSuccess { revokedSessions } } }`;

/** A case in mediation with a scheduled video session; returns the session's id and the mediator. */
async function videoSession() {
  const { case: c, mediator } = await caseInMediation(ctx, w);
  const startsAt = new Date(ctx.clock.now().getTime() + 3600_000).toISOString();
  const scheduled = await ctx.gql(SCHEDULE, { input: { caseId: c.id, startsAt, mode: 'VIDEO', meetingUrl: 'https://meet.example.test/room-2' } }, mediator.token);
  return { sessionId: scheduled.data.scheduleSession.session.id as string, mediator };
}

describe('a stream outlives no login', () => {
  it('ends when its token is logged out, and the next message does not reach it', async () => {
    const { sessionId, mediator } = await videoSession();
    const login = await loginAs(ctx, w.applicant.phone);
    const sub = await SseSubscription.open(login.token, { sessionId });
    await new Promise((r) => setTimeout(r, 300));
    await ctx.gql(POST, { input: { sessionId, body: '开始。' } }, mediator.token);
    await sub.waitFor((s) => s.messages.length === 1);

    const out = await ctx.gql(LOGOUT, { input: {} }, login.token);
    expect(out.data.logout.revokedSessions).toBe(1);
    // The revocation signal closes the stream by itself, before anything else is published.
    await sub.waitFor((s) => s.ended, 5000);
    await ctx.gql(POST, { input: { sessionId, body: '登出后的消息。' } }, mediator.token);
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.messages.map((m) => m.body)).toEqual(['开始。']);
    // The other logins of the same person are untouched.
    const other = await SseSubscription.open(w.applicant.token, { sessionId });
    await other.waitFor((s) => s.messages.length === 2);
    other.close();
  });

  it('delivers nothing after a revocation that sent no signal: the session is checked before each message', async () => {
    const { sessionId, mediator } = await videoSession();
    const login = await loginAs(ctx, w.respondent.phone);
    const sub = await SseSubscription.open(login.token, { sessionId });
    await new Promise((r) => setTimeout(r, 300));
    await ctx.gql(POST, { input: { sessionId, body: '第一条。' } }, mediator.token);
    await sub.waitFor((s) => s.messages.length === 1);
    // Revoked behind the API's back (as an operator would): no signal is published.
    await ctx.deps.db.update(sessions).set({ revokedAt: ctx.clock.now() }).where(eq(sessions.tokenHash, sha256Hex(login.token)));
    await ctx.gql(POST, { input: { sessionId, body: '撤销后的消息。' } }, mediator.token);
    await sub.waitFor((s) => s.ended, 5000);
    expect(sub.messages.map((m) => m.body)).toEqual(['第一条。']);
  });

  it('ends on one instance when the token is logged out through another (the signal travels through Redis)', async () => {
    const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    // Two app instances on the same database, each with its own Redis connections.
    const a = createApp({ ...ctx.deps, config: { ...ctx.deps.config, redisUrl: redis } });
    const b = createApp({ ...ctx.deps, config: { ...ctx.deps.config, redisUrl: `${redis}/0` } });
    const gqlB = async (query: string, variables: Record<string, unknown>, token: string) =>
      (await request(b.app).post('/graphql').set('authorization', `Bearer ${token}`).send({ query, variables })).body;
    const serverA = a.app.listen(0);
    try {
      await new Promise<void>((resolve) => serverA.once('listening', () => resolve()));
      const baseA = `http://127.0.0.1:${(serverA.address() as AddressInfo).port}`;
      const { sessionId, mediator } = await videoSession();
      const login = await loginAs(ctx, w.applicant.phone);
      const sub = await SseSubscription.open(login.token, { sessionId }, baseA);
      await new Promise((r) => setTimeout(r, 500)); // the Redis SUBSCRIBE is asynchronous
      const out = await gqlB(LOGOUT, { input: {} }, login.token);
      expect(out.data.logout.revokedSessions).toBe(1);
      await sub.waitFor((s) => s.ended, 5000);
      await gqlB(POST, { input: { sessionId, body: '另一实例上的消息。' } }, mediator.token);
      await new Promise((r) => setTimeout(r, 300));
      expect(sub.messages).toEqual([]);
    } finally {
      serverA.closeAllConnections?.();
      await new Promise<void>((resolve) => serverA.close(() => resolve()));
      await a.close();
      await b.close();
    }
  });
});

describe('room events across instances', () => {
  it('travel through Redis from one instance’s pub/sub to another’s', async () => {
    const { createRoomPubSub } = await import('../../server/graphql/pubsub');
    const a = createRoomPubSub(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const b = createRoomPubSub(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const sessionId = crypto.randomUUID();
      const it = a.pubsub.subscribe('sessionRoom', sessionId)[Symbol.asyncIterator]();
      const first = it.next();
      // The Redis SUBSCRIBE is asynchronous: publish until the other side hears.
      const event = { id: crypto.randomUUID(), sessionId, seq: 1, kind: 'CHAT', body: '跨实例', data: {}, authorUserId: null, authorName: '调解员', authorRole: 'MEDIATOR', createdAt: new Date().toISOString() };
      let received: IteratorResult<unknown> | undefined;
      void first.then((r) => (received = r));
      for (let i = 0; i < 50 && !received; i++) {
        b.pubsub.publish('sessionRoom', sessionId, event);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(received?.value).toEqual(event);
      await it.return?.();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
