import ExcelJS from 'exceljs';
import { decodeGlobalID } from '@pothos/plugin-relay';
import request from 'supertest';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../server/db';
import { createTestContext, type TestContext } from '../support/harness';
import { createCaseWorld, caseInMediation, type CaseWorld } from '../support/case-world';
import { createOrg, userWithRole, type Login } from '../support/factories';
import { failedCase, settledCase } from '../support/confirmation-world';
import { TERMINATE } from '../support/statistics-world';

let ctx: TestContext;
let w: CaseWorld;
let bureau: Login;
let station: Login;
let otherStation: Login;
let police: Login;

const gqlOk = async (query: string, input: Record<string, unknown>, token: string, field: string) => {
  const res = await ctx.gql(query, { input }, token);
  const r = res.data?.[field];
  if (!r || !String(r.__typename).endsWith('Success')) throw new Error(`${field} failed: ${JSON.stringify(res.body)}`);
  return r;
};

const RULES = /* GraphQL */ `mutation($input: SetSubsidyRulesInput!) { setSubsidyRules(input: $input) { __typename
  ... on SetSubsidyRulesSuccess { rules { id version effectiveFrom grades { grade amount amountFen } fileRequirements } }
  ... on Error { code message } ... on ValidationError { fields { field message } } } }`;
const PROPOSE = /* GraphQL */ `mutation($input: ProposeSubsidyGradeInput!) { proposeSubsidyGrade(input: $input) { __typename
  ... on ProposeSubsidyGradeSuccess { grade { grade proposedGrade proposedReason proposedFacts { people riskLevel sessions } } }
  ... on Error { code message } ... on ValidationError { fields { field message } } } }`;
const REGRADE = /* GraphQL */ `mutation($input: RegradeSubsidyCaseInput!) { regradeSubsidyCase(input: $input) { __typename
  ... on RegradeSubsidyCaseSuccess { grade { grade proposedGrade regradeReason } } ... on Error { code message } } }`;
const SPOT = /* GraphQL */ `mutation($input: RecordSubsidySpotCheckInput!) { recordSubsidySpotCheck(input: $input) { __typename
  ... on RecordSubsidySpotCheckSuccess { spotCheck { outcome } } ... on Error { code message } } }`;
const STATEMENT_FIELDS = `id regionCode month status version supersedesId correctionReason total totalFen xlsxUrl
  persons { userId name role total totalFen lines { caseId caseNumber kind grade amount amountFen } }
  exclusions { caseId caseNumber missing } steps { action fromStatus toStatus actorName actorOrganization note at }`;
const DRAFT_STATEMENT = /* GraphQL */ `mutation($input: DraftSubsidyStatementInput!) { draftSubsidyStatement(input: $input) { __typename
  ... on DraftSubsidyStatementSuccess { statement { ${STATEMENT_FIELDS} } } ... on Error { code message } ... on ValidationError { fields { field message } } } }`;
const step = (name: string) => /* GraphQL */ `mutation($input: ${name}Input!) { ${name[0]!.toLowerCase()}${name.slice(1)}(input: $input) { __typename
  ... on ${name}Success { statement { ${STATEMENT_FIELDS} } } ... on Error { code message } } }`;
const CORRECT = /* GraphQL */ `mutation($input: CorrectSubsidyStatementInput!) { correctSubsidyStatement(input: $input) { __typename
  ... on CorrectSubsidyStatementSuccess { statement { ${STATEMENT_FIELDS} } } ... on Error { code message } } }`;
const ELIGIBILITY = /* GraphQL */ `query($id: ID!) { subsidyEligibility(caseId: $id) { __typename
  ... on SubsidyEligibility { eligible missing amountFen settledOn grade { grade } } ... on Error { code message } } }`;
const REPORT = /* GraphQL */ `query($input: SubsidyStatementInput!) { subsidyStatement(input: $input) { __typename
  ... on SubsidyStatementReport { totalFen total statements { id status totalFen regionCode } persons { userId name totalFen lines { caseNumber kind amountFen } } }
  ... on Error { code message } } }`;

const FOLLOW_UP = /* GraphQL */ `mutation($input: RecordFollowUpInput!) { recordFollowUp(input: $input) { __typename ... on Error { code message } } }`;
async function followUp(caseId: string, token: string) {
  await gqlOk(FOLLOW_UP, { caseId, method: 'VISIT', relapsed: false, terms: [{ termNo: 1, performance: 'NOT_YET_DUE' }] }, token, 'recordFollowUp');
}

