import { encodeGlobalID } from '@pothos/plugin-relay';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseParties, cases } from '../../schema';
import { MAX_GRAPHQL_BODY_BYTES } from '../../server/graphql/body-limit';
import { localId } from '../../server/graphql/ids';
import { caseInMediation, createCaseWorld, FILE, fileNeighborDispute, type CaseWorld } from '../support/case-world';
import { courtClient, type CourtClient } from '../support/confirmation-world';
import { courtOf } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';

let ctx: TestContext;
let w: CaseWorld;
let court: CourtClient;
let mediating: string;

beforeAll(async () => {
  ctx = await createTestContext();
  w = await createCaseWorld(ctx);
  mediating = (await caseInMediation(ctx, w)).case.id;
  await fileNeighborDispute(ctx, w);
  const c = await courtOf(ctx, w.admin.token, w.county.code);
  court = await courtClient(ctx, w.admin.token, c);
});
afterAll(async () => ctx?.close());

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const BAD_CURSORS: [string, string][] = [
  ['bad base64', '%%%not base64%%%'],
  ['not JSON', b64('hello')],
  ['a bad date', b64(['not-a-date', randomUUID()])],
  ['a non-UUID', b64([new Date().toISOString(), 'not-a-uuid'])],
  ['a bad date in a case cursor', b64([0, '2026-13-45T00:00:00Z', randomUUID()])],
  ['a non-UUID in a case cursor', b64([0, new Date().toISOString(), "x' or 1=1"])],
];

function errorOf(res: { body: { errors?: { message: string; extensions?: Record<string, unknown> }[] } }) {
  return res.body.errors?.[0];
}

