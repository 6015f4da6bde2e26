import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseParties, events, outbox, users } from '../../schema';
import { fileDispute } from '../../server/domain/cases/file-dispute';
import { localId } from '../../server/graphql/ids';
import { createTestContext, uniquePhone, type TestContext } from '../support/harness';
import { createMediatorAccount, createOrg, registerParty, userWithRole } from '../support/factories';
import { ACCEPT, FILE, RESPOND, createCaseWorld, fileAndConsent, fileNeighborDispute, type CaseWorld } from '../support/case-world';

let ctx: TestContext;
let w: CaseWorld;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await createCaseWorld(ctx);
});
afterAll(async () => ctx?.close());

const DECLINE = `mutation($input: DeclineAssignmentInput!) { declineAssignment(input: $input) { __typename ... on DeclineAssignmentSuccess { case { status mediator { id } assignments { status kind mediator { id } } } } ... on Error { code message } } }`;
const TRANSFER = `mutation($input: TransferCaseInput!) { transferCase(input: $input) { __typename ... on TransferCaseSuccess { case { status level organization { id } mediator { id } } } ... on Error { code message } } }`;
const WITHDRAW = `mutation($input: WithdrawCaseInput!) { withdrawCase(input: $input) { __typename ... on WithdrawCaseSuccess { case { status } } ... on Error { code message } } }`;
const ADJUST = `mutation($input: AdjustRiskInput!) { adjustRisk(input: $input) { __typename ... on AdjustRiskSuccess { case { riskLevel } } ... on Error { code message } } }`;
const CASE = `query($id: ID!) { case(id: $id) { id number status riskLevel riskSignals { code } level organization { id } mediator { id } routing { reasons } events { type } recordVerification { valid reason brokenAtSeq } } }`;

describe('visibility', () => {
  it('a stranger gets not-found on every case operation', async () => {
    const c = await fileAndConsent(ctx, w);
    const stranger = await registerParty(ctx);
    const otherMediator = await createMediatorAccount(ctx, w.admin.token, w.countyOrg);
    const seen = await ctx.gql(CASE, { id: c.id }, stranger.token);
    expect(seen.data.case).toBeNull();
    const ops: [string, Record<string, unknown>, string][] = [
      [RESPOND, { input: { caseId: c.id, accept: true } }, 'respondToMediation'],
      [WITHDRAW, { input: { caseId: c.id } }, 'withdrawCase'],
    ];
    for (const [q, v, name] of ops) {
      const res = await ctx.gql(q, v, stranger.token);
      expect(res.data[name]).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    }
    for (const [q, v, name] of [
      [ACCEPT, { input: { caseId: c.id } }, 'acceptAssignment'],
      [DECLINE, { input: { caseId: c.id, reason: '回避' } }, 'declineAssignment'],
      [TRANSFER, { input: { caseId: c.id, organizationId: w.townshipOrg.globalId, reason: '转办' } }, 'transferCase'],
      [ADJUST, { input: { caseId: c.id, riskLevel: 'HIGH', reason: '测试' } }, 'adjustRisk'],
    ] as const) {
      const res = await ctx.gql(q, v, otherMediator.token);
      expect(res.data[name]).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    }
    const anonymous = await ctx.gql(CASE, { id: c.id }, null);
    expect(anonymous.data.case).toBeNull();
    // The parties and the proposed mediator do see it.
    expect((await ctx.gql(CASE, { id: c.id }, w.applicant.token)).data.case.number).toBe(c.number);
    const proposed = w.villageMediators.find((m) => m.mediatorGlobalId === c.mediator.id)!;
    expect((await ctx.gql(CASE, { id: c.id }, proposed.token)).data.case.number).toBe(c.number);
  });
});

