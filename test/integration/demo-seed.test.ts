import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreements, cases, disputeLeads, followUpTermResults, followUps, mediationRatings, supervisionOrders } from '../../schema';
import { verifyEventChain } from '../../server/domain/audit/record-event';
import { DEMO_PASSWORD, seedDemo, type DemoAccount } from '../../server/domain/bootstrap/seed-demo';
import { createTestContext, type TestContext } from '../support/harness';

let ctx: TestContext;
let accounts: DemoAccount[] | null;

beforeAll(async () => {
  ctx = await createTestContext({ ownDatabase: true });
  ctx.clock.set('2026-11-23T02:00:00Z');
  accounts = await seedDemo(ctx.deps);
}, 180_000);
afterAll(async () => ctx?.close());

async function login(phone: string) {
  const res = await ctx.gql(`mutation($input: LoginInput!) { login(input: $input) { __typename ... on LoginSuccess { token } ... on Error { code message } } }`, {
    input: { phone, password: DEMO_PASSWORD },
  });
  expect(res.data.login.__typename, JSON.stringify(res.body)).toBe('LoginSuccess');
  return res.data.login.token as string;
}

describe('the demo data', () => {
  it('seeds once, into a database without organisations', async () => {
    expect(accounts?.length).toBeGreaterThan(20);
    expect(await seedDemo(ctx.deps)).toBeNull();
  });

  it('holds two settled cases made through the workflow, with effective agreements signed by all three', async () => {
    const settled = await ctx.deps.db.select().from(cases).where(eq(cases.status, 'SETTLED')).orderBy(asc(cases.createdAt));
    expect(settled.map((c) => c.title)).toEqual(['屋檐滴水致院墙受潮纠纷', '耕牛踩踏蚕豆苗赔偿纠纷']);
    for (const c of settled) {
      const [a] = await ctx.deps.db.select().from(agreements).where(eq(agreements.caseId, c.id));
      expect(a!.status).toBe('EFFECTIVE');
      expect(a!.effectiveAt).not.toBeNull();
    }
    // Filed forty and three days before the demo's "today".
    expect(settled[0]!.createdAt.toISOString().slice(0, 10)).toBe('2026-10-14');
    expect(settled[1]!.createdAt.toISOString().slice(0, 10)).toBe('2026-11-20');
  });

  it('records the follow-ups that fell due, and keeps the later ones scheduled', async () => {
    const [old, recent] = await ctx.deps.db.select().from(cases).where(eq(cases.status, 'SETTLED')).orderBy(asc(cases.createdAt));
    const oldFollowUps = await ctx.deps.db.select().from(followUps).where(eq(followUps.caseId, old!.id)).orderBy(asc(followUps.dueAt));
    // Term 1 (paid within 7 days) and term 2 (the trough, 20 days) each + 3 working days, and 30 days after effect: all past.
    expect(oldFollowUps.map((f) => [f.kind, f.termNo, f.status])).toEqual([
      ['TERM_DUE', 1, 'DONE'],
      ['TERM_DUE', 2, 'DONE'],
      ['AFTER_EFFECT', null, 'DONE'],
    ]);
    for (const f of oldFollowUps) expect(f.recordedAt!.getTime()).toBeLessThanOrEqual(f.dueAt.getTime());
    const results = await ctx.deps.db.select().from(followUpTermResults).where(eq(followUpTermResults.caseId, old!.id));
    // At the first visit the trough was not yet due; by the second and third everything owed was performed.
    expect(results.filter((r) => r.followUpId === oldFollowUps[0]!.id).map((r) => [r.termNo, r.performance]).sort()).toEqual([
      [1, 'PERFORMED'],
      [2, 'NOT_YET_DUE'],
    ]);
    expect(results.filter((r) => r.followUpId !== oldFollowUps[0]!.id).every((r) => r.performance === 'PERFORMED')).toBe(true);
    const ratings = await ctx.deps.db.select().from(mediationRatings).where(eq(mediationRatings.caseId, old!.id));
    expect(ratings.map((r) => r.score).sort()).toEqual([4, 5]);

    const recentFollowUps = await ctx.deps.db.select().from(followUps).where(eq(followUps.caseId, recent!.id));
    expect(recentFollowUps.length).toBeGreaterThan(0);
    expect(recentFollowUps.every((f) => f.status === 'SCHEDULED' && f.dueAt > ctx.clock.now())).toBe(true);
  });

  it('shows the follow-ups to the case’s mediator through the API, and the chains verify', async () => {
    const [old] = await ctx.deps.db.select().from(cases).where(eq(cases.status, 'SETTLED')).orderBy(asc(cases.createdAt));
    // Whichever 圭山村 mediator the diversion proposed holds the case.
    const mine = [];
    for (const p of accounts!.filter((a) => a.role === 'MEDIATOR' && a.note.includes('圭山村')).map((a) => a.phone)) {
      const token = await login(p);
      const res = await ctx.gql(`{ cases(first: 20) { edges { node { title status followUps { status } } } } }`, {}, token);
      mine.push(...res.data.cases.edges.map((e: any) => e.node).filter((n: any) => n.title === old!.title));
    }
    expect(mine).toHaveLength(1);
    expect(mine[0].followUps.map((f: any) => f.status)).toEqual(['DONE', 'DONE', 'DONE']);
    expect(await verifyEventChain(ctx.deps.db, 'case', old!.id)).toMatchObject({ valid: true, brokenAtSeq: null });
  });

  it('keeps the governance demo: leads with each outcome and one open supervision order', async () => {
    const leads = await ctx.deps.db.select().from(disputeLeads);
    const outcomes = new Set(leads.map((l) => l.status));
    for (const s of ['RESOLVED_ON_SPOT', 'CONVERTED', 'REFERRED', 'UNDER_WATCH']) expect(outcomes).toContain(s);
    const orders = await ctx.deps.db.select().from(supervisionOrders);
    expect(orders.map((o) => o.status)).toEqual(['OPEN']);
  });

  it('lets the 金牛镇司法所 draft a 以案定补 statement paying the graded, followed-up case under 宾川县 rules', async () => {
    const token = await login('13800002007');
    const res = await ctx.gql(
      `mutation($input: DraftSubsidyStatementInput!) { draftSubsidyStatement(input: $input) { __typename
        ... on DraftSubsidyStatementSuccess { statement { status totalFen persons { name lines { caseNumber grade amountFen } } exclusions { missing } } }
        ... on Error { code message } } }`,
      { input: { regionCode: '532924101', month: '2026-11' } },
      token,
    );
    const st = res.data.draftSubsidyStatement.statement;
    expect(st, JSON.stringify(res.body)).toBeTruthy();
    expect(st.status).toBe('DRAFT');
    expect(st.persons).toHaveLength(1);
    expect(st.persons[0].lines.map((l: { grade: string; amountFen: number }) => [l.grade, l.amountFen])).toEqual([['ORDINARY', 20_000]]);
    expect(st.totalFen).toBe(20_000);
    // The case settled three days ago has neither a follow-up nor a grade yet.
    expect(st.exclusions).toHaveLength(1);
  });
});
