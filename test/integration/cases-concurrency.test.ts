import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext, RACING_POOL } from '../support/harness';
import { createMediatorAccount } from '../support/factories';
import { ACCEPT, FILE, createCaseWorld, fileAndConsent, type CaseWorld } from '../support/case-world';

// PGlite runs one transaction at a time, so races only show on PostgreSQL; on PGlite these still
// run and must give the same answers.
let ctx: TestContext;
let w: CaseWorld;
beforeAll(async () => {
  ctx = await createTestContext({ config: RACING_POOL });
  w = await createCaseWorld(ctx);
});
afterAll(async () => ctx?.close());

describe('concurrency', () => {
  it('50 concurrent filings in one county get 50 distinct, gap-free numbers', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        ctx.gql(FILE, {
          input: {
            category: 'NEIGHBOR', title: `并发立案${i}`, description: '并发测试：相邻两户因通道使用发生纠纷，请求调解。',
            regionCode: w.village.code, respondents: [{ name: w.respondent.name, phone: w.respondent.phone }],
          },
        }, w.applicant.token),
      ),
    );
    const numbers = results.map((r) => {
      expect(r.data.fileDispute.__typename).toBe('FileDisputeSuccess');
      return r.data.fileDispute.case.number as string;
    });
    expect(new Set(numbers).size).toBe(50);
    const serials = numbers.map((n) => Number(/第(\d+)号/.exec(n)![1])).sort((a, b) => a - b);
    // Gap-free: consecutive serials (the world's county is fresh, so they start at 1).
    expect(serials[0]).toBe(1);
    expect(serials[49]).toBe(50);
  });

  it('two mediators accepting the same case at once: exactly one succeeds', async () => {
    const second = await createMediatorAccount(ctx, w.admin.token, w.townshipOrg, { categories: ['NEIGHBOR'] });
    for (let round = 0; round < 3; round++) {
      const c = await fileAndConsent(ctx, w);
      const proposed = w.villageMediators.find((m) => m.mediatorGlobalId === c.mediator.id)!;
      await ctx.gql(`mutation($input: TransferCaseInput!) { transferCase(input: $input) { __typename } }`,
        { input: { caseId: c.id, organizationId: w.townshipOrg.globalId, reason: '跨村纠纷' } }, proposed.token);
      const [a, b] = await Promise.all([
        ctx.gql(ACCEPT, { input: { caseId: c.id } }, w.townshipMediator.token),
        ctx.gql(ACCEPT, { input: { caseId: c.id } }, second.token),
      ]);
      const outcomes = [a.data.acceptAssignment, b.data.acceptAssignment];
      expect(outcomes.filter((o) => o.__typename === 'AcceptAssignmentSuccess')).toHaveLength(1);
      const loser = outcomes.find((o) => o.__typename !== 'AcceptAssignmentSuccess');
      expect(['ConflictError', 'InvalidTransitionError', 'NotFoundError']).toContain(loser.__typename);
      const final = await ctx.gql(`query($id: ID!) { case(id: $id) { status mediator { id } events { type } } }`, { id: c.id }, w.admin.token);
      expect(final.data.case.status).toBe('MEDIATING');
      expect(final.data.case.events.filter((e: { type: string }) => e.type === 'case.assignment_accepted')).toHaveLength(1);
    }
  });
});
