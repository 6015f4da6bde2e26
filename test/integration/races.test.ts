import { decodeGlobalID } from '@pothos/plugin-relay';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementSignatures, cases, confirmationApplications, events } from '../../schema';
import { verifyEventChain } from '../../server/domain/audit/record-event';
import { ACCEPT, caseInMediation, fileAndConsent } from '../support/case-world';
import { ACCEPT_APP, APPLY, RULE, caseNumberFor, courtClient, createConfirmationWorld, settledCase, type ConfirmationWorld, type CourtClient } from '../support/confirmation-world';
import { PASSWORD } from '../support/factories';
import { createTestContext, type GqlResponse, type TestContext, RACING_POOL } from '../support/harness';

// Issue 10: conflicting requests at once. Exactly one wins; every other answer is a typed error
// (never a 5xx or "Unexpected error."); the audit chains verify; case numbers stay gap-free.
// PGlite runs one transaction at a time, so the races are real on PostgreSQL; PGlite must agree.
const N = 50;

let ctx: TestContext;
let w: ConfirmationWorld;
let court: CourtClient;
beforeAll(async () => {
  ctx = await createTestContext({ config: RACING_POOL });
  ctx.clock.set('2026-11-23T02:00:00Z');
  w = await createConfirmationWorld(ctx);
  court = await courtClient(ctx, w.admin.token, w.court);
});
afterAll(async () => ctx?.close());

const TYPED_LOSS = ['ConflictError', 'InvalidTransitionError', 'ForbiddenError', 'NotFoundError', 'ValidationError'];

/** The results of one mutation over a burst: each answered 200 with a typed union member, no masked error. */
function outcomes(responses: GqlResponse[], field: string): { __typename: string; code?: string; message?: string }[] {
  return responses.map((r) => {
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.errors, JSON.stringify(r.body)).toBeUndefined();
    expect(JSON.stringify(r.body)).not.toContain('Unexpected error.');
    return r.data[field];
  });
}

function winnersAndLosers(results: { __typename: string }[]) {
  const winners = results.filter((r) => r.__typename.endsWith('Success'));
  const losers = results.filter((r) => !r.__typename.endsWith('Success'));
  for (const l of losers) expect(TYPED_LOSS, JSON.stringify(l)).toContain(l.__typename);
  return { winners, losers };
}

/** Every chain of the case verifies: the case's own (against its stored head) and its agreements' and applications'. */
async function expectChainsVerify(caseId: string) {
  const [c] = await ctx.deps.db.select().from(cases).where(eq(cases.id, caseId));
  expect(await verifyEventChain(ctx.deps.db, 'case', caseId, c!.headEventHash)).toMatchObject({ valid: true });
  const subjects = await ctx.deps.db
    .selectDistinct({ subjectType: events.subjectType, subjectId: events.subjectId })
    .from(events)
    .where(inArray(events.subjectType, ['agreement', 'application']));
  const apps = await ctx.deps.db.select({ id: confirmationApplications.id }).from(confirmationApplications).where(eq(confirmationApplications.caseId, caseId));
  for (const s of subjects.filter((x) => apps.some((a) => a.id === x.subjectId))) {
    expect(await verifyEventChain(ctx.deps.db, s.subjectType, s.subjectId)).toMatchObject({ valid: true });
  }
}

const eventCount = async (caseId: string, type: string) =>
  (await ctx.deps.db.select({ id: events.id }).from(events).where(and(eq(events.subjectType, 'case'), eq(events.subjectId, caseId), eq(events.type, type)))).length;

const DRAFT = /* GraphQL */ `
  mutation ($input: DraftAgreementInput!) { draftAgreement(input: $input) { __typename ... on DraftAgreementSuccess { agreement { id } } ... on Error { code message } } }
`;
const SIGN = /* GraphQL */ `
  mutation ($input: SignAgreementInput!) {
    signAgreement(input: $input) { __typename ... on SignAgreementSuccess { agreement { id status } } ... on Error { code message } }
  }
`;

