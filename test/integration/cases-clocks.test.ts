import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processCaseDeadlines } from '../../server/domain/cases/process-deadlines';
import { localId } from '../../server/graphql/ids';
import { createTestContext, type TestContext } from '../support/harness';
import { loginAs } from '../support/factories';
import { ACCEPT, createCaseWorld, fileAndConsent, type CaseWorld } from '../support/case-world';

const CASE = `query($id: ID!) { case(id: $id) { status level dueAt levelDueAt organization { id } mediator { id } assignments { status kind reason dueAt } events { type data } } }`;

describe('assignment clock (OMR 12: 3 working days)', () => {
  let ctx: TestContext;
  let w: CaseWorld;
  beforeAll(async () => {
    // A long level limit so that only the assignment clock runs out in this test.
    ctx = await createTestContext({ config: { LEVEL_LIMIT_DAYS: 'VILLAGE=40,TOWNSHIP=40,COUNTY=40' } });
    w = await createCaseWorld(ctx);
  });
  afterAll(async () => ctx?.close());

  it('reassigns after 3 working days, counted across the Spring Festival and its made-up working Saturday', async () => {
    // Friday 2026-02-13, 10:00 China time. Working days after it: Sat 02-14 (调休 workday),
    // then 02-15..02-23 are the holiday, so Tue 02-24 and Wed 02-25.
    ctx.clock.set('2026-02-13T02:00:00Z');
    const c = await fileAndConsent(ctx, w);
    expect(c.dueAt).toBe('2026-02-25T15:59:59.999Z');
    const id = localId(c.id, 'Case', 'id');

    ctx.clock.set('2026-02-25T15:59:00Z');
    expect(await processCaseDeadlines(ctx.deps, { onlyCaseIds: [id] })).toMatchObject({ reassigned: 0 });

    ctx.clock.set('2026-02-25T16:00:01Z');
    expect(await processCaseDeadlines(ctx.deps, { onlyCaseIds: [id] })).toMatchObject({ reassigned: 1 });
    const after = (await ctx.gql(CASE, { id: c.id }, w.admin.token)).data.case;
    expect(after.status).toBe('ASSIGNING');
    expect(after.mediator.id).not.toBe(c.mediator.id);
    expect(after.assignments.map((a: { status: string }) => a.status)).toEqual(['EXPIRED', 'PENDING']);
    expect(after.assignments[1].kind).toBe('REASSIGNMENT');
    expect(after.assignments[1].reason).toContain('OMR 12');
    // The new clock starts again: Thursday 02-26 10:00 + 3 working days = Monday 03-02.
    expect(after.dueAt).toBe('2026-03-02T15:59:59.999Z');
    // Running the job again changes nothing.
    expect(await processCaseDeadlines(ctx.deps, { onlyCaseIds: [id] })).toMatchObject({ reassigned: 0, escalated: 0 });
  });

  it('after every mediator of the level let the clock run out, the case goes one level up', async () => {
    ctx.clock.set('2026-09-28T02:00:00Z');
    const c = await fileAndConsent(ctx, w);
    const id = localId(c.id, 'Case', 'id');
    // Monday 09-28: working days 09-29, 09-30, then National Day 10-01..07, so Thursday 10-08.
    expect(c.dueAt).toBe('2026-10-08T15:59:59.999Z');
    ctx.clock.set('2026-10-09T01:00:00Z');
    await processCaseDeadlines(ctx.deps, { onlyCaseIds: [id] });
    // From Friday 10-09: 10-10 (Saturday made a working day), 10-12 (Mon), 10-13 (Tue).
    let now = (await ctx.gql(CASE, { id: c.id }, w.admin.token)).data.case;
    expect(now.dueAt).toBe('2026-10-13T15:59:59.999Z');
    ctx.clock.set('2026-10-14T01:00:00Z');
    await processCaseDeadlines(ctx.deps, { onlyCaseIds: [id] });
    now = (await ctx.gql(CASE, { id: c.id }, w.admin.token)).data.case;
    expect(now.level).toBe('TOWNSHIP');
    expect(now.organization.id).toBe(w.townshipOrg.globalId);
    expect(now.assignments.map((a: { kind: string }) => a.kind)).toEqual(['DIVERSION', 'REASSIGNMENT', 'ESCALATION']);
  });
});

describe('level time limit (escalation)', () => {
  let ctx: TestContext;
  let w: CaseWorld;
  beforeAll(async () => {
    ctx = await createTestContext({ config: { LEVEL_LIMIT_DAYS: 'VILLAGE=10,TOWNSHIP=15,COUNTY=30' } });
    w = await createCaseWorld(ctx);
  });
  afterAll(async () => ctx?.close());

  it('escalates a village case to the township when the village limit passes, with the reason on record', async () => {
    const c = await fileAndConsent(ctx, w);
    const id = localId(c.id, 'Case', 'id');
    const mediator = w.villageMediators.find((m) => m.mediatorGlobalId === c.mediator.id)!;
    const accepted = await ctx.gql(ACCEPT, { input: { caseId: c.id } }, mediator.token);
    expect(accepted.body.errors).toBeUndefined();
    expect(accepted.data.acceptAssignment.case.status).toBe('MEDIATING');
    const before = (await ctx.gql(CASE, { id: c.id }, w.admin.token)).data.case;
    // Filed Monday 2026-11-23: 10 calendar days end Thursday 2026-12-03.
    expect(before.levelDueAt).toBe('2026-12-03T15:59:59.999Z');

    ctx.clock.set('2026-12-03T15:00:00Z');
    expect(await processCaseDeadlines(ctx.deps, { onlyCaseIds: [id] })).toMatchObject({ escalated: 0 });
    ctx.clock.set('2026-12-03T16:00:01Z');
    expect(await processCaseDeadlines(ctx.deps, { onlyCaseIds: [id] })).toMatchObject({ escalated: 1 });
    // Sessions last 7 days: the admin logs in again ten days later.
    const admin = await loginAs(ctx, w.admin.phone);
    expect((await ctx.gql(CASE, { id: c.id }, w.admin.token)).data.case).toBeNull();
    const after = (await ctx.gql(CASE, { id: c.id }, admin.token)).data.case;
    expect(after.status).toBe('ASSIGNING');
    expect(after.level).toBe('TOWNSHIP');
    expect(after.organization.id).toBe(w.townshipOrg.globalId);
    expect(after.mediator.id).toBe(w.townshipMediator.mediatorGlobalId);
    const escalation = after.events.find((e: { type: string }) => e.type === 'case.escalation');
    expect(JSON.parse(escalation.data).reason).toContain('村级调处时限已过');
    // 15 days for the township level from the escalation (local 12-04) end on Saturday 12-19,
    // a rest day, so the period runs to Monday 12-21 (CPL 85).
    expect(after.levelDueAt).toBe('2026-12-21T15:59:59.999Z');
  });
});
