import ExcelJS from 'exceljs';
import { PDFDocument } from 'pdf-lib';
import { CATEGORY_LABELS, type DisputeCategory } from '../../server/domain/enums';
import { poppler, run, Scratch, squeeze } from '../support/poppler';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { queryRows } from '../../server/db';
import { mediators } from '../../schema';
import { createTestContext, type TestContext } from '../support/harness';
import { createCaseWorld, fileAndConsent, fileNeighborDispute, type CaseWorld } from '../support/case-world';
import { courtOf, createOrg, loginAs, userWithRole } from '../support/factories';
import { ACCEPT_APP, RULE, caseNumberFor, courtClient, failedCase, jointlyApply, settledCase } from '../support/confirmation-world';
import { LEAD_STATUSES } from '../../server/domain/screening/types';
import { OVERDUE_STATUSES } from '../../server/domain/statistics/compute-statistics';
import { escalatedAndSettled, refusedCase, rowsOfCounty, withdrawnCase } from '../support/statistics-world';

let ctx: TestContext;
let w: CaseWorld;

const STATS = /* GraphQL */ `
  query ($input: StatisticsInput!) {
    statistics(input: $input) {
      __typename
      ... on Statistics {
        total { ...F }
        rows { ...F }
      }
      ... on Error { code message }
      ... on ValidationError { fields { field } }
    }
  }
  fragment F on StatisticsRow {
    key { region { code } month level channel category organization { id } mediator { id } }
    filed refused withdrawn ended settled failed successRate settledAtVillage villageShare escalated escalatedShare
    medianDaysToSettle p90DaysToSettle overdueNow confirmed confirmationRejected
    followUpsDone termsChecked fullyPerformedRate partlyPerformedRate notPerformedRate ratings meanSatisfaction leads leadOutcomes { status count }
  }
`;

const DAY = 86_400_000;
const TRANSFER = `mutation($input: TransferCaseInput!) { transferCase(input: $input) { __typename ... on TransferCaseSuccess { case { status level organization { id } } } ... on Error { code message } } }`;
const at = (iso: string) => iso;