describe(`${N} concurrent conflicting requests`, () => {
  it('accepting one assignment: one mediator request wins, the case is MEDIATING once', async () => {
    const c = await fileAndConsent(ctx, w);
    const proposed = w.villageMediators.find((m) => m.mediatorGlobalId === c.mediator.id)!;
    const results = outcomes(await Promise.all(Array.from({ length: N }, () => ctx.gql(ACCEPT, { input: { caseId: c.id } }, proposed.token))), 'acceptAssignment');
    const { winners, losers } = winnersAndLosers(results);
    console.info(`accept assignment: ${N} concurrent, ${winners.length} won, ${losers.length} typed losses`);
    expect(winners).toHaveLength(1);
    const id = decodeGlobalID(c.id).id;
    expect(await eventCount(id, 'case.assignment_accepted')).toBe(1);
    const [row] = await ctx.deps.db.select().from(cases).where(eq(cases.id, id));
    expect(row!.status).toBe('MEDIATING');
    await expectChainsVerify(id);
  });

  it('the last two signatures of an agreement: each signer signs once, the agreement takes effect once', async () => {
    const { case: c, mediator } = await caseInMediation(ctx, w);
    const drafted = await ctx.gql(DRAFT, {
      input: {
        caseId: c.id, facts: '被申请人屋檐滴水落入申请人院内。', issues: '排水设施改建。',
        terms: [{ text: '被申请人于2026年12月20日前改建排水设施。', dueDate: '2026-12-20' }],
        performanceMethod: '自行改建', performanceDeadline: '2026-12-20',
      },
    }, mediator.token);
    const agreementId = drafted.data.draftAgreement.agreement.id as string;
    expect((await ctx.gql(SIGN, { input: { agreementId, password: PASSWORD } }, w.applicant.token)).data.signAgreement.__typename).toBe('SignAgreementSuccess');
    // The respondent and the mediator, the last two signers, each send half of the burst.
    const results = outcomes(
      await Promise.all(Array.from({ length: N }, (_, i) => ctx.gql(SIGN, { input: { agreementId, password: PASSWORD } }, i % 2 === 0 ? w.respondent.token : mediator.token))),
      'signAgreement',
    );
    const { winners, losers } = winnersAndLosers(results);
    console.info(`last two signatures: ${N} concurrent (25 per signer), ${winners.length} won, ${losers.length} typed losses`);
    expect(winners).toHaveLength(2);
    const id = decodeGlobalID(agreementId).id;
    const sigs = await ctx.deps.db.select().from(agreementSignatures).where(eq(agreementSignatures.agreementId, id));
    expect(sigs.map((s) => s.role).sort()).toEqual(['MEDIATOR', 'PARTY', 'PARTY']);
    const caseId = decodeGlobalID(c.id).id;
    expect(await eventCount(caseId, 'case.agreement_effective')).toBe(1);
    expect(await eventCount(caseId, 'case.agreement_signed')).toBe(2);
    const [row] = await ctx.deps.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row!.status).toBe('SETTLED');
    await expectChainsVerify(caseId);
  });

  it('the joint application for confirmation: each party applies once, the application is submitted once', async () => {
    const { caseId, agreementId } = await settledCase(ctx, w);
    const results = outcomes(
      await Promise.all(Array.from({ length: N }, (_, i) => ctx.gql(APPLY, { input: { agreementId, courtId: w.court.globalId } }, i % 2 === 0 ? w.applicant.token : w.respondent.token))),
      'applyForJudicialConfirmation',
    );
    const { winners, losers } = winnersAndLosers(results);
    console.info(`joint application: ${N} concurrent (25 per party), ${winners.length} won, ${losers.length} typed losses`);
    // One application per party: the first makes it wait for the co-applicant, the second submits it.
    expect(winners).toHaveLength(2);
    expect(losers.map((l) => l.__typename).every((t) => t === 'InvalidTransitionError')).toBe(true);
    const id = decodeGlobalID(caseId).id;
    const apps = await ctx.deps.db.select().from(confirmationApplications).where(eq(confirmationApplications.caseId, id));
    expect(apps.map((a) => [a.status, a.applicants.length])).toEqual([['SUBMITTED', 2]]);
    expect(await eventCount(id, 'confirmation.submitted')).toBe(1);
    expect(await eventCount(id, 'confirmation.applied')).toBe(1);
    await expectChainsVerify(id);
  });

  it('a court ruling: one ruling is recorded, the case is CONFIRMED once', async () => {
    const { caseId, agreementId } = await settledCase(ctx, w);
    for (const p of [w.applicant, w.respondent]) await ctx.gql(APPLY, { input: { agreementId, courtId: w.court.globalId } }, p.token);
    const id = decodeGlobalID(caseId).id;
    const [app] = await ctx.deps.db.select().from(confirmationApplications).where(eq(confirmationApplications.caseId, id));
    const applicationId = (await ctx.gql(`query($id: ID!) { case(id: $id) { confirmation { id } } }`, { id: caseId }, w.applicant.token)).data.case.confirmation.id;
    expect(decodeGlobalID(applicationId).id).toBe(app!.id);
    expect((await ctx.gql(ACCEPT_APP, { input: { applicationId } }, court.secret)).data.acceptConfirmationApplication.__typename).toBe('AcceptConfirmationApplicationSuccess');
    // Each request carries its own ruling number, half confirming and half rejecting.
    const results = outcomes(
      await Promise.all(
        Array.from({ length: N }, (_, i) =>
          ctx.gql(RULE, {
            input: { applicationId, rulingNumber: caseNumberFor(ctx, court.court.courtCode, '民特'), ...(i % 2 === 0 ? { outcome: 'CONFIRMED' } : { outcome: 'REJECTED', rejectionGround: 'CONTENT_UNCLEAR' }) },
          }, court.secret),
        ),
      ),
      'ruleOnConfirmation',
    );
    const { winners, losers } = winnersAndLosers(results);
    console.info(`court ruling: ${N} concurrent, ${winners.length} won, ${losers.length} typed losses`);
    expect(winners).toHaveLength(1);
    const ruled = await eventCount(id, 'confirmation.confirmed') + await eventCount(id, 'confirmation.rejected');
    expect(ruled).toBe(1);
    const [after] = await ctx.deps.db.select().from(confirmationApplications).where(eq(confirmationApplications.id, app!.id));
    expect(['CONFIRMED', 'REJECTED']).toContain(after!.status);
    await expectChainsVerify(id);
  });

  it('leaves the county’s case numbers gap-free after all of it', async () => {
    const rows = await ctx.deps.db.select({ number: cases.number }).from(cases).where(eq(cases.countyCode, w.county.code));
    const serials = rows.map((r) => Number(/第(\d+)号/.exec(r.number)![1])).sort((a, b) => a - b);
    expect(serials.length).toBeGreaterThanOrEqual(4);
    expect(serials).toEqual(Array.from({ length: serials.length }, (_, i) => i + 1));
  });
});
