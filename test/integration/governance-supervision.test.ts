import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, events, supervisionOrders } from '../../schema';
import { escalateSupervisionOrders } from '../../server/domain/supervision/escalate-supervision-orders';
import { proposeSupervision } from '../../server/domain/supervision/propose-supervision';
import { localId } from '../../server/graphql/ids';
import { caseInMediation, createCaseWorld, relogin, type CaseWorld } from '../support/case-world';
import { createTestContext, uniquePhone, type TestContext } from '../support/harness';
import { RECORD_LEAD, governanceStaff, ok } from '../support/governance';

let ctx: TestContext;
let w: CaseWorld;
let staff: Awaited<ReturnType<typeof governanceStaff>>;

const ISSUE = /* GraphQL */ `
  mutation ($input: IssueSupervisionOrderInput!) {
    issueSupervisionOrder(input: $input) {
      __typename
      ... on IssueSupervisionOrderSuccess { order { id status subjectType reason dueAt receivingLevel issuingOrganization { id } receivingOrganization { id } } }
      ... on ValidationError { code fields { field message } }
      ... on Error { code message }
    }
  }
`;
const RESPOND = /* GraphQL */ `
  mutation ($input: RespondToSupervisionInput!) {
    respondToSupervision(input: $input) {
      __typename
      ... on RespondToSupervisionSuccess { order { id status measures result answeredAt } }
      ... on ValidationError { code fields { field message } }
      ... on Error { code message }
    }
  }
`;
const ORDERS = `query($s: [SupervisionOrderStatus!]) { supervisionOrders(status: $s, received: true) { id status reason dueAt issuingOrganization { id } escalatedFrom { id } case { id } lead { id } } }`;

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.set('2026-11-23T02:00:00Z');
  w = await createCaseWorld(ctx, { villageMediators: 1 });
  staff = await governanceStaff(ctx, w);
});
afterAll(async () => ctx?.close());