interface Settled { caseId: string; mediator: Login }
const local = (globalId: string) => decodeGlobalID(globalId).id;
const one = async <T extends Record<string, unknown>>(q: SQL) => (await queryRows<T>(ctx.deps.db, q))[0]!;
const cases: Record<string, Settled> = {};

beforeAll(async () => {
  ctx = await createTestContext();
  w = await createCaseWorld(ctx);
  const [second] = await queryRows<{ code: string; name: string }>(ctx.deps.db, sql`select code, name from regions where parent_code = ${w.county.code} and code <> ${w.township.code} order by code limit 1`);
  const bureauOrg = await createOrg(ctx, w.admin.token, { kind: 'ADMINISTRATIVE_AGENCY', regionCode: w.county.code, name: `${w.county.name}司法局` });
  const stationOrg = await createOrg(ctx, w.admin.token, { kind: 'ADMINISTRATIVE_AGENCY', regionCode: w.township.code, name: `${w.township.name}司法所` });
  const otherOrg = await createOrg(ctx, w.admin.token, { kind: 'ADMINISTRATIVE_AGENCY', regionCode: second!.code, name: `${second!.name}司法所` });
  const policeOrg = await createOrg(ctx, w.admin.token, { kind: 'ADMINISTRATIVE_AGENCY', regionCode: w.county.code, name: `${w.county.name}公安局交通警察大队` });
  bureau = await userWithRole(ctx, 'ORG_ADMIN', { organizationId: bureauOrg.id, name: '司法局审批人' });
  station = await userWithRole(ctx, 'ORG_ADMIN', { organizationId: stationOrg.id, name: '司法所审核人' });
  otherStation = await userWithRole(ctx, 'ORG_ADMIN', { organizationId: otherOrg.id });
  police = await userWithRole(ctx, 'ORG_ADMIN', { organizationId: policeOrg.id });
}, 120_000);
afterAll(async () => ctx?.close());

const grades = (simple: string, ordinary: string, complex: string, major: string) => [
  { grade: 'SIMPLE', amount: simple }, { grade: 'ORDINARY', amount: ordinary }, { grade: 'COMPLEX', amount: complex }, { grade: 'MAJOR', amount: major },
];

/** What a statement must pay, computed straight from the rows: grades, settlement days, rule versions, mediators. */
async function expectedPayments(caseIds: string[]) {
  const rows = await queryRows<{ case_id: string; number: string; grade: string; settled_day: string; user_id: string; name: string }>(
    ctx.deps.db,
    sql`select c.id::text as case_id, c.number, g.grade, to_char(f.settled_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as settled_day, u.id::text as user_id, u.name
        from cases c join case_subsidy_grades g on g.case_id = c.id join case_facts f on f.case_id = c.id
        join mediators m on m.id = c.mediator_id join users u on u.id = m.user_id
        where c.id in (${sql.join(caseIds.map((id) => sql`${local(id)}::uuid`), sql`, `)})`,
  );
  const versions = await queryRows<{ effective_from: string; amounts_fen: Record<string, number> | string }>(
    ctx.deps.db,
    sql`select effective_from::text, amounts_fen from subsidy_rule_sets where county_code = ${w.county.code} order by effective_from`,
  );
  return rows.map((r) => {
    const v = versions.filter((x) => x.effective_from <= r.settled_day).at(-1)!;
    const amounts = typeof v.amounts_fen === 'string' ? JSON.parse(v.amounts_fen) : v.amounts_fen;
    return { caseNumber: r.number, userId: r.user_id, name: r.name, grade: r.grade, amountFen: amounts[r.grade] as number };
  });
}

const flatLines = (statement: any) =>
  statement.persons.flatMap((p: any) => p.lines.map((l: any) => ({ ...l, person: p.name }))).sort((a: any, b: any) => a.caseNumber.localeCompare(b.caseNumber) || a.kind.localeCompare(b.kind));

