import { decodeGlobalID } from '@pothos/plugin-relay';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../schema';
import {
  CREATE_API_CLIENT,
  ACCEPT_APP,
  DECLINE_APP,
  EXTEND,
  REQUEST_SUPPLEMENT,
  RULE,
  SUBMIT_SUPPLEMENT,
  TREAT_AS_WITHDRAWN,
  caseNumberFor,
  courtClient,
  createConfirmationWorld,
  jointlyApply,
  settledCase,
  type ConfirmationWorld,
  type CourtClient,
} from '../support/confirmation-world';
import { registerParty } from '../support/factories';
import { DRAFT, PARTIES, draftInput } from '../support/agreements';
import { createTestContext, type TestContext } from '../support/harness';

let ctx: TestContext;
let w: ConfirmationWorld;
let court: CourtClient;
let other: CourtClient;

beforeAll(async () => {
  ctx = await createTestContext();
  w = await createConfirmationWorld(ctx);
  court = await courtClient(ctx, w.admin.token, w.court);
  other = await courtClient(ctx, w.admin.token, w.otherCourt);
});
afterAll(async () => ctx?.close());

async function submitted() {
  ctx.clock.set('2026-11-23T02:00:00Z');
  const { caseId, agreementId, mediator } = await settledCase(ctx, w);
  const app = await jointlyApply(ctx, w, agreementId, w.court);
  return { caseId, app, mediator };
}

const r = (res: { data: Record<string, any> }) => Object.values(res.data)[0];

