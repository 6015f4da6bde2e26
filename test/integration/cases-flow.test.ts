import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/harness';
import { ACCEPT, RESPOND, createCaseWorld, fileNeighborDispute, type CaseWorld } from '../support/case-world';

let ctx: TestContext;
let w: CaseWorld;
beforeAll(async () => {
  ctx = await createTestContext();
  w = await createCaseWorld(ctx);
});
afterAll(async () => ctx?.close());

describe('from filing to a mediator’s acceptance', () => {
  it('files, diverts to the village committee on consent, and the proposed mediator accepts', async () => {
    const filed = await fileNeighborDispute(ctx, w);
    expect(filed.status).toBe('AWAITING_RESPONDENT');
    // Registered under the county at filing; the organisation that accepts the case numbers it as its own.
    expect(filed.number).toMatch(/^（2026）.+调登字第\d+号$/);
    const consent = await ctx.gql(RESPOND, { input: { caseId: filed.id, accept: true } }, w.respondent.token);
    const c = consent.data.respondToMediation.case;
    expect(c.status).toBe('ASSIGNING');
    expect(c.channel).toBe('PEOPLES');
    expect(c.level).toBe('VILLAGE');
    expect(c.organization.id).toBe(w.villageOrg.globalId);
    expect(c.routing.reasons.join()).toContain('属地管理');
    expect(c.routing.alternatives.map((a: { organizationName: string }) => a.organizationName)).toContain(w.townshipOrg.name);
    const proposed = w.villageMediators.find((m) => m.mediatorGlobalId === c.mediator.id)!;
    expect(proposed).toBeDefined();
    // 3 working days from Monday 2026-11-23: end of Thursday 2026-11-26 (China time).
    expect(c.dueAt).toBe('2026-11-26T15:59:59.999Z');
    const accepted = await ctx.gql(ACCEPT, { input: { caseId: c.id } }, proposed.token);
    expect(accepted.data.acceptAssignment.__typename).toBe('AcceptAssignmentSuccess');
    expect(accepted.data.acceptAssignment.case.status).toBe('MEDIATING');
    const timeline = await ctx.gql(`query($id: ID!) { case(id: $id) { events { type beforeStatus afterStatus actorRole } recordVerification { valid count } } }`, { id: c.id }, w.applicant.token);
    expect(timeline.data.case.events.map((e: { type: string }) => e.type)).toEqual([
      'case.filed',
      'case.intake_passed',
      'case.diversion',
      'case.assignment_accepted',
    ]);
    expect(timeline.data.case.recordVerification).toEqual({ valid: true, count: 4 });
  });
});