describe('filing rules', () => {
  it('refuses matters the law keeps out of mediation, with the reason, and writes nothing', async () => {
    const before = await ctx.gql('{ cases(first: 50) { edges { node { id } } } }', {}, w.applicant.token);
    const res = await ctx.gql(FILE, {
      input: {
        category: 'FAMILY', title: '确认亲子关系', description: '请求确认亲子关系，双方对是否为亲生子女有争议。',
        regionCode: w.village.code, respondents: [{ name: w.respondent.name, phone: w.respondent.phone }],
      },
    }, w.applicant.token);
    expect(res.data.fileDispute.__typename).toBe('ValidationError');
    expect(res.data.fileDispute.fields[0].field).toBe('description');
    expect(res.data.fileDispute.fields[0].message).toContain('第一百四十三条');
    const after = await ctx.gql('{ cases(first: 50) { edges { node { id } } } }', {}, w.applicant.token);
    expect(after.data.cases.edges.length).toBe(before.data.cases.edges.length);
  });

  it('a grid worker files for a resident who registers later and then sees and owns the case', async () => {
    const grid = await userWithRole(ctx, 'GRID_WORKER', { organizationId: w.villageOrg.id });
    const residentPhone = uniquePhone();
    const res = await ctx.gql(FILE, {
      input: {
        category: 'NEIGHBOR', title: '排水沟堵塞纠纷', description: '网格员排查发现，两户因排水沟堵塞发生争执，老人不会使用手机。',
        regionCode: w.village.code,
        applicant: { name: '张大爷', phone: residentPhone, address: '本村三组' },
        respondents: [{ name: w.respondent.name, phone: w.respondent.phone }],
      },
    }, grid.token);
    expect(res.data.fileDispute.__typename).toBe('FileDisputeSuccess');
    const id = res.data.fileDispute.case.id;
    const resident = await registerParty(ctx, { phone: residentPhone, name: '张大爷' });
    const seen = await ctx.gql(`query($id: ID!) { case(id: $id) { filedVia parties { role name } } }`, { id }, resident.token);
    expect(seen.data.case.filedVia).toBe('GRID_WORKER');
    expect(seen.data.case.parties[0]).toEqual({ role: 'APPLICANT', name: '张大爷' });
    const withdrawn = await ctx.gql(WITHDRAW, { input: { caseId: id, reason: '已私下和解' } }, resident.token);
    expect(withdrawn.data.withdrawCase.case.status).toBe('WITHDRAWN');
  });

  it('flags threats as high risk, puts the case first in queues and alerts the police liaison', async () => {
    await fileNeighborDispute(ctx, w);
    const risky = await fileNeighborDispute(ctx, w, { description: '对方扬言要拿刀砍死申请人全家，并多次堵门威胁，情绪激动。' });
    expect(risky.riskLevel).toBe('HIGH');
    const alerts = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.caseId, localId(risky.id, 'Case', 'id')), eq(outbox.kind, 'ALERT')));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.recipient).toBe(`police-liaison:${w.county.code}`);
    const queue = await ctx.gql(`query($r: String) { cases(first: 5, regionCode: $r) { edges { node { id riskLevel } } } }`, { r: w.county.code }, w.admin.token);
    expect(queue.data.cases.edges[0].node).toEqual({ id: risky.id, riskLevel: 'HIGH' });
    const lowered = await ctx.gql(ADJUST, { input: { caseId: risky.id, riskLevel: 'MEDIUM', reason: '经核实为气话，已由村干部劝解' } }, w.admin.token);
    expect(lowered.data.adjustRisk.case.riskLevel).toBe('MEDIUM');
    const timeline = await ctx.gql(CASE, { id: risky.id }, w.admin.token);
    expect(timeline.data.case.events.map((e: { type: string }) => e.type)).toContain('case.risk_adjusted');
  });

  it('gives the applicant the address on their account when the filing names none, as it stands when the filing runs', async () => {
    const filer = await registerParty(ctx, { address: '宾川县金牛镇圭山村二组' });
    const input = (title: string) => ({
      category: 'NEIGHBOR' as const, title, description: '相邻两户因排水问题发生纠纷，请求村调委会调解。', regionCode: w.village.code,
      respondents: [{ name: w.respondent.name, phone: w.respondent.phone }],
    });
    const applicantAddress = async (id: string) => {
      const res = await ctx.gql(`query($id: ID!) { case(id: $id) { parties { role address } } }`, { id }, filer.token);
      return res.data.case.parties.find((p: { role: string }) => p.role === 'APPLICANT').address;
    };
    /** A profile change, then a filing, in one document. */
    const profileThenFile = (change: string, title: string) =>
      ctx.gql(
        `mutation($input: FileDisputeInput!) {
          ${change} { __typename }
          fileDispute(input: $input) { __typename ... on FileDisputeSuccess { case { id } } ... on Error { code message } }
        }`,
        { input: input(title) },
        filer.token,
      );
    const FILE_ONLY = `mutation($input: FileDisputeInput!) { fileDispute(input: $input) { __typename ... on FileDisputeSuccess { case { id } } ... on Error { code message } } }`;
    const first = await ctx.gql(FILE_ONLY, { input: input('排水纠纷一') }, filer.token);
    expect(first.data.fileDispute.__typename).toBe('FileDisputeSuccess');
    expect(await applicantAddress(first.data.fileDispute.case.id)).toBe('宾川县金牛镇圭山村二组');
    // A profile change earlier in the same document: the filing after it takes the new address.
    const both = await profileThenFile('updateProfile(input: { address: "宾川县金牛镇圭山村五组" })', '排水纠纷二');
    expect(both.data.updateProfile.__typename).toBe('UpdateProfileSuccess');
    expect(both.data.fileDispute.__typename).toBe('FileDisputeSuccess');
    expect(await applicantAddress(both.data.fileDispute.case.id)).toBe('宾川县金牛镇圭山村五组');
    // A profile change that fails changes nothing: the filing after it keeps the account's address.
    const failed = await profileThenFile('updateProfile(input: { address: "宾川县金牛镇圭山村九组", serviceAddress: "13700000000" })', '排水纠纷四');
    expect(failed.data.updateProfile.__typename).toBe('ValidationError');
    expect(failed.data.fileDispute.__typename).toBe('FileDisputeSuccess');
    expect(await applicantAddress(failed.data.fileDispute.case.id)).toBe('宾川县金牛镇圭山村五组');
    // A viewer built without the login's read (the seeds') has the account read for it.
    const [account] = await ctx.deps.db.select().from(users).where(eq(users.id, filer.userId));
    const viewer = { kind: 'user' as const, userId: filer.userId, role: 'PARTY' as const, organizationId: null, phone: filer.phone, verifiedPhone: filer.phone, name: filer.name, sessionId: 'seed' };
    const seeded = await fileDispute(ctx.deps, { viewer, ip: null, userAgent: null, requestId: null }, input('排水纠纷五'));
    expect(account!.address).toBe('宾川县金牛镇圭山村五组');
    const [party] = await ctx.deps.db.select().from(caseParties).where(and(eq(caseParties.caseId, seeded.id), eq(caseParties.role, 'APPLICANT')));
    expect(party!.address).toBe('宾川县金牛镇圭山村五组');
    // An address given in the filing wins over the account's.
    const given = await ctx.gql(FILE_ONLY, { input: { ...input('排水纠纷三'), applicant: { name: filer.name, phone: filer.phone, address: '宾川县城' } } }, filer.token);
    expect(given.data.fileDispute.__typename).toBe('FileDisputeSuccess');
    expect(await applicantAddress(given.data.fileDispute.case.id)).toBe('宾川县城');
  });

  it('honours a mediator chosen jointly by both parties', async () => {
    const chosen = w.villageMediators[1]!;
    const filed = await fileNeighborDispute(ctx, w, { preferredMediatorId: chosen.mediatorGlobalId });
    const res = await ctx.gql(RESPOND, { input: { caseId: filed.id, accept: true, preferredMediatorId: chosen.mediatorGlobalId } }, w.respondent.token);
    expect(res.data.respondToMediation.case.mediator.id).toBe(chosen.mediatorGlobalId);
    expect(res.data.respondToMediation.case.routing.reasons[0]).toContain('共同');
  });

  it('follows admin-edited diversion rules for a region', async () => {
    const studio = await createOrg(ctx, w.admin.token, { kind: 'LAWYER_MEDIATION_STUDIO', regionCode: w.county.code, categories: ['DEBT'] });
    const lawyer = await createMediatorAccount(ctx, w.admin.token, studio, { channel: 'LAWYER', categories: ['DEBT'] });
    const set = await ctx.gql(`mutation($input: SetDiversionRulesInput!) { setDiversionRules(input: $input) { __typename ... on SetDiversionRulesSuccess { rules { channel priority } } } }`,
      { input: { regionCode: w.county.code, category: 'DEBT', steps: [{ channel: 'LAWYER', organizationKinds: ['LAWYER_MEDIATION_STUDIO'] }] } }, w.admin.token);
    expect(set.data.setDiversionRules.rules).toEqual([{ channel: 'LAWYER', priority: 0 }]);
    const filed = await fileNeighborDispute(ctx, w, { category: 'DEBT', title: '借款纠纷', description: '被申请人借款五万元到期未还，多次催要无果。' });
    const res = await ctx.gql(RESPOND, { input: { caseId: filed.id, accept: true } }, w.respondent.token);
    const c = res.data.respondToMediation.case;
    expect(c.channel).toBe('LAWYER');
    expect(c.organization.id).toBe(studio.globalId);
    expect(c.mediator.id).toBe(lawyer.mediatorGlobalId);
  });

  it('refusal ends the case as REFUSED and tells the parties the other routes', async () => {
    const filed = await fileNeighborDispute(ctx, w);
    const res = await ctx.gql(RESPOND, { input: { caseId: filed.id, accept: false, reason: '不同意调解，要求起诉' } }, w.respondent.token);
    expect(res.data.respondToMediation.case.status).toBe('REFUSED');
    const notes = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.caseId, localId(filed.id, 'Case', 'id')), eq(outbox.topic, 'case.refused')));
    expect(notes.map((n) => n.recipient).sort()).toEqual([w.applicant.phone, w.respondent.phone].sort());
    expect(String(notes[0]!.payload.routes)).toContain('诉讼');
  });
});

