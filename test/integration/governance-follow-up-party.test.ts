import { encodeGlobalID } from '@pothos/plugin-relay';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../server/db';
import { localId } from '../../server/graphql/ids';
import { DRAFT, PARTIES, draftInput, signAs } from '../support/agreements';
import { caseInMediation, createCaseWorld, fileNeighborDispute, type CaseWorld } from '../support/case-world';
import { registerParty, type Login } from '../support/factories';
import { createTestContext, type TestContext } from '../support/harness';
import { governanceStaff, ok } from '../support/governance';

// A party answers a scheduled follow-up (回访) itself: its own account of each term, its
// satisfaction and a comment; the mediator reads the answers and still records the follow-up.

let ctx: TestContext;
let w: CaseWorld;
let caseId: string;
let caseRowId: string;
let mediator: Awaited<ReturnType<typeof caseInMediation>>['mediator'];
let orgAdmin: Login;
let stranger: Login;
let otherCaseParty: Login;
let applicantPartyId: string;
let respondentPartyId: string;
/** The follow-up 30 days after effect (answered by both parties) and the one for term 2 (recorded first). */
let afterEffect: string;
let termTwo: string;

const ANSWER = /* GraphQL */ `
  mutation ($input: AnswerFollowUpInput!) {
    answerFollowUp(input: $input) {
      __typename
      ... on AnswerFollowUpSuccess {
        answer { id partyId satisfaction comment answeredAt terms { termNo performance note } }
        followUp { id status }
      }
      ... on ValidationError { code fields { field message } }
      ... on Error { code message }
    }
  }
`;
const RECORD = /* GraphQL */ `
  mutation ($input: RecordFollowUpInput!) {
    recordFollowUp(input: $input) {
      __typename
      ... on RecordFollowUpSuccess { followUp { id status } }
      ... on ValidationError { code fields { field message } }
      ... on Error { code message }
    }
  }
`;
const FOLLOW_UPS = /* GraphQL */ `
  query ($id: ID!) {
    case(id: $id) {
      followUps { id kind termNo status answers { partyId satisfaction comment terms { termNo performance note } } }
      ratings { partyId score source }
      events { type data }
    }
  }
`;

const goodTerms = [
  { termNo: 1, performance: 'PERFORMED', note: '檐沟已装好' },
  { termNo: 2, performance: 'PARTLY_PERFORMED', note: '只付了1500元' },
  { termNo: 3, performance: 'NOT_PERFORMED' },
];
const answer = (token: string, input: Record<string, unknown>) => ctx.gql(ANSWER, { input }, token).then((r) => r.data?.answerFollowUp);
const followUpsAs = async (token: string) => (await ctx.gql(FOLLOW_UPS, { id: caseId }, token)).data.case as {
  followUps: { id: string; kind: string; termNo: number | null; status: string; answers: { partyId: string; satisfaction: number; comment: string | null; terms: { termNo: number; performance: string; note: string | null }[] }[] }[];
  ratings: { partyId: string; score: number; source: string }[];
  events: { type: string; data: string }[];
};

/** Every row an answer writes or touches, for "nothing changed". */
async function footprint(): Promise<string> {
  const rows = await queryRows<{ d: string }>(
    ctx.deps.db,
    sql`select concat_ws('|',
      (select count(*) from follow_up_answers where case_id = ${caseRowId}),
      (select count(*) from mediation_ratings where case_id = ${caseRowId}),
      (select string_agg(id::text || ':' || status || ':' || version, ',' order by id) from follow_ups where case_id = ${caseRowId}),
      (select count(*) from events where subject_id = ${caseRowId}),
      (select version from cases where id = ${caseRowId})) as d`,
  );
  return rows[0]!.d;
}

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.set('2026-11-23T02:00:00Z');
  w = await createCaseWorld(ctx, { villageMediators: 1 });
  orgAdmin = (await governanceStaff(ctx, w)).villageAdmin;
  const m = await caseInMediation(ctx, w);
  caseId = m.case.id;
  caseRowId = localId(caseId, 'Case', 'caseId');
  mediator = m.mediator;
  const parties: { id: string; role: string }[] = (await ctx.gql(PARTIES, { id: caseId }, mediator.token)).data.case.parties;
  applicantPartyId = parties.find((p) => p.role === 'APPLICANT')!.id;
  respondentPartyId = parties.find((p) => p.role === 'RESPONDENT')!.id;
  const drafted = ok(await ctx.gql(DRAFT, { input: draftInput(caseId, respondentPartyId) }, mediator.token));
  for (const token of [w.applicant.token, w.respondent.token, mediator.token]) {
    expect((await signAs(ctx, token, drafted.agreement.id, 'test')).__typename).toBe('SignAgreementSuccess');
  }
  const scheduled = (await followUpsAs(mediator.token)).followUps;
  afterEffect = scheduled.find((f) => f.kind === 'AFTER_EFFECT')!.id;
  termTwo = scheduled.find((f) => f.kind === 'TERM_DUE' && f.termNo === 2)!.id;

  stranger = await registerParty(ctx, { name: '王路人' });
  // A party of another case of the same village.
  otherCaseParty = await registerParty(ctx, { name: '赵其他' });
  const otherRespondent = await registerParty(ctx, { name: '钱其他' });
  await fileNeighborDispute(ctx, { ...w, applicant: { ...otherCaseParty, idNumber: null }, respondent: { ...otherRespondent, idNumber: null } });
}, 120_000);
afterAll(async () => ctx?.close());