describe('以案定补 rules', () => {
  it('are set by the county 司法局 only, every grade once, in growing versions', async () => {
    ctx.clock.set('2026-09-01T02:00:00Z');
    const input = { regionCode: w.county.code, effectiveFrom: '2026-01-01', grades: grades('100', '200.00', '300', '500'), source: '以案定补实施办法（2026）' };
    for (const token of [station.token, police.token, w.villageMediators[0]!.token, otherStation.token]) {
      const denied = await ctx.gql(RULES, { input }, token);
      expect(denied.data.setSubsidyRules.code, JSON.stringify(denied.body)).toBe('FORBIDDEN');
    }
    const missing = await ctx.gql(RULES, { input: { ...input, grades: grades('100', '200', '300', '500').slice(0, 3) } }, bureau.token);
    expect(missing.data.setSubsidyRules.fields[0].field).toBe('grades');
    const inverted = await ctx.gql(RULES, { input: { ...input, grades: grades('300', '200', '300', '500') } }, bureau.token);
    expect(inverted.data.setSubsidyRules.code).toBe('VALIDATION_FAILED');
    const township = await ctx.gql(RULES, { input: { ...input, regionCode: w.township.code } }, bureau.token);
    expect(township.data.setSubsidyRules.code).toBe('VALIDATION_FAILED');

    const v1 = await gqlOk(RULES, input, bureau.token, 'setSubsidyRules');
    expect(v1.rules).toMatchObject({ version: 1, effectiveFrom: '2026-01-01', fileRequirements: ['AGREEMENT', 'MINUTES', 'FOLLOW_UP'] });
    expect(v1.rules.grades.map((g: any) => g.amountFen)).toEqual([10000, 20000, 30000, 50000]);
    const v2 = await gqlOk(RULES, { ...input, effectiveFrom: '2026-10-01', grades: grades('120', '250', '350.50', '600') }, bureau.token, 'setSubsidyRules');
    expect(v2.rules).toMatchObject({ version: 2 });
    expect(v2.rules.grades[2]).toMatchObject({ amount: '350.50', amountFen: 35050 });

    const earlier = await ctx.gql(RULES, { input: { ...input, effectiveFrom: '2026-09-15' } }, bureau.token);
    expect(earlier.data.setSubsidyRules.fields[0].field).toBe('effectiveFrom');
    const { n } = await one<{ n: number }>(sql`select count(*)::int as n from subsidy_rule_sets where county_code = ${w.county.code}`);
    expect(n).toBe(2);
    const listed = await ctx.gql(`query($r: String!) { subsidyRules(regionCode: $r) { __typename ... on QuerySubsidyRulesSuccess { data { version } } ... on Error { code } } }`, { r: w.county.code }, station.token);
    expect(listed.data.subsidyRules.data.map((r: any) => r.version)).toEqual([1, 2]);
    const elsewhere = await ctx.gql(`query($r: String!) { subsidyRules(regionCode: $r) { __typename ... on Error { code } } }`, { r: w.county.code }, w.villageMediators[0]!.token);
    expect(elsewhere.data.subsidyRules.code).toBe('FORBIDDEN');
  });
});