describe('every argument and filter of every connection answers on this database', () => {
  it('cases: first, after, status, category, level, regionCode, riskLevel, overdue true and false', async () => {
    const q = `query ($first: Int, $after: String, $status: [CaseStatus!], $category: DisputeCategory, $level: CaseLevel, $regionCode: String, $riskLevel: RiskLevel, $overdue: Boolean) {
      cases(first: $first, after: $after, status: $status, category: $category, level: $level, regionCode: $regionCode, riskLevel: $riskLevel, overdue: $overdue) {
        edges { cursor node { id status category level dueAt riskLevel overdue } } pageInfo { hasNextPage endCursor }
      } }`;
    const token = w.applicant.token;
    const all = await ctx.gql(q, {}, token);
    expect(all.body.errors).toBeUndefined();
    const nodes = all.data.cases.edges.map((e: any) => e.node);
    expect(nodes.length).toBe(2);
    const page1 = await ctx.gql(q, { first: 1 }, token);
    expect(page1.data.cases.edges).toHaveLength(1);
    expect(page1.data.cases.pageInfo.hasNextPage).toBe(true);
    const page2 = await ctx.gql(q, { first: 1, after: page1.data.cases.pageInfo.endCursor }, token);
    expect(page2.body.errors).toBeUndefined();
    expect(page2.data.cases.edges[0].node.id).not.toBe(page1.data.cases.edges[0].node.id);
    const one = (vars: Record<string, unknown>) => ctx.gql(q, vars, token).then((r) => {
      expect(r.body.errors).toBeUndefined();
      return r.data.cases.edges.map((e: any) => e.node.id as string).sort();
    });
    expect(await one({ status: ['MEDIATING'] })).toEqual([mediating]);
    expect(await one({ status: ['MEDIATING', 'CLOSED'] })).toEqual([mediating]);
    expect(await one({ status: [...new Set(nodes.map((n: any) => n.status as string))] })).toHaveLength(2);
    expect(await one({ status: ['MEDIATING'], regionCode: w.county.code, category: 'NEIGHBOR', overdue: false })).toEqual([mediating]);
    expect(await one({ category: 'NEIGHBOR' })).toHaveLength(2);
    expect(await one({ category: 'LABOR' })).toEqual([]);
    const level = nodes.find((n: any) => n.id === mediating).level;
    expect(await one({ level })).toContain(mediating);
    expect(await one({ regionCode: w.county.code })).toHaveLength(2);
    expect(await one({ regionCode: '110101' })).toEqual([]);
    const risk = nodes[0].riskLevel;
    expect((await one({ riskLevel: risk })).length).toBeGreaterThan(0);
    // overdue: both values partition the list; then the mediating case's deadline is put in the past.
    const overdueFalse = await one({ overdue: false });
    const overdueTrue = await one({ overdue: true });
    expect([...overdueFalse, ...overdueTrue].sort()).toEqual(nodes.map((n: any) => n.id).sort());
    expect(overdueFalse).toContain(mediating);
    await ctx.deps.db.update(cases).set({ dueAt: new Date(ctx.clock.now().getTime() - 86_400_000) }).where(eq(cases.id, localId(mediating, 'Case', 'id')));
    expect(await one({ overdue: true })).toContain(mediating);
    expect(await one({ overdue: false })).not.toContain(mediating);
  });

  it('confirmationApplications and litigationTransfers: first, after, status', async () => {
    for (const [field, status] of [['confirmationApplications', 'SUBMITTED'], ['litigationTransfers', 'PENDING']] as const) {
      const statusType = field === 'confirmationApplications' ? 'ConfirmationStatus' : 'LitigationTransferStatus';
      const q = `query ($first: Int, $after: String, $status: [${statusType}!]) { ${field}(first: $first, after: $after, status: $status) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;
      for (const token of [w.applicant.token, court.secret]) {
        const r = await ctx.gql(q, { first: 5 }, token);
        expect(r.body.errors).toBeUndefined();
        const r2 = await ctx.gql(q, { first: 5, after: b64([new Date().toISOString(), randomUUID()]) }, token);
        expect(r2.body.errors).toBeUndefined();
      }
      const s = await ctx.gql(q, { status: [status] }, court.secret);
      expect(s.body.errors, `${field} status ${status}: ${JSON.stringify(s.body.errors)}`).toBeUndefined();
    }
  });

  it('webhookDeliveries: first, after, status', async () => {
    const q = `query ($first: Int, $after: String, $status: String) { webhookDeliveries(first: $first, after: $after, status: $status) { edges { cursor node { id } } pageInfo { endCursor } } }`;
    for (const vars of [{ first: 3 }, { status: 'PENDING' }, { status: 'NONSENSE' }, { after: b64([new Date().toISOString(), randomUUID()]) }]) {
      const r = await ctx.gql(q, vars, w.admin.token);
      expect(r.body.errors, JSON.stringify(vars)).toBeUndefined();
    }
  });

  it('organizations, apiClients and Organization.mediators: first, last, after, before, regionCode, kind, category', async () => {
    const q = `query ($first: Int, $last: Int, $after: String, $before: String, $regionCode: String, $kind: OrganizationKind, $category: DisputeCategory) {
      organizations(first: $first, last: $last, after: $after, before: $before, regionCode: $regionCode, kind: $kind, category: $category) {
        edges { cursor node { id name mediators(first: 2) { edges { cursor node { id } } pageInfo { endCursor } } } } pageInfo { hasNextPage endCursor startCursor }
      } }`;
    const mine = await ctx.gql(q, { regionCode: w.village.code }, w.admin.token);
    expect(mine.body.errors).toBeUndefined();
    expect(mine.data.organizations.edges.map((e: any) => e.node.id)).toEqual([w.villageOrg.globalId]);
    expect(mine.data.organizations.edges[0].node.mediators.edges.length).toBe(2);
    const k = await ctx.gql(q, { kind: 'COURT', first: 2 }, w.admin.token);
    expect(k.body.errors).toBeUndefined();
    expect(k.data.organizations.edges.length).toBeGreaterThan(0);
    const cat = await ctx.gql(q, { category: 'NEIGHBOR', regionCode: w.township.code }, w.admin.token);
    expect(cat.data.organizations.edges.map((e: any) => e.node.id)).toEqual([w.townshipOrg.globalId]);
    const p1 = await ctx.gql(q, { first: 1 }, w.admin.token);
    const p2 = await ctx.gql(q, { first: 1, after: p1.data.organizations.pageInfo.endCursor }, w.admin.token);
    expect(p2.body.errors).toBeUndefined();
    const back = await ctx.gql(q, { last: 1, before: p2.data.organizations.pageInfo.endCursor }, w.admin.token);
    expect(back.body.errors).toBeUndefined();
    expect(back.data.organizations.edges[0].node.id).toBe(p1.data.organizations.edges[0].node.id);
    const m = await ctx.gql(
      `query ($id: ID!, $after: String) { node(id: $id) { ... on Organization { mediators(first: 1, after: $after) { edges { node { id } } } } } }`,
      { id: w.villageOrg.globalId, after: mine.data.organizations.edges[0].node.mediators.edges[0].cursor },
      w.admin.token,
    );
    expect(m.body.errors).toBeUndefined();
    expect(m.data.node.mediators.edges).toHaveLength(1);
    const ac = await ctx.gql(`query ($first: Int, $after: String) { apiClients(first: $first, after: $after) { edges { cursor node { id } } pageInfo { endCursor } } }`, { first: 1 }, w.admin.token);
    expect(ac.body.errors).toBeUndefined();
    const ac2 = await ctx.gql(`query ($first: Int, $after: String) { apiClients(first: $first, after: $after) { edges { node { id } } } }`, { first: 1, after: ac.data.apiClients.pageInfo.endCursor }, w.admin.token);
    expect(ac2.body.errors).toBeUndefined();
  });
});

describe('bad cursors are a ValidationError naming the argument', () => {
  const lists: [string, string][] = [
    ['cases', 'query ($c: String) { cases(after: $c) { edges { node { id } } } }'],
    ['confirmationApplications', 'query ($c: String) { confirmationApplications(after: $c) { edges { node { id } } } }'],
    ['litigationTransfers', 'query ($c: String) { litigationTransfers(after: $c) { edges { node { id } } } }'],
    ['webhookDeliveries', 'query ($c: String) { webhookDeliveries(after: $c) { edges { node { id } } } }'],
    ['organizations', 'query ($c: String) { organizations(after: $c) { edges { node { id } } } }'],
    ['organizations before', 'query ($c: String) { organizations(before: $c, last: 2) { edges { node { id } } } }'],
    ['apiClients', 'query ($c: String) { apiClients(after: $c) { edges { node { id } } } }'],
  ];
  for (const [list, q] of lists) {
    it(list, async () => {
      for (const [what, cursor] of BAD_CURSORS) {
        if (list.startsWith('cases') !== what.includes('case cursor') && what.includes('case cursor')) continue;
        const r = await ctx.gql(q, { c: cursor }, w.admin.token);
        const e = errorOf(r);
        expect(e?.extensions?.code, `${list} with ${what}: ${JSON.stringify(r.body)}`).toBe('VALIDATION_FAILED');
        expect(e?.message).toMatch(list.endsWith('before') ? /^before/ : /^after/);
      }
    });
  }
  it('a negative page size is a ValidationError naming it', async () => {
    const r = await ctx.gql('{ organizations(first: -1) { edges { node { id } } } }', {}, w.admin.token);
    expect(errorOf(r)?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(errorOf(r)?.message).toMatch(/^first/);
  });
});

describe('node with ids that are not ours', () => {
  it('answers null, never an error', async () => {
    const ids = [
      'not-an-id',
      '',
      '%%%',
      Buffer.from('Case:not-a-uuid').toString('base64'),
      encodeGlobalID('Query', randomUUID()),
      encodeGlobalID('NoSuchType', randomUUID()),
      encodeGlobalID('Case', randomUUID()),
      '\ud83d\ude00',
    ];
    for (const id of ids) {
      const r = await ctx.gql('query ($id: ID!) { node(id: $id) { id } }', { id }, w.applicant.token);
      expect(r.body.errors, `node(${JSON.stringify(id)}): ${JSON.stringify(r.body)}`).toBeUndefined();
      expect(r.data.node).toBeNull();
    }
    const many = await ctx.gql('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['not-an-id', mediating] }, w.applicant.token);
    expect(many.body.errors).toBeUndefined();
    expect(many.data.nodes).toEqual([null, { id: mediating }]);
    const inline = await ctx.gql('{ node(id: "not-an-id") { id } }', {}, w.applicant.token);
    expect(inline.body.errors).toBeUndefined();
    expect(inline.data.node).toBeNull();
  });
});

describe('text accepted at the edge', () => {
  const bad: [string, string][] = [
    ['NUL', 'a\u0000b'],
    ['a lone high surrogate', 'x\ud800'],
    ['a lone low surrogate', '\udc00y'],
    ['escape', '\u001b[31m'],
    ['DEL', 'a\u007f'],
    ['C1', 'a\u0085'],
    ['a lone carriage return', 'a\rb'],
  ];
  function disputeInput(extra: Record<string, unknown>) {
    return {
      category: 'NEIGHBOR',
      title: '宅基地边界纠纷',
      description: '双方因宅基地边界发生争执，请求调解。',
      regionCode: w.village.code,
      respondents: [{ name: '杨建国', phone: w.respondent.phone }],
      ...extra,
    };
  }

  it('refuses control characters and unpaired surrogates in variables, naming the field, and stores nothing', async () => {
    for (const [what, text] of bad) {
      const before = await ctx.deps.db.select({ id: cases.id }).from(cases).where(eq(cases.filedByUserId, w.applicant.userId));
      const r = await ctx.gql(FILE, { input: disputeInput({ respondents: [{ name: `杨${text}`, phone: w.respondent.phone }] }) }, w.applicant.token);
      const e = errorOf(r);
      expect(e?.extensions?.code, `${what}: ${JSON.stringify(r.body)}`).toBe('VALIDATION_FAILED');
      expect(e?.extensions?.fields).toEqual([{ field: 'respondents.0.name', message: expect.any(String) }]);
      const after = await ctx.deps.db.select({ id: cases.id }).from(cases).where(eq(cases.filedByUserId, w.applicant.userId));
      expect(after.length).toBe(before.length);
    }
  });

  it('refuses them in inline literals too, naming the field', async () => {
    const q = `mutation { fileDispute(input: { category: NEIGHBOR, title: "a\\u0000b", description: "x", regionCode: "${w.village.code}", respondents: [{ name: "杨建国", phone: "${w.respondent.phone}" }, { name: "\\u001b", phone: "13900000001" }] }) { __typename } }`;
    const r = await ctx.gql(q, {}, w.applicant.token);
    expect(errorOf(r)?.extensions?.code).toBe('VALIDATION_FAILED');
    expect((errorOf(r)?.extensions?.fields as { field: string }[]).map((f) => f.field).sort()).toEqual(['respondents.1.name', 'title']);
    const surrogate = await ctx.gql('{ verifyAgreement(code: "\\ud800") { status } }', {}, null);
    // graphql-js's lexer refuses a lone surrogate escape in a literal itself: a typed parse error.
    expect(errorOf(surrogate)?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const arg = await ctx.gql('{ verifyAgreement(code: "\\u0007") { status } }', {}, null);
    expect(errorOf(arg)?.extensions?.fields).toEqual([{ field: 'code', message: expect.stringContaining('U+0007') }]);
    const plain = await ctx.gql('query ($c: String!) { verifyAgreement(code: $c) { status } }', { c: 'ab\u0000' }, null);
    expect(errorOf(plain)?.extensions?.fields).toEqual([{ field: 'c', message: expect.any(String) }]);
  });

  it('checks a document sent again as the first time: its literals refused or normalised again, its variables each time', async () => {
    const refused = '{ verifyAgreement(code: "\\u0007") { status } }';
    for (let i = 0; i < 3; i++) {
      expect(errorOf(await ctx.gql(refused, {}, null))?.extensions?.fields, `send ${i + 1}`).toEqual([{ field: 'code', message: expect.stringContaining('U+0007') }]);
    }
    // One document: a literal to normalise (e + combining acute) and a variable checked per request.
    const q = `mutation ($name: String!) { fileDispute(input: { category: NEIGHBOR, title: "e\\u0301 边界", description: "双方因宅基地边界发生争执。", regionCode: "${w.village.code}", respondents: [{ name: $name, phone: "${w.respondent.phone}" }] }) { __typename ... on FileDisputeSuccess { case { id } } ... on Error { code } } }`;
    const good = await ctx.gql(q, { name: '杨建国' }, w.applicant.token);
    expect(good.data?.fileDispute?.__typename, JSON.stringify(good.body)).toBe('FileDisputeSuccess');
    const bad = await ctx.gql(q, { name: '杨\u0000' }, w.applicant.token);
    expect(errorOf(bad)?.extensions?.fields).toEqual([{ field: 'name', message: expect.any(String) }]);
    const again = await ctx.gql(q, { name: '杨建国' }, w.applicant.token);
    expect(again.data?.fileDispute?.__typename, JSON.stringify(again.body)).toBe('FileDisputeSuccess');
    for (const r of [good, again]) {
      const [row] = await ctx.deps.db.select().from(cases).where(eq(cases.id, localId(r.data.fileDispute.case.id, 'Case', 'id')));
      expect(row!.title).toBe('\u00e9 边界');
    }
  });

  it('normalises accepted text to NFC and keeps newline and tab', async () => {
    const decomposed = '张e\u0301\t第一行\r\n第二行'; // e + combining acute
    const r = await ctx.gql(FILE, { input: disputeInput({ description: `邻里纠纷 ${decomposed}`, respondents: [{ name: '杨建国', phone: w.respondent.phone }] }) }, w.applicant.token);
    expect(r.data?.fileDispute?.__typename, JSON.stringify(r.body)).toBe('FileDisputeSuccess');
    const id = localId(r.data.fileDispute.case.id, 'Case', 'id');
    const [row] = await ctx.deps.db.select().from(cases).where(eq(cases.id, id));
    expect(row!.description).toBe('邻里纠纷 张\u00e9\t第一行\n第二行');
    const parties = await ctx.deps.db.select().from(caseParties).where(eq(caseParties.caseId, id));
    expect(parties.length).toBeGreaterThan(0);
  });
});

describe('the built web client’s files', () => {
  it('answers a missing asset, a directory or a path escape with 404, never “Unexpected error.”', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const request = (await import('supertest')).default;
    const { createApp } = await import('../../server/app');
    const { createWebClient } = await import('../../server/http/web');
    const dist = mkdtempSync(join(tmpdir(), 'jiefen-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>解纷</title>');
    writeFileSync(join(dist, 'assets', 'app-1234.js'), 'console.log(1)');
    const web = await createWebClient({ web: 'dist' }, dist);
    const { app, close } = createApp(ctx.deps, { web: web! });
    try {
      const asset = await request(app).get('/assets/app-1234.js');
      expect(asset.status).toBe(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      for (const path of ['/assets/nope.js', '/assets/', '/assets/..%2f..%2findex.html', '/assets/%00', '/assets/a%ZZ']) {
        const res = await request(app).get(path);
        expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBeLessThan(500);
        expect(JSON.stringify(res.body), path).not.toContain('Unexpected error');
      }
      const page = await request(app).get('/cases/anything').set('accept', 'text/html');
      expect(page.status).toBe(200);
      expect(page.text).toContain('解纷');
    } finally {
      await close();
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

describe('the size of a GraphQL request body', () => {
  /** Sends a POST to /graphql over a real socket: with its length declared, or chunked (none declared). */
  async function post(body: Buffer, declareLength: boolean): Promise<{ status: number; body: any }> {
    const { createServer, request } = await import('node:http');
    const server = createServer(ctx.app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    try {
      return await new Promise((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(body.length) } : { 'transfer-encoding': 'chunked' }) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
          },
        );
        // The server may answer and close before the whole body is sent: that is the refusal.
        req.on('error', (err) => (err.message.includes('EPIPE') || err.message.includes('ECONNRESET') ? undefined : reject(err)));
        if (declareLength) req.end(body);
        else {
          for (let at = 0; at < body.length; at += 1 << 20) req.write(body.subarray(at, at + (1 << 20)));
          req.end();
        }
      });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  }
  /** A well-formed request padded to `bytes` by an extension it carries. */
  const padded = (bytes: number) => {
    const head = '{"query":"{ me { id } }","extensions":{"pad":"';
    const tail = '"}}';
    return Buffer.from(head + 'x'.repeat(bytes - head.length - tail.length) + tail);
  };

  for (const declareLength of [true, false]) {
    const how = declareLength ? 'with its length declared' : 'chunked, without a length';
    it(`answers a body just inside the limit, ${how}`, async () => {
      const res = await post(padded(MAX_GRAPHQL_BODY_BYTES), declareLength);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { me: null } });
    });
    it(`refuses a body one byte over the limit with 413, ${how}`, async () => {
      const res = await post(padded(MAX_GRAPHQL_BODY_BYTES + 1), declareLength);
      expect(res.status).toBe(413);
      expect(res.body.errors[0].extensions.code).toBe('REQUEST_ENTITY_TOO_LARGE');
    });
  }
});