beforeAll(async () => {
  ctx = await createTestContext();
  w = await createCaseWorld(ctx);
  const court = await courtOf(ctx, w.admin.token, w.county.code);
  const client = await courtClient(ctx, w.admin.token, court);
  // September: two settled at village, one failed, one escalated and settled at the township.
  ctx.clock.set(at('2026-09-01T02:00:00Z'));
  const first = await settledCase(ctx, w);
  ctx.clock.set(at('2026-09-03T02:00:00Z'));
  const settledLater = await fileNeighborDispute(ctx, w, { category: 'FAMILY', title: '赡养纠纷' });
  ctx.clock.set(at('2026-09-08T02:00:00Z'));
  await failedCase(ctx, w);
  ctx.clock.set(at('2026-09-15T02:00:00Z'));
  await escalatedAndSettled(ctx, w);
  // October: a refusal, a withdrawal; the FAMILY case filed in September is consented and settles in October.
  ctx.clock.set(at('2026-10-09T02:00:00Z'));
  await refusedCase(ctx, w);
  await withdrawnCase(ctx, w);
  const consent = await ctx.gql(`mutation($input: RespondToMediationInput!) { respondToMediation(input: $input) { __typename ... on RespondToMediationSuccess { case { mediator { id } } } } }`,
    { input: { caseId: settledLater.id, accept: true } }, w.respondent.token);
  const proposed = w.villageMediators.find((m) => m.mediatorGlobalId === consent.data.respondToMediation.case.mediator.id)!;
  await ctx.gql(`mutation($input: AcceptAssignmentInput!) { acceptAssignment(input: $input) { __typename } }`, { input: { caseId: settledLater.id } }, proposed.token);
  ctx.clock.set(at('2026-10-20T02:00:00Z'));
  const { settleInMediation } = await import('../support/statistics-world');
  await settleInMediation(ctx, w, settledLater.id, proposed.token);
  // October: the first settled case is followed up (one term partly performed), and both parties rate it.
  ctx.clock.set(at('2026-10-12T02:00:00Z'));
  const parties = (await ctx.gql(`query($id: ID!) { case(id: $id) { parties { id role } } }`, { id: first.caseId }, w.applicant.token)).data.case.parties;
  const fu = await ctx.gql(
    `mutation($input: RecordFollowUpInput!) { recordFollowUp(input: $input) { __typename ... on Error { code message } ... on ValidationError { fields { field message } } } }`,
    { input: { caseId: first.caseId, method: 'VISIT', relapsed: false, terms: [{ termNo: 1, performance: 'PARTLY_PERFORMED', amountPerformed: '1000.00' }],
      satisfaction: [{ partyId: parties[0].id, score: 4 }] } },
    first.mediator.token,
  );
  expect(fu.data.recordFollowUp.__typename, JSON.stringify(fu.body)).toBe('RecordFollowUpSuccess');
  const rated = await ctx.gql(`mutation($input: RateMediationInput!) { rateMediation(input: $input) { __typename ... on Error { code message } } }`,
    { input: { caseId: first.caseId, score: 5 } }, w.respondent.token);
  expect(rated.data.rateMediation.__typename, JSON.stringify(rated.body)).toBe('RateMediationSuccess');
  for (const [category, foundOn] of [['LAND', '2026-10-12'], ['DEBT', '2026-10-03']]) {
    const lead = await ctx.gql(`mutation($input: RecordDisputeLeadInput!) { recordDisputeLead(input: $input) { __typename ... on Error { code message } ... on ValidationError { fields { field message } } } }`,
      { input: { regionCode: w.village.code, category, description: '两户因地界发生争执', people: [{ name: '张三' }, { name: '李四' }], source: 'VISIT', foundOn } }, w.villageMediators[0]!.token);
    expect(lead.data.recordDisputeLead.__typename, JSON.stringify(lead.body)).toBe('RecordDisputeLeadSuccess');
  }
  // November: one confirmed, one rejected by the court.
  for (const outcome of ['CONFIRMED', 'REJECTED'] as const) {
    ctx.clock.set(at('2026-11-02T02:00:00Z'));
    const { agreementId } = await settledCase(ctx, w);
    const app = await jointlyApply(ctx, w, agreementId, court);
    ctx.clock.advance(DAY);
    await ctx.gql(ACCEPT_APP, { input: { applicationId: app.id } }, client.secret);
    const ruled = await ctx.gql(RULE, {
      input: { applicationId: app.id, outcome, rulingNumber: caseNumberFor(ctx, client.court.courtCode, '民特'), ...(outcome === 'REJECTED' ? { rejectionGround: 'NOT_VOLUNTARY' } : {}) },
    }, client.secret);
    expect(Object.values(ruled.data)[0]).toMatchObject({ application: { status: outcome } });
  }
  // Filed in November and left waiting for the respondent: overdue once its clock runs out.
  ctx.clock.set(at('2026-11-10T02:00:00Z'));
  await fileAndConsent(ctx, w);
  ctx.clock.set(at('2026-11-25T02:00:00Z'));
}, 240_000);
afterAll(async () => ctx?.close());

type Row = Record<string, any>;

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round((s[lo]! + (s[hi]! - s[lo]!) * (pos - lo)) * 100) / 100;
}