describe('the court side of judicial confirmation', () => {
  it('rejects with a ground of INT 358 after acceptance; the case is CONFIRMATION_REJECTED', async () => {
    const { app, mediator } = await submitted();
    ctx.clock.advance(26 * 3600_000);
    const accepted = r(await ctx.gql(ACCEPT_APP, { input: { applicationId: app.id } }, court.secret));
    expect(accepted.application.status).toBe('ACCEPTED');
    // JC2011 5: 15 days after Tuesday 24 November -> 9 December; CPL 187 cap 30 days -> 24 December.
    expect(accepted.application.decisionDueAt).toBe('2026-12-09T15:59:59.999Z');
    expect(accepted.application.statutoryCapAt).toBe('2026-12-24T15:59:59.999Z');
    expect(accepted.application.acceptanceLate).toBe(false);
    const noGround = r(await ctx.gql(RULE, { input: { applicationId: app.id, outcome: 'REJECTED', rulingNumber: caseNumberFor(ctx, court.court.courtCode, '民特') } }, court.secret));
    expect(noGround.__typename).toBe('ValidationError');
    expect(noGround.fields[0].field).toBe('rejectionGround');
    const rejected = r(
      await ctx.gql(
        RULE,
        { input: { applicationId: app.id, outcome: 'REJECTED', rejectionGround: 'NOT_VOLUNTARY', rulingNumber: caseNumberFor(ctx, court.court.courtCode, '民特'), note: '被申请人称签字时受到胁迫' } },
        court.secret,
      ),
    );
    expect(rejected.application.status).toBe('REJECTED');
    expect(rejected.application.rejectionGround).toBe('NOT_VOLUNTARY');
    const seen = await ctx.gql(`query($id: ID!) { case(id: $id) { status confirmation { status rejectionGround } } }`, { id: rejected.application.case.id }, w.applicant.token);
    expect(seen.data.case).toEqual({ status: 'CONFIRMATION_REJECTED', confirmation: { status: 'REJECTED', rejectionGround: 'NOT_VOLUNTARY' } });

    // The parties may mediate again towards a corrected agreement (a new version).
    const caseId = rejected.application.case.id;
    const stranger = await registerParty(ctx);
    const RESUME = `mutation($input: ResumeMediationInput!) { resumeMediation(input: $input) { __typename ... on ResumeMediationSuccess { case { status dueAt } } ... on Error { code } } }`;
    expect((await ctx.gql(RESUME, { input: { caseId, reason: '重新协商' } }, stranger.token)).data.resumeMediation.code).toBe('NOT_FOUND');
    const resumed = await ctx.gql(RESUME, { input: { caseId, reason: '被申请人愿意重新协商履行方式' } }, w.applicant.token);
    expect(resumed.data.resumeMediation.case.status).toBe('MEDIATING');
    const parties = await ctx.gql(PARTIES, { id: caseId }, mediator.token);
    const respondentParty = parties.data.case.parties.find((p: { role: string }) => p.role === 'RESPONDENT');
    const redraft = await ctx.gql(DRAFT, { input: draftInput(caseId, respondentParty.id) }, mediator.token);
    expect(redraft.data.draftAgreement.agreement).toMatchObject({ version: 2, status: 'SIGNING' });
  });

  it('does not accept on a ground of INT 355; the case returns to SETTLED', async () => {
    const { app } = await submitted();
    const declined = r(await ctx.gql(DECLINE_APP, { input: { applicationId: app.id, ground: 'OWNERSHIP_OF_REAL_RIGHT_OR_IP', note: '涉及宅基地使用权确权' } }, court.secret));
    expect(declined.application.status).toBe('NOT_ACCEPTED');
    expect(declined.application.notAcceptedGround).toBe('OWNERSHIP_OF_REAL_RIGHT_OR_IP');
    expect(declined.application.case.status).toBe('SETTLED');
    const twice = r(await ctx.gql(ACCEPT_APP, { input: { applicationId: app.id } }, court.secret));
    expect(twice.code).toBe('INVALID_TRANSITION');
  });

  it('requests materials; the parties are told and answer; the court extends with the president’s approval and confirms', async () => {
    const { app } = await submitted();
    await ctx.gql(ACCEPT_APP, { input: { applicationId: app.id } }, court.secret);
    const requested = r(
      await ctx.gql(REQUEST_SUPPLEMENT, { input: { applicationId: app.id, items: ['宅基地使用权证复印件', '损失评估依据'], dueAt: '2026-11-27T18:00:00+08:00' } }, court.secret),
    );
    expect(requested.application.status).toBe('SUPPLEMENT_REQUESTED');
    const stranger = await registerParty(ctx);
    const strangerAnswer = r(await ctx.gql(SUBMIT_SUPPLEMENT, { input: { applicationId: app.id, text: '…' } }, stranger.token));
    expect(strangerAnswer.code).toBe('NOT_FOUND');
    const asCourt = r(await ctx.gql(SUBMIT_SUPPLEMENT, { input: { applicationId: app.id, text: '…' } }, court.secret));
    expect(asCourt.code).toBe('FORBIDDEN');
    // Treating silence as withdrawal (INT 357) is only possible once the deadline has passed.
    const tooEarly = r(await ctx.gql(TREAT_AS_WITHDRAWN, { input: { applicationId: app.id } }, court.secret));
    expect(tooEarly.code).toBe('INVALID_TRANSITION');
    const answered = r(
      await ctx.gql(SUBMIT_SUPPLEMENT, { input: { applicationId: app.id, text: '补充材料如下', items: ['使用权证编号 53292400123', '评估报告见附件'] } }, w.applicant.token),
    );
    expect(answered.application.status).toBe('ACCEPTED');
    expect(answered.application.supplements[0].items).toEqual(['宅基地使用权证复印件', '损失评估依据']);
    expect(answered.application.supplements[0].answer).toContain('使用权证编号');
    const extended = r(await ctx.gql(EXTEND, { input: { applicationId: app.id, approvedBy: '张院长', reason: '需现场查看' } }, court.secret));
    expect(extended.application.extension.approvedBy).toBe('张院长');
    // Accepted Monday 23 November: due 8 December, +10 days -> 18 December, within the CPL 187 cap (23 December).
    expect(extended.application.decisionDueAt).toBe('2026-12-18T15:59:59.999Z');
    expect(extended.application.beyondStatutoryCap).toBe(false);
    const again = r(await ctx.gql(EXTEND, { input: { applicationId: app.id, approvedBy: '张院长', reason: '再次延长' } }, court.secret));
    expect(again.code).toBe('INVALID_TRANSITION');
    const confirmed = r(await ctx.gql(RULE, { input: { applicationId: app.id, outcome: 'CONFIRMED', rulingNumber: caseNumberFor(ctx, court.court.courtCode, '民特').replace('（', '(').replace('）', ')') } }, court.secret));
    expect(confirmed.application.status).toBe('CONFIRMED');
    // Entered with ASCII parentheses, stored as court documents print it.
    expect(confirmed.application.rulingNumber.startsWith('（2026）')).toBe(true);
    expect(confirmed.application.case.status).toBe('CONFIRMED');
    // Both parties were told of the request, through the outbox (delivered after commit).
    const told = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.caseId, decodeGlobalID(confirmed.application.case.id).id), eq(outbox.topic, 'confirmation.supplement_requested')));
    expect(told.map((m) => m.recipient).sort()).toEqual([w.applicant.phone, w.respondent.phone].sort());
  });

  it('treats unexplained silence past the supplement deadline as withdrawal (INT 357)', async () => {
    const { app } = await submitted();
    await ctx.gql(REQUEST_SUPPLEMENT, { input: { applicationId: app.id, items: ['身份证明'], dueAt: '2026-11-24T18:00:00+08:00' } }, court.secret);
    ctx.clock.set('2026-11-25T02:00:00Z');
    const withdrawn = r(await ctx.gql(TREAT_AS_WITHDRAWN, { input: { applicationId: app.id } }, court.secret));
    expect(withdrawn.application.status).toBe('WITHDRAWN');
    expect(withdrawn.application.case.status).toBe('SETTLED');
  });

  it('another court neither sees nor acts; a party cannot act as a court; a ruling number must carry the court’s own code', async () => {
    const { app, caseId } = await submitted();
    const list = await ctx.gql(`{ confirmationApplications(status: [SUBMITTED]) { edges { node { id } } } }`, {}, other.secret);
    expect(list.data.confirmationApplications.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(app.id);
    const own = await ctx.gql(`{ confirmationApplications(status: [SUBMITTED]) { edges { node { id } } } }`, {}, court.secret);
    expect(own.data.confirmationApplications.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(app.id);
    const node = await ctx.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: app.id }, other.secret);
    expect(node.data.node).toBeNull();
    const otherCase = await ctx.gql(`query($id: ID!) { case(id: $id) { id } }`, { id: caseId }, other.secret);
    expect(otherCase.data.case).toBeNull();
    for (const [query, input] of [
      [ACCEPT_APP, { applicationId: app.id }],
      [DECLINE_APP, { applicationId: app.id, ground: 'NOT_THIS_COURT' }],
      [REQUEST_SUPPLEMENT, { applicationId: app.id, items: ['x'], dueAt: '2026-12-01T00:00:00+08:00' }],
      [EXTEND, { applicationId: app.id, approvedBy: '李院长', reason: '需要延长审查' }],
      [TREAT_AS_WITHDRAWN, { applicationId: app.id }],
      [RULE, { applicationId: app.id, outcome: 'CONFIRMED', rulingNumber: caseNumberFor(ctx, other.court.courtCode, '民特') }],
    ] as const) {
      expect(r(await ctx.gql(query, { input }, other.secret)).code).toBe('NOT_FOUND');
      expect(r(await ctx.gql(query, { input }, w.applicant.token)).code).toBe('FORBIDDEN');
    }
    await ctx.gql(ACCEPT_APP, { input: { applicationId: app.id } }, court.secret);
    const wrongCode = r(await ctx.gql(RULE, { input: { applicationId: app.id, outcome: 'CONFIRMED', rulingNumber: caseNumberFor(ctx, other.court.courtCode, '民特') } }, court.secret));
    expect(wrongCode.__typename).toBe('ValidationError');
    expect(wrongCode.fields[0].field).toBe('rulingNumber');
    const wrongType = r(await ctx.gql(RULE, { input: { applicationId: app.id, outcome: 'CONFIRMED', rulingNumber: caseNumberFor(ctx, court.court.courtCode, '民初') } }, court.secret));
    expect(wrongType.__typename).toBe('ValidationError');
    const still = await ctx.gql(`query($id: ID!) { node(id: $id) { ... on ConfirmationApplication { status } } }`, { id: app.id }, court.secret);
    expect(still.data.node.status).toBe('ACCEPTED');
  });
});

describe('court API hygiene', () => {
  it('limits each court client to its own number of requests per minute', async () => {
    const created = await ctx.gql(CREATE_API_CLIENT, { input: { name: '限流测试系统', organizationId: w.court.globalId, rateLimitPerMinute: 3 } }, w.admin.token);
    const secret = created.data.createApiClient.secret as string;
    const LIST = `{ confirmationApplications(first: 1) { edges { node { id } } } }`;
    for (let i = 0; i < 3; i++) expect((await ctx.gql(LIST, {}, secret)).status).toBe(200);
    const limited = await ctx.gql(LIST, {}, secret);
    expect(limited.status).toBe(429);
    expect(limited.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    // The budget is per client: the court's other client is not affected.
    expect((await ctx.gql(LIST, {}, court.secret)).status).toBe(200);
  });
});