describe('a party answers a follow-up (回访) itself', () => {
  it('bad input names the field and changes nothing', async () => {
    const before = await footprint();
    const cases: [Record<string, unknown>, string][] = [
      [{ followUpId: afterEffect, terms: goodTerms, satisfaction: 6 }, 'satisfaction'],
      [{ followUpId: afterEffect, terms: goodTerms, satisfaction: 0 }, 'satisfaction'],
      [{ followUpId: afterEffect, terms: goodTerms.slice(0, 2), satisfaction: 4 }, 'terms'],
      [{ followUpId: afterEffect, terms: [], satisfaction: 4 }, 'terms'],
      [{ followUpId: afterEffect, terms: [...goodTerms, { termNo: 4, performance: 'PERFORMED' }], satisfaction: 4 }, 'terms.3.termNo'],
      [{ followUpId: afterEffect, terms: [goodTerms[0], goodTerms[1], { termNo: 1, performance: 'PERFORMED' }], satisfaction: 4 }, 'terms.2.termNo'],
      [{ followUpId: afterEffect, terms: [{ ...goodTerms[0], note: '很'.repeat(201) }, goodTerms[1], goodTerms[2]], satisfaction: 4 }, 'terms.0.note'],
      [{ followUpId: afterEffect, terms: goodTerms, satisfaction: 4, comment: '好'.repeat(1001) }, 'comment'],
    ];
    for (const [input, field] of cases) {
      const r = await answer(w.applicant.token, input);
      expect(r.__typename, JSON.stringify(input).slice(0, 80)).toBe('ValidationError');
      expect(r.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    // A performance a party may not give (NOT_YET_DUE is the mediator's finding) is refused by the schema.
    const res = await ctx.gql(ANSWER, { input: { followUpId: afterEffect, terms: [{ termNo: 1, performance: 'NOT_YET_DUE' }], satisfaction: 4 } }, w.applicant.token);
    expect(res.body.errors?.[0]?.message).toMatch(/NOT_YET_DUE/);
    expect(await footprint()).toBe(before);
  });

  it('a stranger and a party of another case are told the follow-up does not exist; the mediator is refused', async () => {
    const before = await footprint();
    const input = { followUpId: afterEffect, terms: goodTerms, satisfaction: 5 };
    const missing = await answer(w.applicant.token, { ...input, followUpId: encodeGlobalID('FollowUp', randomUUID()) });
    expect(missing.code).toBe('NOT_FOUND');
    for (const who of [stranger, otherCaseParty]) {
      const r = await answer(who.token, input);
      expect(r).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND', message: missing.message });
    }
    expect((await answer(mediator.token, input)).code).toBe('FORBIDDEN');
    expect((await ctx.gql(ANSWER, { input }, null)).data.answerFollowUp.code).toBe('UNAUTHENTICATED');
    expect(await footprint()).toBe(before);
  });

  it('the applicant answers: its account per term, satisfaction and comment; the follow-up stays scheduled', async () => {
    const r = await answer(w.applicant.token, { followUpId: afterEffect, terms: [goodTerms[2], goodTerms[0], goodTerms[1]], satisfaction: 4, comment: '  钱还差一半  ' });
    expect(r.__typename).toBe('AnswerFollowUpSuccess');
    expect(r.answer).toMatchObject({
      partyId: applicantPartyId,
      satisfaction: 4,
      comment: '钱还差一半',
      terms: [
        { termNo: 1, performance: 'PERFORMED', note: '檐沟已装好' },
        { termNo: 2, performance: 'PARTLY_PERFORMED', note: '只付了1500元' },
        { termNo: 3, performance: 'NOT_PERFORMED', note: null },
      ],
    });
    expect(r.followUp).toEqual({ id: afterEffect, status: 'SCHEDULED' });

    const mine = await followUpsAs(w.applicant.token);
    expect(mine.followUps.find((f) => f.id === afterEffect)!.answers.map((a) => [a.partyId, a.satisfaction])).toEqual([[applicantPartyId, 4]]);
    // The satisfaction is the applicant's follow-up rating: it counts in the statistics rollup once.
    expect(mine.ratings).toEqual([{ partyId: applicantPartyId, score: 4, source: 'FOLLOW_UP' }]);
    const counted = await queryRows<{ n: number }>(ctx.deps.db, sql`select count(*)::int as n from statistic_milestones where case_id = ${caseRowId} and milestone = 'rating'`);
    expect(counted[0]!.n).toBe(1);
    // The timeline says that the applicant answered, not what.
    const event = mine.events.find((e) => e.type === 'case.follow_up_answered')!;
    expect(JSON.parse(event.data)).toEqual({ followUpId: localId(afterEffect, 'FollowUp', 'id'), partyId: applicantPartyId });

    // The respondent does not read the applicant's answer.
    const theirs = await followUpsAs(w.respondent.token);
    expect(theirs.followUps.find((f) => f.id === afterEffect)!.answers).toEqual([]);
    expect(theirs.ratings).toEqual([]);
  });

  it('a second answer from the same party is a conflict and changes nothing', async () => {
    const before = await footprint();
    const r = await answer(w.applicant.token, { followUpId: afterEffect, terms: goodTerms, satisfaction: 1 });
    expect(r.code).toBe('CONFLICT');
    expect(await footprint()).toBe(before);
  });

  it('the mediator and the organisation read both parties’ answers on the follow-up', async () => {
    const r = await answer(w.respondent.token, { followUpId: afterEffect, terms: goodTerms.map((t) => ({ ...t, performance: 'PERFORMED', note: null })), satisfaction: 5 });
    expect(r.__typename).toBe('AnswerFollowUpSuccess');
    for (const token of [mediator.token, orgAdmin.token]) {
      const f = (await followUpsAs(token)).followUps.find((x) => x.id === afterEffect)!;
      expect(f.status).toBe('SCHEDULED');
      expect(f.answers.map((a) => [a.partyId, a.satisfaction, a.comment, a.terms.map((t) => t.performance).join()])).toEqual([
        [applicantPartyId, 4, '钱还差一半', 'PERFORMED,PARTLY_PERFORMED,NOT_PERFORMED'],
        [respondentPartyId, 5, null, 'PERFORMED,PERFORMED,PERFORMED'],
      ]);
    }
    // Other follow-ups of the case have no answers.
    expect((await followUpsAs(mediator.token)).followUps.filter((f) => f.id !== afterEffect).every((f) => f.answers.length === 0)).toBe(true);
  });

  it('the mediator records the follow-up; satisfaction a party gave itself is not recorded again', async () => {
    const base = { caseId, followUpId: afterEffect, method: 'PHONE', relapsed: false, terms: [{ termNo: 1, performance: 'PERFORMED' }] };
    const twice = (await ctx.gql(RECORD, { input: { ...base, satisfaction: [{ partyId: applicantPartyId, score: 3 }] } }, mediator.token)).data.recordFollowUp;
    expect(twice.__typename).toBe('ValidationError');
    expect(twice.fields.map((f: { field: string }) => f.field)).toEqual(['satisfaction.0.partyId']);
    const done = (await ctx.gql(RECORD, { input: base }, mediator.token)).data.recordFollowUp;
    expect(done).toEqual({ __typename: 'RecordFollowUpSuccess', followUp: { id: afterEffect, status: 'DONE' } });
    // The answers stay on the recorded follow-up.
    expect((await followUpsAs(mediator.token)).followUps.find((f) => f.id === afterEffect)!.answers).toHaveLength(2);
  });

  it('a completed follow-up takes no answer', async () => {
    const recorded = (await ctx.gql(RECORD, { input: { caseId, followUpId: termTwo, method: 'VISIT', relapsed: false, terms: [{ termNo: 2, performance: 'PERFORMED' }] } }, mediator.token)).data.recordFollowUp;
    expect(recorded.__typename).toBe('RecordFollowUpSuccess');
    const before = await footprint();
    const r = await answer(w.applicant.token, { followUpId: termTwo, terms: goodTerms, satisfaction: 3 });
    expect(r.code).toBe('INVALID_TRANSITION');
    // Also the follow-up both parties answered, now recorded.
    expect((await answer(w.respondent.token, { followUpId: afterEffect, terms: goodTerms, satisfaction: 3 })).code).toBe('INVALID_TRANSITION');
    expect(await footprint()).toBe(before);
  });
});