/** Counts every figure straight from the cases, their status events and assignments, in JavaScript. */
async function directCount(
  countyCode: string, from: string, to: string, group: (c: Row, atMs: number) => string, keep: (c: Row) => boolean = () => true,
  leadGroup: ((l: Row, atMs: number) => string) | null = null, keepLead: (l: Row) => boolean = () => true,
) {
  const { caseRows, events, assignments, followUps, termResults, ratings, leads } = await rowsOfCounty(ctx, countyCode);
  const start = Date.parse(`${from}T00:00:00+08:00`);
  const end = Date.parse(`${to}T00:00:00+08:00`) + DAY;
  const now = ctx.clock.now().getTime();
  const inPeriod = (ms: number | null | undefined): ms is number => ms !== null && ms !== undefined && ms >= start && ms < end;
  const out = new Map<string, { filed: number; refused: number; withdrawn: number; ended: number; settled: number; failed: number; village: number; escalated: number; days: number[]; overdue: number; confirmed: number; rejected: number; followUps: number; perf: Record<string, number>; scores: number[]; leads: number; leadStatus: Record<string, number> }>();
  const bucket = (k: string) => {
    if (!out.has(k)) out.set(k, { filed: 0, refused: 0, withdrawn: 0, ended: 0, settled: 0, failed: 0, village: 0, escalated: 0, days: [], overdue: 0, confirmed: 0, rejected: 0, followUps: 0, perf: {}, scores: [], leads: 0, leadStatus: {} });
    return out.get(k)!;
  };
  for (const c of caseRows.filter(keep)) {
    const evs = events.filter((e) => e.subject_id === c.id);
    const last = (pred: (e: (typeof evs)[number]) => boolean) => evs.filter(pred).at(-1)?.at_ms ?? null;
    const settledAt = last((e) => e.after_status === 'SETTLED' && e.before_status !== 'SETTLED' && e.before_status !== 'CONFIRMATION_PENDING');
    let failedAt = last((e) => e.after_status === 'FAILED' && e.before_status !== 'FAILED');
    if (failedAt !== null && settledAt !== null && settledAt > failedAt) failedAt = null;
    const endedAt = Math.max(settledAt ?? -1, failedAt ?? -1);
    const mine = assignments.filter((a) => a.case_id === c.id);
    const levelAtSettlement = settledAt === null ? null : mine.filter((a) => a.created_ms <= settledAt).at(-1)?.level ?? null;
    const escalated = mine.some((a) => a.kind === 'ESCALATION');
    const milestones: [string, number | null][] = [
      ['filed', c.created_ms],
      ['refused', last((e) => e.after_status === 'REFUSED' && e.before_status !== 'REFUSED')],
      ['withdrawn', last((e) => e.after_status === 'WITHDRAWN' && e.before_status !== 'WITHDRAWN')],
      ['ended', endedAt < 0 ? null : endedAt],
      ['settled', settledAt],
      ['failed', failedAt],
      ['confirmed', last((e) => e.after_status === 'CONFIRMED' && e.before_status !== 'CONFIRMED')],
      ['rejected', last((e) => e.after_status === 'CONFIRMATION_REJECTED' && e.before_status !== 'CONFIRMATION_REJECTED')],
    ];
    for (const [m, ms] of milestones) {
      if (!inPeriod(ms)) continue;
      const b = bucket(group(c, ms));
      if (m === 'filed') b.filed++;
      if (m === 'refused') b.refused++;
      if (m === 'withdrawn') b.withdrawn++;
      if (m === 'ended') {
        b.ended++;
        if (escalated) b.escalated++;
      }
      if (m === 'settled') {
        b.settled++;
        if (levelAtSettlement === 'VILLAGE') b.village++;
        b.days.push((ms - c.created_ms) / DAY);
      }
      if (m === 'failed') b.failed++;
      if (m === 'confirmed') b.confirmed++;
      if (m === 'rejected') b.rejected++;
    }
    const open = ['SUBMITTED', 'AWAITING_RESPONDENT', 'ASSIGNING', 'MEDIATING', 'AGREEMENT_SIGNING'].includes(c.status);
    if (open && c.due_ms !== null && c.due_ms < now) bucket(group(c, c.due_ms)).overdue++;
    for (const f of followUps.filter((f) => f.case_id === c.id && f.status === 'DONE' && inPeriod(f.recorded_ms))) bucket(group(c, f.recorded_ms!)).followUps++;
    for (const t of termResults.filter((t) => t.case_id === c.id && t.performance !== 'NOT_YET_DUE' && inPeriod(t.recorded_ms))) {
      const b = bucket(group(c, t.recorded_ms));
      b.perf[t.performance] = (b.perf[t.performance] ?? 0) + 1;
    }
    for (const r of ratings.filter((r) => r.case_id === c.id && inPeriod(r.created_ms))) bucket(group(c, r.created_ms)).scores.push(r.score);
  }
  if (leadGroup) {
    for (const l of leads) {
      const ms = Date.parse(`${l.found_on}T00:00:00+08:00`);
      if (!inPeriod(ms) || !keepLead(l)) continue;
      const b = bucket(leadGroup(l, ms));
      b.leads++;
      b.leadStatus[l.status] = (b.leadStatus[l.status] ?? 0) + 1;
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  const rate = (a: number, perf: Record<string, number>) => ratio(a, (perf.PERFORMED ?? 0) + (perf.PARTLY_PERFORMED ?? 0) + (perf.NOT_PERFORMED ?? 0));
  return new Map(
    [...out].map(([k, b]) => [
      k,
      {
        filed: b.filed, refused: b.refused, withdrawn: b.withdrawn, ended: b.ended, settled: b.settled, failed: b.failed,
        successRate: ratio(b.settled, b.ended), settledAtVillage: b.village, villageShare: ratio(b.village, b.settled),
        escalated: b.escalated, escalatedShare: ratio(b.escalated, b.ended),
        medianDaysToSettle: percentile(b.days, 0.5), p90DaysToSettle: percentile(b.days, 0.9),
        overdueNow: b.overdue, confirmed: b.confirmed, confirmationRejected: b.rejected,
        followUpsDone: b.followUps,
        termsChecked: (b.perf.PERFORMED ?? 0) + (b.perf.PARTLY_PERFORMED ?? 0) + (b.perf.NOT_PERFORMED ?? 0),
        fullyPerformedRate: rate(b.perf.PERFORMED ?? 0, b.perf),
        partlyPerformedRate: rate(b.perf.PARTLY_PERFORMED ?? 0, b.perf),
        notPerformedRate: rate(b.perf.NOT_PERFORMED ?? 0, b.perf),
        ratings: b.scores.length,
        meanSatisfaction: b.scores.length ? Math.round((b.scores.reduce((x, y) => x + y, 0) / b.scores.length) * 100) / 100 : null,
        leads: b.leads,
        leadOutcomes: LEAD_STATUSES.map((status) => ({ status, count: b.leadStatus[status] ?? 0 })),
      },
    ]),
  );
}

const monthOf = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 7);
const figures = (r: Row) => {
  const { key: _k, ...rest } = r;
  return rest;
};

async function stats(input: Record<string, unknown>, token = w.admin.token) {
  const res = await ctx.gql(STATS, { input }, token);
  return res.data?.statistics ?? res.body;
}

type G = (r: Row, ms: number) => string;
const groupings: [string[], G, (k: Row) => string, G | null][] = [
  [[], () => '', () => '', () => ''],
  [['MONTH', 'CATEGORY'], (c, ms) => `${monthOf(ms)}|${c.category}`, (k) => `${k.month}|${k.category}`, (l, ms) => `${monthOf(ms)}|${l.category}`],
  [['LEVEL'], (c) => String(c.level), (k) => String(k.level), null],
  [['CHANNEL'], (c) => String(c.channel), (k) => String(k.channel), null],
  [['ORGANIZATION'], (c) => String(c.organization_id), (k) => String(k.organization?.id ?? null), (l) => String(l.organization_id)],
  [['MEDIATOR'], (c) => String(c.mediator_id), (k) => String(k.mediator?.id ?? null), null],
  [['REGION'], (c) => c.region_code.slice(0, 9), (k) => String(k.region?.code), (l) => l.region_code.slice(0, 9)],
];

/** Every grouping of a county's period equals the direct count. */
async function expectGroupingsMatch(from: string, to: string, token = w.admin.token) {
  for (const [groupBy, groupOfCase, groupOfKey, groupOfLead] of groupings) {
    const expected = await directCount(w.county.code, from, to, groupOfCase, () => true, groupOfLead);
    const got = await stats({ regionCode: w.county.code, from, to, groupBy }, token);
    const rows: Row[] = groupBy.length ? got.rows : [got.total];
    const actual = new Map(rows.map((r) => [groupBy.length ? groupOfKey(r.key) : '', figures(r)]));
    expect(actual, groupBy.join(', ') || 'total').toEqual(expected);
  }
}

/** The rollup the triggers kept equals one rebuilt from the source rows. */
async function expectRollupMatchesRebuild() {
  const cols = sql`case_id, milestone, ref, at, value, county_code, region_code, category, level, channel, organization_id, mediator_id`;
  const [rows] = await queryRows<{ extra: number; missing: number }>(ctx.deps.db, sql`select
      (select count(*) from (select ${cols} from statistic_milestones except all select ${cols} from statistic_milestone_source) x)::int as extra,
      (select count(*) from (select ${cols} from statistic_milestone_source except all select ${cols} from statistic_milestones) x)::int as missing`);
  expect(rows).toEqual({ extra: 0, missing: 0 });
  const rebuilt = sql`
    select 0::smallint as grain, county_code as area, to_char(at at time zone 'Asia/Shanghai', 'YYYY-MM') as month, category, coalesce(level, '') as level,
           coalesce(channel, '') as channel, milestone, value, count(*)::int as n from statistic_milestones group by 2, 3, 4, 5, 6, 7, 8
    union all select 1::smallint, county_code, to_char(at at time zone 'Asia/Shanghai', 'YYYY-MM'), '', '', '', milestone, value, count(*)::int
      from statistic_milestones group by 2, 3, 7, 8
    union all select 2::smallint, substr(county_code, 1, 4) || '00', to_char(at at time zone 'Asia/Shanghai', 'YYYY-MM'), '', '', '', milestone, value, count(*)::int
      from statistic_milestones group by 2, 3, 7, 8`;
  const kept = sql`select grain, area, month, category, level, channel, milestone, value, n from statistic_counts where n <> 0`;
  const [counts] = await queryRows<{ extra: number; missing: number }>(ctx.deps.db, sql`select
      (select count(*) from ((${kept}) except all (${rebuilt})) x)::int as extra, (select count(*) from ((${rebuilt}) except all (${kept})) x)::int as missing`);
  expect(counts).toEqual({ extra: 0, missing: 0 });
  const [kinds] = await queryRows<{ n: number }>(ctx.deps.db, sql`select count(distinct grain)::int as n from statistic_counts`);
  expect(kinds!.n).toBe(3);
}

describe('statistics equal a direct count from the rows', () => {
  const period = { from: '2026-09-01', to: '2026-11-30' };

  it('has a varied data set to count', async () => {
    const total = (await stats({ regionCode: w.county.code, ...period })).total;
    // Guard: every figure is exercised by at least one case.
    for (const f of ['filed', 'refused', 'withdrawn', 'ended', 'settled', 'failed', 'settledAtVillage', 'escalated', 'overdueNow', 'confirmed', 'confirmationRejected', 'followUpsDone', 'termsChecked', 'ratings', 'leads']) {
      expect(total[f], f).toBeGreaterThan(0);
    }
    expect(total.settled).toBeGreaterThan(total.settledAtVillage);
  });

  for (const [groupBy, groupOfCase, groupOfKey, groupOfLead] of groupings) {
    it(`grouped by ${groupBy.join(', ') || 'nothing'}`, async () => {
      const expected = await directCount(w.county.code, period.from, period.to, groupOfCase, () => true, groupOfLead);
      const got = await stats({ regionCode: w.county.code, ...period, groupBy });
      const rows: Row[] = groupBy.length ? got.rows : [got.total];
      const actual = new Map(rows.map((r) => [groupBy.length ? groupOfKey(r.key) : '', figures(r)]));
      expect(actual).toEqual(expected);
    });
  }

  it('counts only the period asked for', async () => {
    const expected = await directCount(w.county.code, '2026-10-01', '2026-10-31', () => '', () => true, () => '');
    const got = await stats({ regionCode: w.county.code, from: '2026-10-01', to: '2026-10-31' });
    expect(figures(got.total)).toEqual(expected.get('')!);
    expect(got.total.settled).toBe(1);
    expect(got.total.filed).toBe(2);
  });

  it('a township narrows to its cases', async () => {
    const expected = await directCount(w.county.code, period.from, period.to, () => '', (c) => c.region_code.startsWith(w.township.code), () => '', (l) => l.region_code.startsWith(w.township.code));
    const got = await stats({ regionCode: w.township.code, ...period });
    expect(figures(got.total)).toEqual(expected.get('')!);
  });
});

describe('who sees which statistics', () => {
  it('a township centre sees its township only; a committee its own cases; a mediator theirs', async () => {
    const centre = await createOrg(ctx, w.admin.token, { kind: 'COMPREHENSIVE_CENTER', regionCode: w.township.code });
    const centreAdmin = await userWithRole(ctx, 'ORG_ADMIN', { organizationId: centre.id });
    const own = await stats({ regionCode: w.township.code, from: '2026-09-01', to: '2026-11-30' }, centreAdmin.token);
    expect(own.total.filed).toBeGreaterThan(0);
    const county = await stats({ regionCode: w.county.code, from: '2026-09-01', to: '2026-11-30' }, centreAdmin.token);
    expect(county).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });

    const committeeAdmin = await userWithRole(ctx, 'ORG_ADMIN', { organizationId: w.townshipOrg.id });
    const committee = await stats({ regionCode: w.county.code, from: '2026-09-01', to: '2026-11-30' }, committeeAdmin.token);
    const expected = await directCount(w.county.code, '2026-09-01', '2026-11-30', () => '', (c) => c.organization_id === w.townshipOrg.id, () => '', (l) => l.organization_id === w.townshipOrg.id);
    expect(figures(committee.total)).toEqual(expected.get('')!);
    expect(committee.total.settled).toBe(1);

    const [m] = await ctx.deps.db.select({ id: mediators.id }).from(mediators).where(eq(mediators.userId, w.townshipMediator.userId));
    const mine = await stats({ regionCode: '530000', from: '2026-09-01', to: '2026-11-30' }, w.townshipMediator.token);
    const mineExpected = await directCount(w.county.code, '2026-09-01', '2026-11-30', () => '', (c) => c.mediator_id === m!.id);
    expect(figures(mine.total)).toEqual(mineExpected.get('')!);
    expect(mine.total.settled).toBe(1);

    const party = await stats({ regionCode: w.county.code, from: '2026-09-01', to: '2026-11-30' }, w.applicant.token);
    expect(party).toMatchObject({ __typename: 'ForbiddenError' });
  });

  it('rejects bad input with the field named', async () => {
    expect(await stats({ regionCode: w.county.code, from: '2026-11-30', to: '2026-09-01' })).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'to' }] });
    expect(await stats({ regionCode: '539999', from: '2026-09-01', to: '2026-09-30' })).toMatchObject({ __typename: 'NotFoundError' });
    expect(await stats({ regionCode: w.village.code, from: '2026-09-01', to: '2026-09-30', groupBy: ['REGION'] })).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'groupBy' }] });
  });
});

