import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../schema';
import { remindFollowUps } from '../../server/domain/follow-up/remind-follow-ups';
import { localId } from '../../server/graphql/ids';
import { DRAFT, PARTIES, draftInput, signAs } from '../support/agreements';
import { caseInMediation, createCaseWorld, relogin, type CaseWorld } from '../support/case-world';
import { registerParty } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';
import { governanceStaff, ok, secondVillage } from '../support/governance';

let ctx: TestContext;
let w: CaseWorld;
let staff: Awaited<ReturnType<typeof governanceStaff>>;
let village2: Awaited<ReturnType<typeof secondVillage>>;
let caseId: string;
let mediator: Awaited<ReturnType<typeof caseInMediation>>['mediator'];
let parties: { id: string; role: string; name: string }[];

const RECORD = /* GraphQL */ `
  mutation ($input: RecordFollowUpInput!) {
    recordFollowUp(input: $input) {
      __typename
      ... on RecordFollowUpSuccess {
        followUp { id kind termNo status method relapsed terms { termNo performance amountPerformed routesOffered } }
        routesOffered { termNo parties { partyId name routes } }
        relapseCase { id status filedVia parties { role name consent } }
      }
      ... on ValidationError { code fields { field message } }
      ... on Error { code message }
    }
  }
`;
const RATE = /* GraphQL */ `
  mutation ($input: RateMediationInput!) {
    rateMediation(input: $input) {
      __typename
      ... on RateMediationSuccess { rating { id score source comment } }
      ... on ValidationError { code fields { field message } }
      ... on Error { code message }
    }
  }
`;
const FOLLOW_UPS = `query($id: ID!) { case(id: $id) { status followUps { id kind termNo dueAt dueRule status assigneeId } } }`;
const RATINGS = `query($id: ID!) { case(id: $id) { ratings { score source partyId } } }`;

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.set('2026-11-23T02:00:00Z');
  w = await createCaseWorld(ctx, { villageMediators: 1 });
  staff = await governanceStaff(ctx, w);
  village2 = await secondVillage(ctx, w);
  const m = await caseInMediation(ctx, w);
  caseId = m.case.id;
  mediator = m.mediator;
  parties = (await ctx.gql(PARTIES, { id: caseId }, mediator.token)).data.case.parties;
  const respondentParty = parties.find((p) => p.role === 'RESPONDENT')!;
  // Terms: 1 due 2026-12-10, 2 (3000 yuan) due 2026-11-30, 3 without a date; the respondent owes 1 and 2.
  const drafted = ok(await ctx.gql(DRAFT, { input: draftInput(caseId, respondentParty.id) }, mediator.token));
  for (const token of [w.applicant.token, w.respondent.token, mediator.token]) {
    expect((await signAs(ctx, token, drafted.agreement.id, 'test')).__typename).toBe('SignAgreementSuccess');
  }
});
afterAll(async () => ctx?.close());