describe('grading and eligibility', () => {
  it('grades ended cases, lets the township regrade, and lists what each file misses', async () => {
    ctx.clock.set('2026-09-02T02:00:00Z');
    // A, B, D: sessions with confirmed minutes; A, C, D followed up.
    for (const [key, withSession] of [['A', true], ['B', true], ['C', false], ['D', true]] as const) {
      const s = await settledCase(ctx, w, { withSession });
      cases[key] = { caseId: s.caseId, mediator: s.mediator };
    }
    ctx.clock.set('2026-09-10T02:00:00Z');
    for (const key of ['A', 'C', 'D']) await followUp(cases[key]!.caseId, cases[key]!.mediator.token);
    // F: the parties settled by themselves; the mediator recorded what they agreed orally.
    const { case: f, mediator: fm } = await caseInMediation(ctx, w);
    const ended = await ctx.gql(TERMINATE, { input: { caseId: f.id, ground: 'PRIVATE_SETTLEMENT', note: '双方口头约定：被申请人本月内修好排水沟。' } }, fm.token);
    expect(ended.data.terminateMediation.__typename, JSON.stringify(ended.body)).toBe('TerminateMediationSuccess');
    cases.F = { caseId: f.id, mediator: fm };
    const failed = await failedCase(ctx, w);

    const notEnded = await ctx.gql(PROPOSE, { input: { caseId: failed.caseId, grade: 'SIMPLE', reason: '案情简单' } }, failed.mediator.token);
    expect(notEnded.data.proposeSubsidyGrade.code).toBe('INVALID_TRANSITION');
    const stranger = await ctx.gql(PROPOSE, { input: { caseId: cases.A!.caseId, grade: 'SIMPLE', reason: '案情简单' } }, w.countyMediator.token);
    expect(stranger.data.proposeSubsidyGrade.code).toBe('NOT_FOUND');
    const noReason = await ctx.gql(PROPOSE, { input: { caseId: cases.A!.caseId, grade: 'SIMPLE', reason: '' } }, cases.A!.mediator.token);
    expect(noReason.data.proposeSubsidyGrade.fields[0].field).toBe('reason');

    for (const [key, grade] of [['A', 'ORDINARY'], ['B', 'SIMPLE'], ['D', 'COMPLEX'], ['F', 'SIMPLE']] as const) {
      const p = await gqlOk(PROPOSE, { caseId: cases[key]!.caseId, grade, reason: '标的三千元，双方两人，调解一次' }, cases[key]!.mediator.token, 'proposeSubsidyGrade');
      expect(p.grade).toMatchObject({ grade, proposedGrade: grade });
      expect(p.grade.proposedFacts.people).toBe(2);
    }
    // The township 司法所 regrades D; another township's office does not find the case.
    const elsewhere = await ctx.gql(REGRADE, { input: { caseId: cases.D!.caseId, grade: 'ORDINARY', reason: '不属疑难复杂' } }, otherStation.token);
    expect(elsewhere.data.regradeSubsidyCase.code).toBe('NOT_FOUND');
    const regraded = await gqlOk(REGRADE, { caseId: cases.D!.caseId, grade: 'ORDINARY', reason: '仅一次调解即达成协议，不属疑难复杂' }, station.token, 'regradeSubsidyCase');
    expect(regraded.grade).toMatchObject({ grade: 'ORDINARY', proposedGrade: 'COMPLEX', regradeReason: '仅一次调解即达成协议，不属疑难复杂' });
    const again = await ctx.gql(PROPOSE, { input: { caseId: cases.D!.caseId, grade: 'MAJOR', reason: '重新定级' } }, cases.D!.mediator.token);
    expect(again.data.proposeSubsidyGrade.code).toBe('INVALID_TRANSITION');

    const missing = async (key: string, token = station.token) => (await ctx.gql(ELIGIBILITY, { id: cases[key]!.caseId }, token)).data.subsidyEligibility;
    expect(await missing('A')).toMatchObject({ eligible: true, missing: [], amountFen: 20000, settledOn: '2026-09-02' });
    expect(await missing('B')).toMatchObject({ eligible: false, missing: ['FOLLOW_UP'] });
    expect(await missing('C')).toMatchObject({ eligible: false, missing: ['NOT_GRADED', 'MINUTES'] });
    // The oral agreement's record stands for the agreement; minutes and a follow-up are still missing.
    expect(await missing('F')).toMatchObject({ eligible: false, missing: ['MINUTES', 'FOLLOW_UP'] });
    expect((await missing('B', cases.B!.mediator.token)).missing).toEqual(['FOLLOW_UP']);
    expect((await ctx.gql(ELIGIBILITY, { id: cases.B!.caseId }, otherStation.token)).data.subsidyEligibility.code).toBe('NOT_FOUND');
  }, 240_000);
});

let september: any;

