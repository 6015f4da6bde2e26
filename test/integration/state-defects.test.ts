import { decodeGlobalID } from '@pothos/plugin-relay';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseAssignments, confirmationApplications, enforcementApplications } from '../../schema';
import { ACCEPT, fileAndConsent } from '../support/case-world';
import { ACCEPT_APP, APPLY, RULE, caseNumberFor, courtClient, createConfirmationWorld, settledCase, type ConfirmationWorld } from '../support/confirmation-world';
import { loginAs } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';

// Issue 10, point 8: state that a command left behind, or a race the server gave back to the caller.
let ctx: TestContext;
let w: ConfirmationWorld;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await createConfirmationWorld(ctx);
});
afterAll(async () => ctx?.close());

const WITHDRAW = /* GraphQL */ `
  mutation ($input: WithdrawCaseInput!) {
    withdrawCase(input: $input) { __typename ... on WithdrawCaseSuccess { case { id status } } ... on Error { code message } }
  }
`;
const ENFORCE = /* GraphQL */ `
  mutation ($input: ApplyForEnforcementInput!) {
    applyForEnforcement(input: $input) {
      __typename
      ... on ApplyForEnforcementSuccess { enforcement { id lastPerformanceDate } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`;
const CASE = /* GraphQL */ `
  query ($id: ID!) { case(id: $id) { status assignments { status decidedAt } events { type } recordVerification { valid } } }
`;

describe('withdrawing a case that waits for a mediator', () => {
  it('ends its pending assignment in the same transaction, and the mediator can no longer take it up', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const c = await fileAndConsent(ctx, w);
    expect(c.status).toBe('ASSIGNING');
    const proposed = w.villageMediators.find((m) => m.mediatorGlobalId === c.mediator?.id)!;
    const before = await ctx.gql(CASE, { id: c.id }, w.applicant.token);
    expect(before.data.case.assignments.map((a: { status: string }) => a.status)).toEqual(['PENDING']);

    const res = await ctx.gql(WITHDRAW, { input: { caseId: c.id, reason: '双方已自行和解' } }, w.applicant.token);
    expect(res.data.withdrawCase.case.status).toBe('WITHDRAWN');
    const after = await ctx.gql(CASE, { id: c.id }, w.applicant.token);
    expect(after.data.case.assignments.map((a: { status: string }) => a.status)).toEqual(['WITHDRAWN']);
    expect(after.data.case.assignments[0].decidedAt).toBe(ctx.clock.now().toISOString());
    expect(after.data.case.recordVerification.valid).toBe(true);
    const rows = await ctx.deps.db.select().from(caseAssignments).where(eq(caseAssignments.caseId, decodeGlobalID(c.id).id));
    expect(rows.filter((r) => r.status === 'PENDING')).toEqual([]);

    const late = await ctx.gql(ACCEPT, { input: { caseId: c.id } }, proposed.token);
    expect(['InvalidTransitionError', 'NotFoundError']).toContain(late.data.acceptAssignment.__typename);
  });
});

