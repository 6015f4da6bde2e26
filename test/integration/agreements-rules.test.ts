import { and, eq } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementSignatures, agreements, events } from '../../schema';
import { DRAFT, PARTIES, draftInput, signAs } from '../support/agreements';
import { caseInMediation, createCaseWorld, type CaseWorld } from '../support/case-world';
import { registerParty } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';

const TIMEOUT = 120_000;

let ctx: TestContext;
let w: CaseWorld;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await createCaseWorld(ctx);
}, TIMEOUT);
afterAll(async () => ctx?.close());

/** A case in mediation between two newly registered people, so cases never share parties. */
async function freshCase(opts: { respondentIdNumber?: null } = {}) {
  const world = {
    ...w,
    applicant: await registerParty(ctx),
    respondent: await registerParty(ctx, opts.respondentIdNumber === null ? { idNumber: null } : {}),
  };
  const { case: c, mediator } = await caseInMediation(ctx, world);
  const parties = (await ctx.gql(PARTIES, { id: c.id }, mediator.token)).data.case.parties as { id: string; role: string }[];
  return { world, c, mediator, respondentPartyId: parties.find((p) => p.role === 'RESPONDENT')!.id };
}

async function draft(token: string, input: Record<string, unknown>) {
  return (await ctx.gql(DRAFT, { input }, token)).data.draftAgreement;
}

describe('signing', () => {
  it('refuses a wrong password and stores no signature; a second signature by the same person is a conflict', async () => {
    const { world, c, mediator, respondentPartyId } = await freshCase();
    const a = (await draft(mediator.token, draftInput(c.id, respondentPartyId))).agreement;
    const wrong = await signAs(ctx, world.applicant.token, a.id, 'test', 'not-the-Passw0rd');
    expect(wrong).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const [row] = await ctx.deps.db.select().from(agreements).where(eq(agreements.verificationCode, a.verificationCode));
    expect(await ctx.deps.db.select().from(agreementSignatures).where(eq(agreementSignatures.agreementId, row!.id))).toEqual([]);

    expect((await signAs(ctx, world.applicant.token, a.id, 'test')).__typename).toBe('SignAgreementSuccess');
    expect(await signAs(ctx, world.applicant.token, a.id, 'test')).toMatchObject({ code: 'CONFLICT' });
  }, TIMEOUT);

  it('two last signatures at once: both are kept and the agreement takes effect exactly once', async () => {
    const { world, c, mediator, respondentPartyId } = await freshCase();
    const a = (await draft(mediator.token, draftInput(c.id, respondentPartyId))).agreement;
    expect((await signAs(ctx, mediator.token, a.id, 'test')).__typename).toBe('SignAgreementSuccess');
    const results = await Promise.all([
      signAs(ctx, world.applicant.token, a.id, 'test'),
      signAs(ctx, world.respondent.token, a.id, 'test'),
    ]);
    expect(results.map((r) => r.__typename)).toEqual(['SignAgreementSuccess', 'SignAgreementSuccess']);
    expect(results.map((r) => r.agreement.status).sort()).toEqual(['EFFECTIVE', 'SIGNING']);
    const [row] = await ctx.deps.db.select().from(agreements).where(eq(agreements.verificationCode, a.verificationCode));
    expect(row!.status).toBe('EFFECTIVE');
    expect(await ctx.deps.db.select().from(agreementSignatures).where(eq(agreementSignatures.agreementId, row!.id))).toHaveLength(3);
    const effective = await ctx.deps.db
      .select()
      .from(events)
      .where(and(eq(events.subjectType, 'case'), eq(events.subjectId, row!.caseId), eq(events.type, 'case.agreement_effective')));
    expect(effective).toHaveLength(1);
  }, TIMEOUT);
});