describe('the monthly report', () => {
  it('is an XLSX with a sheet of figures per category and a sheet of open high-risk matters, in Chinese', async () => {
    const res = await request(ctx.app).get(`/reports/monthly?region=${w.county.code}&month=2026-10`).set('authorization', `Bearer ${w.admin.token}`).buffer(true)
      .parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); });
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ArrayBuffer);
    const figures = book.getWorksheet('统计数据')!;
    expect(figures.getCell('A2').value).toBe('纠纷类型');
    expect(figures.getCell('B2').value).toBe('受理');
    expect(figures.getCell('F2').value).toBe('调解成功');
    const october = (await stats({ regionCode: w.county.code, from: '2026-10-01', to: '2026-10-31', groupBy: ['CATEGORY'] }));
    const last = figures.getRow(figures.rowCount);
    expect(last.getCell(1).value).toBe('合计');
    expect(last.getCell(2).value).toBe(october.total.filed);
    expect(last.getCell(6).value).toBe(october.total.settled);
    const family = october.rows.find((r: Row) => r.key.category === 'FAMILY');
    const familyRow = figures.getRows(3, figures.rowCount - 2)!.find((r) => r.getCell(1).value === '家庭纠纷')!;
    expect(familyRow.getCell(6).value).toBe(family.settled);
    expect(book.getWorksheet('高风险未结事项')!.getCell('A1').value).toBe('案号');
  });

  it('is also a PDF in the agreements’ type with the same figures and a bar per category', async () => {
    const res = await request(ctx.app).get(`/reports/monthly?region=${w.county.code}&month=2026-10&format=pdf`).set('authorization', `Bearer ${w.admin.token}`).buffer(true)
      .parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const bytes = res.body as Buffer;
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(doc.getTitle()).toBe(`${w.county.name}矛盾纠纷化解月报`);
    const october = await stats({ regionCode: w.county.code, from: '2026-10-01', to: '2026-10-31', groupBy: ['CATEGORY'] });
    if (!poppler) return;
    const scratch = new Scratch('monthly-');
    try {
      const text = squeeze(run('pdftotext', [scratch.save(bytes), '-']));
      expect(text).toContain(`本月受理纠纷${october.total.filed}件，调解成功${october.total.settled}件，调解不成${october.total.failed}件`);
      for (const r of october.rows) expect(text).toContain(CATEGORY_LABELS[r.key.category as DisputeCategory]);
    } finally {
      scratch.cleanup();
    }
    const bad = await request(ctx.app).get(`/reports/monthly?region=${w.county.code}&month=2026-10&format=doc`).set('authorization', `Bearer ${w.admin.token}`);
    expect(bad.status).toBe(400);
  });

  it('names a bad month and refuses a party', async () => {
    const bad = await request(ctx.app).get(`/reports/monthly?region=${w.county.code}&month=2026-13`).set('authorization', `Bearer ${w.admin.token}`);
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].field).toBe('month');
    const party = await request(ctx.app).get(`/reports/monthly?region=${w.county.code}&month=2026-10`).set('authorization', `Bearer ${w.applicant.token}`);
    expect(party.status).toBe(403);
  });
});