describe('assignment and the audit record', () => {
  it('a decline reassigns to another mediator of the organisation at once', async () => {
    const c = await fileAndConsent(ctx, w);
    const proposed = w.villageMediators.find((m) => m.mediatorGlobalId === c.mediator.id)!;
    const other = w.villageMediators.find((m) => m !== proposed)!;
    const res = await ctx.gql(DECLINE, { input: { caseId: c.id, reason: '与被申请人系近亲属，申请回避' } }, proposed.token);
    const d = res.data.declineAssignment.case;
    expect(d.status).toBe('ASSIGNING');
    expect(d.mediator.id).toBe(other.mediatorGlobalId);
    expect(d.assignments.map((a: { status: string }) => a.status)).toEqual(['DECLINED', 'PENDING']);
    // The one who declined can no longer accept.
    const late = await ctx.gql(ACCEPT, { input: { caseId: c.id } }, proposed.token);
    expect(late.data.acceptAssignment.__typename).not.toBe('AcceptAssignmentSuccess');
  });

  it('detects an altered and a removed event', async () => {
    const c = await fileAndConsent(ctx, w);
    const caseId = localId(c.id, 'Case', 'id');
    expect((await ctx.gql(CASE, { id: c.id }, w.admin.token)).data.case.recordVerification.valid).toBe(true);
    await ctx.deps.db.update(events).set({ data: { action: 'INTAKE_APPROVE', checks: ['forged'] } }).where(and(eq(events.subjectId, caseId), eq(events.seq, 2)));
    const altered = (await ctx.gql(CASE, { id: c.id }, w.admin.token)).data.case.recordVerification;
    expect(altered).toEqual({ valid: false, reason: 'content altered', brokenAtSeq: 2 });

    const c2 = await fileAndConsent(ctx, w);
    const id2 = localId(c2.id, 'Case', 'id');
    await ctx.deps.db.delete(events).where(and(eq(events.subjectId, id2), eq(events.seq, 3)));
    const removed = (await ctx.gql(CASE, { id: c2.id }, w.admin.token)).data.case.recordVerification;
    expect(removed.valid).toBe(false);
    expect(removed.reason).toBe('newest events missing');
  });

  it('transfers to another organisation, which takes it up', async () => {
    const c = await fileAndConsent(ctx, w);
    const proposed = w.villageMediators.find((m) => m.mediatorGlobalId === c.mediator.id)!;
    const res = await ctx.gql(TRANSFER, { input: { caseId: c.id, organizationId: w.townshipOrg.globalId, reason: '涉及两村土地界址，需镇调委会处理' } }, proposed.token);
    expect(res.data.transferCase.case).toMatchObject({ status: 'ASSIGNING', level: 'TOWNSHIP', organization: { id: w.townshipOrg.globalId }, mediator: null });
    const taken = await ctx.gql(ACCEPT, { input: { caseId: c.id } }, w.townshipMediator.token);
    expect(taken.data.acceptAssignment.case.status).toBe('MEDIATING');
  });
});