describe('responsiveness', () => {
  it('answers /healthz promptly while a 100-term draft renders', async () => {
    const { c, mediator, respondentPartyId } = await freshCase();
    const terms = Array.from({ length: 100 }, (_, i) => ({
      text: `被申请人于2026年12月10日前向申请人支付第${i + 1}期修复费用人民币100元，逾期未付的，按日加付万分之五的违约金，直至付清之日止。`,
      obligorPartyId: respondentPartyId,
      amount: '100.00',
      dueDate: '2026-12-10',
    }));
    let done = false;
    const started = performance.now();
    const drafting = draft(mediator.token, draftInput(c.id, respondentPartyId, { terms })).finally(() => {
      done = true;
    });
    const latencies: number[] = [];
    while (!done) {
      const t = performance.now();
      expect((await request(ctx.app).get('/healthz')).status).toBe(200);
      latencies.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
    const draftMs = performance.now() - started;
    expect((await drafting).__typename).toBe('DraftAgreementSuccess');
    const worst = Math.max(...latencies);
    console.log(`100-term draft ${Math.round(draftMs)} ms; /healthz answered ${latencies.length} times meanwhile, worst ${Math.round(worst)} ms`);
    expect(latencies.length).toBeGreaterThan(3);
    // Rendering on the request's thread made /healthz wait for about the whole render.
    expect(worst).toBeLessThan(Math.max(250, draftMs * 0.4));
  }, TIMEOUT);
});

describe('drafting', () => {
  it('names the party whose ID number is missing', async () => {
    const { world, c, mediator, respondentPartyId } = await freshCase({ respondentIdNumber: null });
    const r = await draft(mediator.token, draftInput(c.id, respondentPartyId));
    expect(r.__typename).toBe('ValidationError');
    expect(r.fields).toEqual(expect.arrayContaining([{ field: 'parties.1.idNumber', message: expect.stringContaining(`被申请人${world.respondent.name}`) }]));
    // Without an ID number the gender is unknown too; every error names the respondent, none the applicant.
    expect(r.fields.every((f: { field: string; message: string }) => f.field.startsWith('parties.1.') && f.message.includes(world.respondent.name))).toBe(true);
    const still = await ctx.gql(`query ($id: ID!) { case(id: $id) { status agreement { id } } }`, { id: c.id }, mediator.token);
    expect(still.data.case).toEqual({ status: 'MEDIATING', agreement: null });
  }, TIMEOUT);

  it('replaces an unsigned draft, but a signed agreement cannot be redrafted', async () => {
    const { world, c, mediator, respondentPartyId } = await freshCase();
    const v1 = (await draft(mediator.token, draftInput(c.id, respondentPartyId))).agreement;
    const v2r = await draft(mediator.token, draftInput(c.id, respondentPartyId, { performanceDeadline: '2026-12-20' }));
    expect(v2r.__typename).toBe('DraftAgreementSuccess');
    expect(v2r.agreement).toMatchObject({ version: 2, status: 'SIGNING' });
    // Nobody can sign the replaced draft any more.
    expect(await signAs(ctx, world.applicant.token, v1.id, 'test')).toMatchObject({ code: 'INVALID_TRANSITION' });

    expect((await signAs(ctx, world.respondent.token, v2r.agreement.id, 'test')).__typename).toBe('SignAgreementSuccess');
    const v3r = await draft(mediator.token, draftInput(c.id, respondentPartyId, { performanceDeadline: '2026-12-25' }));
    expect(v3r).toMatchObject({ __typename: 'InvalidTransitionError', code: 'INVALID_TRANSITION' });
    expect(v3r.message).toContain('already been signed');
    const versions = await ctx.gql(`query ($id: ID!) { case(id: $id) { agreements { version status } } }`, { id: c.id }, mediator.token);
    expect(versions.data.case.agreements).toEqual([
      { version: 1, status: 'SUPERSEDED' },
      { version: 2, status: 'SIGNING' },
    ]);
  }, TIMEOUT);

  it('only the case’s mediator drafts; terms must name parties of this case', async () => {
    const { world, c, mediator, respondentPartyId } = await freshCase();
    expect(await draft(world.applicant.token, draftInput(c.id, respondentPartyId))).toMatchObject({ code: 'FORBIDDEN' });
    const foreign = await draft(mediator.token, draftInput(c.id, '00000000-0000-4000-8000-000000000000'));
    expect(foreign.__typename).toBe('ValidationError');
    expect(foreign.fields.map((f: { field: string }) => f.field)).toContain('terms.0.obligorPartyId');
  }, TIMEOUT);
});

describe('strangers', () => {
  it('see nothing: drafting and signing are NOT_FOUND, downloads 404, anonymous downloads 401', async () => {
    const { c, mediator, respondentPartyId } = await freshCase();
    const a = (await draft(mediator.token, draftInput(c.id, respondentPartyId))).agreement;
    const stranger = await registerParty(ctx);
    expect(await draft(stranger.token, draftInput(c.id, respondentPartyId))).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    expect(await signAs(ctx, stranger.token, a.id, 'test')).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    // Another case's mediator is a stranger too.
    expect(await signAs(ctx, w.countyMediator.token, a.id, 'test')).toMatchObject({ code: 'NOT_FOUND' });

    const path = new URL(a.pdfUrl).pathname;
    expect((await request(ctx.app).get(path).set('authorization', `Bearer ${stranger.token}`)).status).toBe(404);
    expect((await request(ctx.app).get(path)).status).toBe(401);
    expect((await request(ctx.app).get('/files/agreements/not-an-id.pdf').set('authorization', `Bearer ${stranger.token}`)).status).toBe(404);
    const node = await ctx.gql(`query ($id: ID!) { node(id: $id) { id } }`, { id: a.id }, stranger.token);
    expect(node.data.node).toBeNull();
    const mine = await request(ctx.app).get(path).set('authorization', `Bearer ${mediator.token}`);
    expect(mine.status).toBe(200);
  }, TIMEOUT);
});