describe('supervision (督办)', () => {
  it('a township orders its village committee on a case; the village answers; both are events on the case', async () => {
    const { case: c } = await caseInMediation(ctx, w);
    const dueAt = '2026-11-27T10:00:00+08:00';
    const input = { caseId: c.id, reason: '群众反映调解进展缓慢', requiredAction: '三日内组织双方当面调解并报告结果', dueAt };
    // The village committee does not supervise itself; a party does not supervise at all.
    expect((await ctx.gql(ISSUE, { input }, staff.villageAdmin.token)).data.issueSupervisionOrder.code).toBe('FORBIDDEN');
    expect((await ctx.gql(ISSUE, { input }, w.applicant.token)).data.issueSupervisionOrder.code).toBe('FORBIDDEN');
    expect((await ctx.gql(ISSUE, { input: { ...input, dueAt: '2026-11-01T10:00:00+08:00' } }, staff.townshipAdmin.token)).data.issueSupervisionOrder).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'dueAt' }] });

    // Before any order the township does not see the village's case at all.
    const CASE = `query($id: ID!) { case(id: $id) { id number status parties { role phone idNumber address } } }`;
    expect((await ctx.gql(CASE, { id: c.id }, staff.townshipAdmin.token)).data.case).toBeNull();

    const issued = ok(await ctx.gql(ISSUE, { input }, staff.townshipAdmin.token)).order;
    // Supervising it, the township reads the case record, with personal data masked and no domicile.
    const seen = (await ctx.gql(CASE, { id: c.id }, staff.townshipAdmin.token)).data.case;
    expect(seen).toMatchObject({ id: c.id, number: c.number, status: 'MEDIATING' });
    for (const p of seen.parties) {
      expect(p.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      expect(p.address).toBeNull();
    }
    expect(issued).toMatchObject({ status: 'OPEN', subjectType: 'CASE', receivingLevel: 'VILLAGE', issuingOrganization: { id: w.townshipOrg.globalId }, receivingOrganization: { id: w.villageOrg.globalId } });
    const received = (await ctx.gql(ORDERS, { s: ['OPEN'] }, staff.villageAdmin.token)).data.supervisionOrders;
    expect(received.map((o: any) => o.id)).toContain(issued.id);

    // The township that issued it may not answer it; the receiving committee does.
    expect((await ctx.gql(RESPOND, { input: { orderId: issued.id, measures: '已调解' } }, staff.townshipAdmin.token)).data.respondToSupervision.code).toBe('NOT_FOUND');
    const answered = ok(await ctx.gql(RESPOND, { input: { orderId: issued.id, measures: '11月25日组织双方到村委会面对面调解', result: '双方达成初步一致，拟签订协议' } }, staff.villageAdmin.token)).order;
    expect(answered).toMatchObject({ status: 'ANSWERED', measures: '11月25日组织双方到村委会面对面调解', result: '双方达成初步一致，拟签订协议' });
    expect((await ctx.gql(RESPOND, { input: { orderId: issued.id, measures: '再次答复' } }, staff.villageAdmin.token)).data.respondToSupervision.code).toBe('INVALID_TRANSITION');

    const evs = await ctx.deps.db.select().from(events).where(and(eq(events.subjectType, 'case'), eq(events.subjectId, localId(c.id, 'Case', 'id'))));
    const sup = evs.filter((e) => e.type.startsWith('supervision.'));
    expect(sup.map((e) => [e.type, e.actorId])).toEqual([
      ['supervision.ordered', staff.townshipAdmin.userId],
      ['supervision.answered', staff.villageAdmin.userId],
    ]);
  });

  it('an order on a high-risk lead is proposed in the township’s queue, issued from it, and escalates to the county when ignored', async () => {
    const lead = ok(
      await ctx.gql(
        RECORD_LEAD,
        { input: { regionCode: w.village.code, category: 'FAMILY', people: [{ name: '杨某', phone: uniquePhone() }, { name: '杨某某', phone: uniquePhone() }], description: '兄弟分家产争吵，弟弟酒后扬言要杀了他，哥哥一家不敢回家。', source: 'VISIT' } },
        staff.gridWorker.token,
      ),
    ).lead;
    expect(lead.riskLevel).toBe('HIGH');
    const run = await proposeSupervision(ctx.deps);
    expect(run.failed).toBe(0);
    const QUEUE = `{ supervisionQueue { id reason status detail lead { id } case { id } } }`;
    const queue = (await ctx.gql(QUEUE, {}, staff.townshipAdmin.token)).data.supervisionQueue;
    const entry = queue.find((p: any) => p.lead?.id === lead.id);
    expect(entry).toMatchObject({ reason: 'HIGH_RISK_OPEN', status: 'PROPOSED' });
    // Proposed once, however often the job runs; the village does not see the township's queue.
    await proposeSupervision(ctx.deps);
    expect((await ctx.gql(QUEUE, {}, staff.townshipAdmin.token)).data.supervisionQueue.filter((p: any) => p.lead?.id === lead.id)).toHaveLength(1);
    expect((await ctx.gql(QUEUE, {}, staff.villageAdmin.token)).data.supervisionQueue).toEqual([]);

    const order = ok(await ctx.gql(ISSUE, { input: { leadId: lead.id, proposalId: entry.id, reason: '高风险家庭纠纷', requiredAction: '落实包保责任人并报告稳控措施', dueAt: '2026-11-25T18:00:00+08:00' } }, staff.townshipAdmin.token)).order;
    expect(order).toMatchObject({ subjectType: 'LEAD', status: 'OPEN' });
    expect((await ctx.gql(QUEUE, {}, staff.townshipAdmin.token)).data.supervisionQueue.find((p: any) => p.id === entry.id)).toBeUndefined();

    // Not escalated before its due date.
    ctx.clock.set('2026-11-25T09:59:00Z');
    expect((await escalateSupervisionOrders(ctx.deps)).failed).toBe(0);
    const orderId = localId(order.id, 'SupervisionOrder', 'id');
    expect((await ctx.deps.db.select().from(supervisionOrders).where(eq(supervisionOrders.id, orderId)))[0]!.status).toBe('OPEN');

    ctx.clock.set('2026-11-26T02:00:00Z');
    await relogin(ctx, ...Object.values(staff));
    const esc = await escalateSupervisionOrders(ctx.deps);
    expect(esc.failed).toBe(0);
    const [old] = await ctx.deps.db.select().from(supervisionOrders).where(eq(supervisionOrders.id, orderId));
    expect(old!.status).toBe('ESCALATED');
    const [next] = await ctx.deps.db.select().from(supervisionOrders).where(eq(supervisionOrders.escalatedFromId, orderId));
    // 提级督办: the county committee takes it over; the village still answers, within 3 working days.
    expect(next).toMatchObject({ status: 'OPEN', issuingOrganizationId: w.countyOrg.id, receivingOrganizationId: w.villageOrg.id, issuedBy: null });
    expect(next!.dueAt.toISOString()).toBe('2026-12-01T15:59:59.999Z');
    expect(old!.escalatedToId).toBe(next!.id);
    // Escalating again does nothing to the escalated order.
    await escalateSupervisionOrders(ctx.deps);
    expect(await ctx.deps.db.select().from(supervisionOrders).where(eq(supervisionOrders.escalatedFromId, orderId))).toHaveLength(1);

    expect((await ctx.gql(RESPOND, { input: { orderId: order.id, measures: '迟到的答复' } }, staff.villageAdmin.token)).data.respondToSupervision.code).toBe('INVALID_TRANSITION');
    const received = (await ctx.gql(ORDERS, { s: ['OPEN'] }, staff.villageAdmin.token)).data.supervisionOrders;
    const escalated = received.find((o: any) => o.escalatedFrom?.id === order.id);
    expect(escalated).toMatchObject({ issuingOrganization: { id: w.countyOrg.globalId }, lead: { id: lead.id } });
    expect(ok(await ctx.gql(RESPOND, { input: { orderId: escalated.id, measures: '已落实村支书包保，每日走访' } }, staff.villageAdmin.token)).order.status).toBe('ANSWERED');

    const leadEvents = await ctx.deps.db.select().from(events).where(and(eq(events.subjectType, 'lead'), eq(events.subjectId, localId(lead.id, 'DisputeLead', 'id'))));
    expect(leadEvents.map((e) => e.type)).toEqual(['lead.recorded', 'supervision.ordered', 'supervision.escalated', 'supervision.answered']);
  });

  it('a case past its level’s time limit is proposed for supervision to the level above', async () => {
    const { case: c } = await caseInMediation(ctx, w);
    const [row] = await ctx.deps.db.select().from(cases).where(eq(cases.id, localId(c.id, 'Case', 'id')));
    expect(row!.levelDueAt).not.toBeNull();
    const QUEUE = `{ supervisionQueue { reason detail } }`;
    await proposeSupervision(ctx.deps);
    expect((await ctx.gql(QUEUE, {}, staff.townshipAdmin.token)).data.supervisionQueue.filter((p: any) => p.detail.startsWith(row!.number))).toEqual([]);
    // One minute past the village's time limit.
    ctx.clock.set(new Date(row!.levelDueAt!.getTime() + 60_000));
    await relogin(ctx, ...Object.values(staff));
    expect((await proposeSupervision(ctx.deps)).failed).toBe(0);
    const queue = (await ctx.gql(QUEUE, {}, staff.townshipAdmin.token)).data.supervisionQueue;
    expect(queue.filter((p: any) => p.detail.startsWith(row!.number))).toEqual([{ reason: 'CASE_OVERDUE', detail: `${row!.number} 已超过本级办理期限` }]);
    // The proposal opens the case record to the supervising township, and only to it.
    const CASE = `query($id: ID!) { case(id: $id) { id status } }`;
    expect((await ctx.gql(CASE, { id: c.id }, staff.townshipAdmin.token)).data.case).toMatchObject({ id: c.id, status: 'MEDIATING' });
  });
});