describe('follow-up (回访) of an effective agreement', () => {
  it('schedules one follow-up per dated term (due + 3 working days) and one 30 days after effect, for the mediator', async () => {
    const c = (await ctx.gql(FOLLOW_UPS, { id: caseId }, mediator.token)).data.case;
    expect(c.status).toBe('SETTLED');
    expect(c.followUps.map((f: any) => [f.kind, f.termNo, f.dueAt, f.status])).toEqual([
      // 11-30 (Mon) + 3 working days = Thu 12-03, end of day China time.
      ['TERM_DUE', 2, '2026-12-03T15:59:59.999Z', 'SCHEDULED'],
      // 12-10 (Thu) + 3 working days = Tue 12-15.
      ['TERM_DUE', 1, '2026-12-15T15:59:59.999Z', 'SCHEDULED'],
      // Effective 11-23 + 30 days = Wed 12-23.
      ['AFTER_EFFECT', null, '2026-12-23T15:59:59.999Z', 'SCHEDULED'],
    ]);
    expect(new Set(c.followUps.map((f: any) => f.assigneeId))).toEqual(new Set([mediator.userId]));
    // The parties see the schedule of their own case; another village's grid worker does not.
    expect((await ctx.gql(FOLLOW_UPS, { id: caseId }, w.applicant.token)).data.case.followUps).toHaveLength(3);
  });

  it('reminds the assignee once when a follow-up comes due', async () => {
    ctx.clock.set('2026-12-04T01:00:00Z');
    await relogin(ctx, ...Object.values(staff), village2.gridWorker, mediator, w.applicant, w.respondent);
    const first = await remindFollowUps(ctx.deps);
    expect(first.failed).toBe(0);
    const rows = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.topic, 'follow_up.due'), eq(outbox.caseId, localId(caseId, 'Case', 'id'))));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.recipient).toBe(mediator.phone);
    await remindFollowUps(ctx.deps);
    expect(await ctx.deps.db.select().from(outbox).where(and(eq(outbox.topic, 'follow_up.due'), eq(outbox.caseId, localId(caseId, 'Case', 'id'))))).toHaveLength(1);
  });

  it('a term not performed past its due date offers the entitled party its routes and notifies them', async () => {
    const applicant = parties.find((p) => p.role === 'APPLICANT')!;
    const respondent = parties.find((p) => p.role === 'RESPONDENT')!;
    const outsider = (await ctx.gql(RECORD, { input: { caseId, method: 'VISIT', terms: [], relapsed: false } }, village2.gridWorker.token)).data.recordFollowUp;
    expect(outsider.code).toBe('NOT_FOUND');
    const partly = (await ctx.gql(RECORD, { input: { caseId, method: 'VISIT', terms: [{ termNo: 2, performance: 'PARTLY_PERFORMED' }], relapsed: false } }, staff.gridWorker.token)).data.recordFollowUp;
    expect(partly).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'terms.0.amountPerformed' }] });
    const badTerm = (await ctx.gql(RECORD, { input: { caseId, method: 'VISIT', terms: [{ termNo: 9, performance: 'PERFORMED' }], relapsed: false } }, staff.gridWorker.token)).data.recordFollowUp;
    expect(badTerm).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'terms.0.termNo' }] });

    // The village's grid worker visits.
    const r = ok(
      await ctx.gql(
        RECORD,
        {
          input: {
            caseId,
            method: 'VISIT',
            terms: [
              { termNo: 1, performance: 'NOT_YET_DUE' },
              { termNo: 2, performance: 'NOT_PERFORMED', note: '被申请人称资金困难' },
              { termNo: 3, performance: 'PERFORMED' },
            ],
            satisfaction: [
              { partyId: applicant.id, score: 2, comment: '对方迟迟不付款' },
              { partyId: respondent.id, score: 4 },
            ],
            relapsed: false,
          },
        },
        staff.gridWorker.token,
      ),
    );
    expect(r.followUp).toMatchObject({ kind: 'TERM_DUE', termNo: 2, status: 'DONE', method: 'VISIT', relapsed: false });
    expect(r.followUp.terms.map((t: any) => [t.termNo, t.performance, t.routesOffered])).toEqual([
      [1, 'NOT_YET_DUE', null],
      [2, 'NOT_PERFORMED', ['JUDICIAL_CONFIRMATION', 'NEW_MEDIATION', 'LITIGATION']],
      [3, 'PERFORMED', null],
    ]);
    // Only the applicant is owed term 2: the routes go to them, never to the obligor.
    expect(r.routesOffered).toEqual([{ termNo: 2, parties: [{ partyId: applicant.id, name: applicant.name, routes: ['JUDICIAL_CONFIRMATION', 'NEW_MEDIATION', 'LITIGATION'] }] }]);
    expect(r.relapseCase).toBeNull();
    const notes = await ctx.deps.db.select().from(outbox).where(and(eq(outbox.topic, 'follow_up.term_not_performed'), eq(outbox.caseId, localId(caseId, 'Case', 'id'))));
    expect(notes.map((n) => n.recipient)).toEqual([w.applicant.phone]);
    expect(notes[0]!.payload).toMatchObject({ termNo: 2, routes: 'JUDICIAL_CONFIRMATION,NEW_MEDIATION,LITIGATION' });
    const evs = (await ctx.gql(`query($id: ID!) { case(id: $id) { events { type } } }`, { id: caseId }, mediator.token)).data.case.events.map((e: any) => e.type);
    expect(evs).toContain('case.follow_up_recorded');
  });

  it('ratings: one per party, never shown to the other party', async () => {
    const applicantPartyId = parties.find((p) => p.role === 'APPLICANT')!.id;
    const respondentPartyId = parties.find((p) => p.role === 'RESPONDENT')!.id;
    const bad = (await ctx.gql(RATE, { input: { caseId, score: 6 } }, w.applicant.token)).data.rateMediation;
    expect(bad).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'score' }] });
    const r = ok(await ctx.gql(RATE, { input: { caseId, score: 5, comment: '调解员很耐心' } }, w.applicant.token));
    expect(r.rating).toMatchObject({ score: 5, source: 'PARTY' });
    expect((await ctx.gql(RATE, { input: { caseId, score: 4 } }, w.applicant.token)).data.rateMediation.code).toBe('CONFLICT');
    const stranger = await registerParty(ctx);
    expect((await ctx.gql(RATE, { input: { caseId, score: 1 } }, stranger.token)).data.rateMediation.code).toBe('NOT_FOUND');

    const seenBy = async (token: string) => (await ctx.gql(RATINGS, { id: caseId }, token)).data.case.ratings as { score: number; source: string; partyId: string }[];
    const mine = await seenBy(w.applicant.token);
    expect(mine.every((x) => x.partyId === applicantPartyId)).toBe(true);
    // Both were given at the same instant here: compare without order.
    expect(mine.map((x) => [x.source, x.score]).sort()).toEqual([['FOLLOW_UP', 2], ['PARTY', 5]]);
    const theirs = await seenBy(w.respondent.token);
    expect(theirs.map((x) => [x.partyId, x.source, x.score])).toEqual([[respondentPartyId, 'FOLLOW_UP', 4]]);
    expect((await seenBy(mediator.token)).map((x) => x.score).sort()).toEqual([2, 4, 5]);
  });

  it('a relapse opens a new case linked to the old one; the parties are invited again', async () => {
    const tooShort = (await ctx.gql(RECORD, { input: { caseId, method: 'PHONE', terms: [], relapsed: true } }, mediator.token)).data.recordFollowUp;
    expect(tooShort).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'relapseDescription' }] });
    const r = ok(
      await ctx.gql(
        RECORD,
        { input: { caseId, method: 'PHONE', terms: [{ termNo: 1, performance: 'NOT_YET_DUE' }], relapsed: true, relapseDescription: '檐沟改建后双方又因排水口位置发生争吵，申请人要求重新调解。' } },
        mediator.token,
      ),
    );
    expect(r.followUp).toMatchObject({ kind: 'TERM_DUE', termNo: 1, relapsed: true, status: 'DONE' });
    expect(r.relapseCase).toMatchObject({ status: 'AWAITING_RESPONDENT', filedVia: 'RELAPSE' });
    expect(r.relapseCase.parties.map((p: any) => [p.role, p.consent])).toEqual([
      ['APPLICANT', 'ACCEPTED'],
      ['RESPONDENT', 'PENDING'],
    ]);
    const newId = r.relapseCase.id;
    const filed = (await ctx.gql(`query($id: ID!) { case(id: $id) { events { type data } } }`, { id: newId }, w.applicant.token)).data.case.events[0];
    expect(filed.type).toBe('case.filed');
    expect(JSON.parse(filed.data)).toMatchObject({ filedVia: 'RELAPSE', relapseOfCaseId: localId(caseId, 'Case', 'id') });
    const old = (await ctx.gql(FOLLOW_UPS, { id: caseId }, mediator.token)).data.case.followUps;
    expect(old.map((f: any) => f.status)).toEqual(['DONE', 'DONE', 'SCHEDULED']);
    const linked = (await ctx.gql(`query($id: ID!) { node(id: $id) { ... on FollowUp { relapseCase { id } } } }`, { id: r.followUp.id }, mediator.token)).data.node;
    expect(linked.relapseCase.id).toBe(newId);
  });
});