describe('queues', () => {
  it('lists a page in a constant number of SQL statements', async () => {
    const QUEUE = `query($r: String) { cases(first: 50, regionCode: $r) { edges { node { number status organization { name } mediator { name } parties { name role } } } pageInfo { hasNextPage } } }`;
    ctx.queries.length = 0;
    const small = await ctx.gql(QUEUE, { r: w.county.code }, w.admin.token);
    const smallCount = ctx.queries.length;
    for (let i = 0; i < 4; i++) await fileAndConsent(ctx, w);
    ctx.queries.length = 0;
    const big = await ctx.gql(QUEUE, { r: w.county.code }, w.admin.token);
    expect(big.data.cases.edges.length).toBeGreaterThanOrEqual(small.data.cases.edges.length + 4);
    expect(ctx.queries.length).toBe(smallCount);
    expect(ctx.queries.length).toBeLessThanOrEqual(6);
  });

  it('pages with a cursor without repeats', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res: any = await ctx.gql(`query($a: String, $r: String) { cases(first: 2, after: $a, regionCode: $r) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, { a: after, r: w.county.code }, w.admin.token);
      for (const e of res.data.cases.edges) {
        expect(seen.has(e.node.id)).toBe(false);
        seen.add(e.node.id);
      }
      if (!res.data.cases.pageInfo.hasNextPage) break;
      after = res.data.cases.pageInfo.endCursor;
    }
    expect(seen.size).toBeGreaterThan(4);
  });
});