describe('applying for enforcement', () => {
  it('is refused before any term is overdue, accepted once, and a repeated application is a ConflictError', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const court = await courtClient(ctx, w.admin.token, w.court);
    const { caseId, agreementId } = await settledCase(ctx, w);
    for (const party of [w.applicant, w.respondent]) {
      const applied = await ctx.gql(APPLY, { input: { agreementId, courtId: w.court.globalId } }, party.token);
      expect(applied.data.applyForJudicialConfirmation.__typename).toBe('ApplyForJudicialConfirmationSuccess');
    }
    const globalAppId = (await ctx.gql(`query($id: ID!) { case(id: $id) { confirmation { id } } }`, { id: caseId }, w.applicant.token)).data.case.confirmation.id;
    expect((await ctx.gql(ACCEPT_APP, { input: { applicationId: globalAppId } }, court.secret)).data.acceptConfirmationApplication.__typename).toBe('AcceptConfirmationApplicationSuccess');
    const ruled = await ctx.gql(RULE, { input: { applicationId: globalAppId, outcome: 'CONFIRMED', rulingNumber: caseNumberFor(ctx, court.court.courtCode, '民特') } }, court.secret);
    expect(ruled.data.ruleOnConfirmation.__typename).toBe('RuleOnConfirmationSuccess');
    const count = async () => (await ctx.deps.db.select().from(enforcementApplications).where(eq(enforcementApplications.caseId, decodeGlobalID(caseId).id))).length;

    // The only term (and the performance deadline) falls due on 2026-12-20: nothing is in breach before 12-21.
    const early = await ctx.gql(ENFORCE, { input: { caseId } }, w.applicant.token);
    expect(early.data.applyForEnforcement.__typename).toBe('ValidationError');
    expect(early.data.applyForEnforcement.fields[0].field).toBe('caseId');
    expect(early.data.applyForEnforcement.message).toContain('2026-12-20');
    ctx.clock.set('2026-12-20T15:00:00Z'); // 23:00 in China: still the due day
    const applicant = await loginAs(ctx, w.applicant.phone);
    expect((await ctx.gql(ENFORCE, { input: { caseId } }, applicant.token)).data.applyForEnforcement.__typename).toBe('ValidationError');
    expect(await count()).toBe(0);

    ctx.clock.set('2026-12-21T01:00:00Z');
    // Five identical applications at once: one is accepted, the others are told it exists.
    const burst = await Promise.all(Array.from({ length: 5 }, () => ctx.gql(ENFORCE, { input: { caseId, note: '被申请人未按期支付' } }, applicant.token)));
    const kinds = burst.map((r) => r.data.applyForEnforcement.__typename);
    expect(kinds.filter((k) => k === 'ApplyForEnforcementSuccess')).toHaveLength(1);
    expect(kinds.filter((k) => k !== 'ApplyForEnforcementSuccess').every((k) => k === 'ConflictError')).toBe(true);
    const again = await ctx.gql(ENFORCE, { input: { caseId } }, applicant.token);
    expect(again.data.applyForEnforcement.__typename).toBe('ConflictError');
    expect(await count()).toBe(1);
    // The other party has an application of its own to make.
    const respondent = await loginAs(ctx, w.respondent.phone);
    expect((await ctx.gql(ENFORCE, { input: { caseId } }, respondent.token)).data.applyForEnforcement.__typename).toBe('ApplyForEnforcementSuccess');
    expect(await count()).toBe(2);
    const final = await ctx.gql(CASE, { id: caseId }, applicant.token);
    expect(final.data.case.events.filter((e: { type: string }) => e.type === 'enforcement.applied')).toHaveLength(2);
    expect(final.data.case.recordVerification.valid).toBe(true);
    ctx.clock.set('2026-11-23T02:00:00Z');
  });
});

describe('both parties applying for judicial confirmation at the same moment', () => {
  it('completes the joint application without asking anyone to try again', async () => {
    ctx.clock.set('2026-11-23T02:00:00Z');
    const applicant = await loginAs(ctx, w.applicant.phone);
    const respondent = await loginAs(ctx, w.respondent.phone);
    for (let round = 0; round < 3; round++) {
      const { caseId, agreementId } = await settledCase(ctx, { ...w, applicant: { ...w.applicant, token: applicant.token }, respondent: { ...w.respondent, token: respondent.token } });
      const both = await Promise.all(
        [applicant, respondent].map((p) => ctx.gql(APPLY, { input: { agreementId, courtId: w.court.globalId } }, p.token)),
      );
      const results = both.map((r) => r.data.applyForJudicialConfirmation);
      expect(results.map((r) => r.__typename), JSON.stringify(results)).toEqual(['ApplyForJudicialConfirmationSuccess', 'ApplyForJudicialConfirmationSuccess']);
      expect(results.map((r) => r.application.status).sort()).toEqual(['AWAITING_CO_APPLICANT', 'SUBMITTED']);
      const final = await ctx.gql(CASE, { id: caseId }, applicant.token);
      expect(final.data.case.status).toBe('CONFIRMATION_PENDING');
      expect(final.data.case.recordVerification.valid).toBe(true);
      const apps = await ctx.deps.db.select().from(confirmationApplications).where(eq(confirmationApplications.caseId, decodeGlobalID(caseId).id));
      expect(apps.map((a) => [a.status, a.applicants.length])).toEqual([['SUBMITTED', 2]]);
    }
  });
});