describe('the rollup kept by the database', () => {
  it('keeps deadlines of exactly the open statuses', async () => {
    const [view] = await queryRows<{ def: string }>(ctx.deps.db, sql`select pg_get_viewdef('statistic_milestone_source'::regclass) as def`);
    const listed = [...view!.def.matchAll(/'([A-Z_]+)'::case_status/g)].map((m) => m[1]).sort();
    expect(listed).toEqual([...OVERDUE_STATUSES].sort());
  });

  it('follows a transfer that changes organisation and level after the filing was counted', async () => {
    ctx.clock.set(at('2026-11-26T02:00:00Z'));
    const c = await fileAndConsent(ctx, w);
    const caseId = Buffer.from(c.id, 'base64').toString().split(':')[1]!;
    const [filedRow] = await queryRows<{ organization_id: string; level: string }>(ctx.deps.db,
      sql`select organization_id::text, level from statistic_milestones where case_id = ${caseId} and milestone = 'filed'`);
    expect(filedRow!.level).toBe('VILLAGE');
    const moved = await ctx.gql(TRANSFER, { input: { caseId: c.id, organizationId: w.townshipOrg.globalId, reason: '转至司法所调解' } }, w.admin.token);
    expect(moved.data.transferCase, JSON.stringify(moved.body)).toMatchObject({ case: { level: 'TOWNSHIP', organization: { id: w.townshipOrg.globalId } } });
    const after = await queryRows<{ organization_id: string; level: string; milestone: string }>(ctx.deps.db,
      sql`select organization_id::text, level, milestone from statistic_milestones where case_id = ${caseId} order by milestone`);
    expect(after.map((r) => r.milestone)).toContain('filed');
    for (const r of after) expect(r).toMatchObject({ level: 'TOWNSHIP' });
    expect(after[0]!.organization_id).not.toBe(filedRow!.organization_id);
    await expectGroupingsMatch('2026-09-01', '2026-11-30');
    await expectRollupMatchesRebuild();
  });

  it('counts deadlines of past months as overdue from the monthly counts, and this month from the rows', async () => {
    ctx.clock.set(at('2026-12-02T02:00:00Z'));
    const { token } = await loginAs(ctx, w.admin.phone);
    const got = await stats({ regionCode: w.county.code, from: '2026-09-01', to: '2026-12-31' }, token);
    if (!got.total) throw new Error(JSON.stringify(got));
    expect(got.total.overdueNow).toBeGreaterThan(0);
    await expectGroupingsMatch('2026-09-01', '2026-12-31', token);
    // A part of a month reads the milestone rows: the same figures.
    await expectGroupingsMatch('2026-09-02', '2026-12-31', token);
    await expectRollupMatchesRebuild();
  });
});