describe('statements', () => {
  it('are drafted by the township 司法所 with the eligible cases, per person, and what the others miss', async () => {
    ctx.clock.set('2026-10-02T02:00:00Z');
    const input = { regionCode: w.township.code, month: '2026-09' };
    expect((await ctx.gql(DRAFT_STATEMENT, { input }, bureau.token)).data.draftSubsidyStatement.code).toBe('FORBIDDEN');
    expect((await ctx.gql(DRAFT_STATEMENT, { input }, otherStation.token)).data.draftSubsidyStatement.code).toBe('FORBIDDEN');
    expect((await ctx.gql(DRAFT_STATEMENT, { input: { ...input, month: '2026-13' } }, station.token)).data.draftSubsidyStatement.fields[0].field).toBe('month');
    expect((await ctx.gql(DRAFT_STATEMENT, { input: { ...input, month: '2026-11' } }, station.token)).data.draftSubsidyStatement.fields[0].field).toBe('month');
    expect((await ctx.gql(DRAFT_STATEMENT, { input: { ...input, regionCode: w.county.code } }, station.token)).data.draftSubsidyStatement.code).toBe('VALIDATION_FAILED');

    const drafted = (await gqlOk(DRAFT_STATEMENT, input, station.token, 'draftSubsidyStatement')).statement;
    expect(drafted.status).toBe('DRAFT');
    const expected = await expectedPayments([cases.A!.caseId, cases.D!.caseId]);
    expect(flatLines(drafted).map((l: any) => ({ caseNumber: l.caseNumber, grade: l.grade, amountFen: l.amountFen, name: l.person }))).toEqual(
      expected.sort((a, b) => a.caseNumber.localeCompare(b.caseNumber)).map((e) => ({ caseNumber: e.caseNumber, grade: e.grade, amountFen: e.amountFen, name: e.name })),
    );
    expect(drafted.totalFen).toBe(expected.reduce((s, e) => s + e.amountFen, 0));
    expect(drafted.total).toBe('400.00');
    for (const p of drafted.persons) expect(p.totalFen).toBe(p.lines.reduce((s: number, l: any) => s + l.amountFen, 0));
    const excluded = Object.fromEntries(drafted.exclusions.map((x: any) => [x.caseId, x.missing]));
    expect(excluded[cases.B!.caseId]).toEqual(['FOLLOW_UP']);
    expect(excluded[cases.C!.caseId]).toEqual(['NOT_GRADED', 'MINUTES']);
    expect(drafted.steps).toMatchObject([{ action: 'DRAFT', toStatus: 'DRAFT', actorName: '司法所审核人', actorOrganization: `${w.township.name}司法所` }]);

    const twice = await ctx.gql(DRAFT_STATEMENT, { input }, station.token);
    expect(twice.data.draftSubsidyStatement.statement.id).toBe(drafted.id);

    // B's follow-up comes in: drafting again adds it; a regrade of A on the draft moves its line and the total.
    await followUp(cases.B!.caseId, cases.B!.mediator.token);
    const redrafted = (await gqlOk(DRAFT_STATEMENT, input, station.token, 'draftSubsidyStatement')).statement;
    expect(redrafted.totalFen).toBe(50000);
    await gqlOk(REGRADE, { caseId: cases.A!.caseId, grade: 'COMPLEX', reason: '涉及三户，调解三次' }, station.token, 'regradeSubsidyCase');
    const { total_fen, lines_fen } = await one<{ total_fen: number; lines_fen: number }>(sql`select s.total_fen::int, (select sum(amount_fen)::int from subsidy_statement_lines l where l.statement_id = s.id) as lines_fen
          from subsidy_statements s where s.region_code = ${w.township.code} and s.month = '2026-09'`);
    expect(total_fen).toBe(60000);
    expect(lines_fen).toBe(60000);
    const { n } = await one<{ n: number }>(sql`select count(*)::int as n from subsidy_statements where region_code = ${w.township.code}`);
    expect(n).toBe(1);
  }, 120_000);

  it('moves DRAFT -> REVIEWED -> APPROVED -> PAID by the offices in turn, each step recorded; an approved statement does not change', async () => {
    const report = await ctx.gql(REPORT, { input: { regionCode: w.township.code, month: '2026-09' } }, station.token);
    const id = report.data.subsidyStatement.statements[0].id;
    const approve = step('ApproveSubsidyStatement');
    const early = await ctx.gql(approve, { input: { statementId: id } }, bureau.token);
    expect(early.data.approveSubsidyStatement.code).toBe('INVALID_TRANSITION');
    expect((await ctx.gql(step('ReviewSubsidyStatement'), { input: { statementId: id } }, bureau.token)).data.reviewSubsidyStatement.code).toBe('FORBIDDEN');
    expect((await ctx.gql(step('ReviewSubsidyStatement'), { input: { statementId: id } }, otherStation.token)).data.reviewSubsidyStatement.code).toBe('NOT_FOUND');
    ctx.clock.set('2026-10-03T02:00:00Z');
    await gqlOk(step('ReviewSubsidyStatement'), { statementId: id, note: '已逐案核对卷宗' }, station.token, 'reviewSubsidyStatement');
    const locked = await ctx.gql(REGRADE, { input: { caseId: cases.B!.caseId, grade: 'ORDINARY', reason: '调高等级' } }, station.token);
    expect(locked.data.regradeSubsidyCase.code).toBe('INVALID_TRANSITION');
    expect((await ctx.gql(approve, { input: { statementId: id } }, station.token)).data.approveSubsidyStatement.code).toBe('FORBIDDEN');

    ctx.clock.set('2026-10-05T02:00:00Z');
    // Two approvals at once: exactly one succeeds.
    const both = await Promise.all([ctx.gql(approve, { input: { statementId: id } }, bureau.token), ctx.gql(approve, { input: { statementId: id } }, bureau.token)]);
    const outcomes = both.map((r) => r.data.approveSubsidyStatement.__typename === 'ApproveSubsidyStatementSuccess' ? 'ok' : r.data.approveSubsidyStatement.code).sort();
    expect(outcomes[1]).toBe('ok');
    expect(['CONFLICT', 'INVALID_TRANSITION']).toContain(outcomes[0]);

    const before = await queryRows<{ case_id: string; amount_fen: number }>(ctx.deps.db, sql`select case_id::text, amount_fen from subsidy_statement_lines where statement_id = ${local(id)}::uuid order by case_id`);
    expect((await ctx.gql(DRAFT_STATEMENT, { input: { regionCode: w.township.code, month: '2026-09' } }, station.token)).data.draftSubsidyStatement.code).toBe('INVALID_TRANSITION');
    expect((await ctx.gql(PROPOSE, { input: { caseId: cases.B!.caseId, grade: 'MAJOR', reason: '重新定级' } }, cases.B!.mediator.token)).data.proposeSubsidyGrade.code).toBe('INVALID_TRANSITION');
    expect((await ctx.gql(REGRADE, { input: { caseId: cases.B!.caseId, grade: 'MAJOR', reason: '重新定级' } }, station.token)).data.regradeSubsidyCase.code).toBe('INVALID_TRANSITION');
    const after = await queryRows<{ case_id: string; amount_fen: number }>(ctx.deps.db, sql`select case_id::text, amount_fen from subsidy_statement_lines where statement_id = ${local(id)}::uuid order by case_id`);
    expect(after).toEqual(before);

    ctx.clock.set('2026-10-08T02:00:00Z');
    const paid = (await gqlOk(step('PaySubsidyStatement'), { statementId: id, note: '已转账至个人账户' }, bureau.token, 'paySubsidyStatement')).statement;
    expect(paid.status).toBe('PAID');
    expect(paid.steps.map((s: any) => [s.action, s.fromStatus, s.toStatus, s.actorName])).toEqual([
      ['DRAFT', null, 'DRAFT', '司法所审核人'],
      ['REDRAFT', 'DRAFT', 'DRAFT', '司法所审核人'],
      ['REDRAFT', 'DRAFT', 'DRAFT', '司法所审核人'],
      ['REVIEW', 'DRAFT', 'REVIEWED', '司法所审核人'],
      ['APPROVE', 'REVIEWED', 'APPROVED', '司法局审批人'],
      ['PAY', 'APPROVED', 'PAID', '司法局审批人'],
    ]);
    expect(paid.steps.map((s: any) => s.at)).toEqual(['2026-10-02T02:00:00.000Z', '2026-10-02T02:00:00.000Z', '2026-10-02T02:00:00.000Z', '2026-10-03T02:00:00.000Z', '2026-10-05T02:00:00.000Z', '2026-10-08T02:00:00.000Z']);
    const correctPaid = await ctx.gql(CORRECT, { input: { statementId: id, reason: '更正金额' } }, bureau.token);
    expect(correctPaid.data.correctSubsidyStatement.code).toBe('INVALID_TRANSITION');
    september = paid;
  }, 120_000);

  it('claws back a paid case found unsound on the next statement, and a correction supersedes an approved statement', async () => {
    ctx.clock.set('2026-10-12T02:00:00Z');
    await gqlOk(SPOT, { caseId: cases.D!.caseId, method: 'PHONE', partyReached: '李秀英', outcome: 'UNSOUND', note: '当事人称双方从未见面，未参加调解' }, station.token, 'recordSubsidySpotCheck');
    const d = (await ctx.gql(ELIGIBILITY, { id: cases.D!.caseId }, bureau.token)).data.subsidyEligibility;
    expect(d.missing).toEqual(['ALREADY_PAID', 'UNSOUND']);
    // E settles in October under version 2, with a complete file.
    const e = await settledCase(ctx, w, { withSession: true });
    cases.E = { caseId: e.caseId, mediator: e.mediator };
    await followUp(e.caseId, e.mediator.token);
    await gqlOk(PROPOSE, { caseId: e.caseId, grade: 'MAJOR', reason: '涉及多户，风险较高' }, e.mediator.token, 'proposeSubsidyGrade');

    ctx.clock.set('2026-11-02T02:00:00Z');
    const october = (await gqlOk(DRAFT_STATEMENT, { regionCode: w.township.code, month: '2026-10' }, station.token, 'draftSubsidyStatement')).statement;
    const [paidD] = flatLines(september).filter((l: any) => l.caseNumber === flatLines(october).find((x: any) => x.kind === 'CLAWBACK')?.caseNumber);
    const lines = flatLines(october);
    const [expectedE] = await expectedPayments([cases.E.caseId]);
    expect(expectedE!.amountFen).toBe(60000);
    expect(lines.map((l: any) => [l.caseNumber, l.kind, l.amountFen])).toEqual(
      [[paidD.caseNumber, 'CLAWBACK', -paidD.amountFen], [expectedE!.caseNumber, 'PAYMENT', 60000]].sort((a: any, b: any) => a[0].localeCompare(b[0])),
    );
    expect(paidD.amountFen).toBe(20000);
    expect(lines.find((l: any) => l.kind === 'CLAWBACK').amount).toBe('-200.00');
    expect(october.totalFen).toBe(40000);
    // B, C and F are not paid twice or at all: B was paid in September; C and F still miss items.
    expect(lines.some((l: any) => l.caseId === cases.B!.caseId)).toBe(false);

    const id = october.id;
    await gqlOk(step('ReviewSubsidyStatement'), { statementId: id }, station.token, 'reviewSubsidyStatement');
    await gqlOk(step('ApproveSubsidyStatement'), { statementId: id }, bureau.token, 'approveSubsidyStatement');
    expect((await ctx.gql(CORRECT, { input: { statementId: id, reason: '更正定级错误' } }, station.token)).data.correctSubsidyStatement.code).toBe('FORBIDDEN');
    const corrected = (await gqlOk(CORRECT, { statementId: id, reason: 'E案应为疑难复杂，非重大' }, bureau.token, 'correctSubsidyStatement')).statement;
    expect(corrected).toMatchObject({ status: 'DRAFT', supersedesId: id, correctionReason: 'E案应为疑难复杂，非重大', totalFen: 40000 });
    expect((await ctx.gql(step('PaySubsidyStatement'), { input: { statementId: id } }, bureau.token)).data.paySubsidyStatement.code).toBe('INVALID_TRANSITION');
    await gqlOk(REGRADE, { caseId: cases.E.caseId, grade: 'COMPLEX', reason: '定级有误，应为疑难复杂' }, station.token, 'regradeSubsidyCase');
    const fixed = (await gqlOk(DRAFT_STATEMENT, { regionCode: w.township.code, month: '2026-10' }, station.token, 'draftSubsidyStatement')).statement;
    expect(fixed.id).toBe(corrected.id);
    expect(fixed.totalFen).toBe(35050 - 20000);
    const statuses = await queryRows<{ status: string; live: number }>(ctx.deps.db,
      sql`select s.status, (select count(*)::int from subsidy_statement_lines l where l.statement_id = s.id and l.live) as live
          from subsidy_statements s where s.region_code = ${w.township.code} and s.month = '2026-10' order by s.status desc`);
    expect(statuses).toEqual([{ status: 'SUPERSEDED', live: 0 }, { status: 'DRAFT', live: 2 }]);

    // The county reads its townships together; another township's office reads nothing of this one.
    const county = (await ctx.gql(REPORT, { input: { regionCode: w.county.code, month: '2026-10' } }, bureau.token)).data.subsidyStatement;
    expect(county.statements.map((s: any) => s.status)).toEqual(['DRAFT']);
    expect(county.totalFen).toBe(15050);
    const { sum } = await one<{ sum: number }>(sql`select sum(l.amount_fen)::int as sum from subsidy_statement_lines l join subsidy_statements s on s.id = l.statement_id
          where s.county_code = ${w.county.code} and s.month = '2026-10' and s.status <> 'SUPERSEDED'`);
    expect(county.totalFen).toBe(sum);
    expect((await ctx.gql(REPORT, { input: { regionCode: w.township.code, month: '2026-10' } }, otherStation.token)).data.subsidyStatement.code).toBe('FORBIDDEN');
    expect((await ctx.gql(REPORT, { input: { regionCode: w.county.code, month: '2026-10' } }, station.token)).data.subsidyStatement.code).toBe('FORBIDDEN');
    expect((await ctx.gql(REPORT, { input: { regionCode: w.county.code, month: '2026-10' } }, w.applicant.token)).data.subsidyStatement.code).toBe('FORBIDDEN');
  }, 180_000);

  it('exports a statement as XLSX with its lines, per-person totals, steps and the cases left out', async () => {
    const path = (url: string) => url.replace(/^https?:\/\/[^/]+/, '');
    const get = (url: string, token?: string) => {
      const r = request(ctx.app).get(path(url));
      if (token) r.set('authorization', `Bearer ${token}`);
      return r.buffer(true).parse((res, cb) => { const chunks: Buffer[] = []; res.on('data', (c: Buffer) => chunks.push(c)); res.on('end', () => cb(null, Buffer.concat(chunks))); });
    };
    expect((await get(september.xlsxUrl)).status).toBe(401);
    expect((await get(september.xlsxUrl, otherStation.token)).status).toBe(404);
    expect((await get(september.xlsxUrl.replace(/[0-9a-f-]{36}\.xlsx$/, '00000000-0000-4000-8000-000000000000.xlsx'), bureau.token)).status).toBe(404);
    const res = await get(september.xlsxUrl, bureau.token);
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ArrayBuffer);
    const detail = book.getWorksheet('补贴明细')!;
    expect(detail.getRow(2).values).toEqual([undefined, '姓名', '身份', '案号', '类别', '难易等级', '金额（元）']);
    const lines = flatLines(september);
    const rows = [];
    for (let i = 3; i < detail.rowCount; i++) {
      const r = detail.getRow(i);
      rows.push([r.getCell(3).value, r.getCell(5).value, r.getCell(6).value]);
    }
    const gradeLabel: Record<string, string> = { SIMPLE: '简易', ORDINARY: '一般', COMPLEX: '疑难复杂', MAJOR: '重大' };
    expect(rows.sort()).toEqual(lines.map((l: any) => [l.caseNumber, gradeLabel[l.grade], l.amountFen / 100]).sort());
    const last = detail.getRow(detail.rowCount);
    expect([last.getCell(1).value, last.getCell(6).value]).toEqual(['合计', september.totalFen / 100]);
    // Headings in bold, yuan with two decimal places, as the offices print them.
    expect(detail.getRow(2).getCell(1).font?.bold).toBe(true);
    expect(last.getCell(6).numFmt).toBe('0.00');
    expect(september.totalFen).toBe(60000);
    const persons = book.getWorksheet('人员汇总')!;
    const personRows = [];
    for (let i = 2; i <= persons.rowCount; i++) personRows.push([persons.getRow(i).getCell(1).value, persons.getRow(i).getCell(7).value]);
    expect(personRows.sort()).toEqual(september.persons.map((p: any) => [p.name, p.totalFen / 100]).sort());
    const steps = book.getWorksheet('审核记录')!;
    expect(steps.rowCount).toBe(1 + september.steps.length);
    expect(steps.getRow(5).getCell(1).value).toBe('司法所审核');
    expect(steps.getRow(6).getCell(3).value).toBe(`${w.county.name}司法局`);
    const left = book.getWorksheet('未予补贴案件')!;
    const leftRows = new Map<string, string>();
    for (let i = 2; i <= left.rowCount; i++) leftRows.set(String(left.getRow(i).getCell(1).value), String(left.getRow(i).getCell(2).value));
    const numberOf = async (id: string) => (await queryRows<{ number: string }>(ctx.deps.db, sql`select number from cases where id = ${local(id)}::uuid`))[0]!.number;
    expect(leftRows.get(await numberOf(cases.C!.caseId))).toBe('未定级；缺经当事人确认的调解笔录');
    expect(leftRows.get(await numberOf(cases.F!.caseId))).toBe('缺经当事人确认的调解笔录；缺回访记录');
  });
});

