import { and, eq, gte, like, lte } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disputeLeads, events, screeningReports } from '../../schema';
import { markOverdueScreeningReports } from '../../server/domain/screening/mark-overdue-reports';
import { localId } from '../../server/graphql/ids';
import { createCaseWorld, relogin, type CaseWorld } from '../support/case-world';
import { createTestContext, makeIdNumber, uniquePhone, type TestContext } from '../support/harness';
import { CONVERT, LEAD_OUTCOME, RECORD_LEAD, SUBMIT_REPORT, governanceStaff, ok, secondVillage } from '../support/governance';

let ctx: TestContext;
let w: CaseWorld;
let staff: Awaited<ReturnType<typeof governanceStaff>>;
let village2: Awaited<ReturnType<typeof secondVillage>>;

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.set('2026-11-23T02:00:00Z'); // Monday of 2026-W48, 10:00 China time
  w = await createCaseWorld(ctx, { villageMediators: 1 });
  staff = await governanceStaff(ctx, w);
  village2 = await secondVillage(ctx, w);
});
afterAll(async () => ctx?.close());

/** Sessions expire: after moving the clock by days, everyone logs in again. */
async function recordLead(token: string, extra: Record<string, unknown> = {}) {
  return ok(
    await ctx.gql(
      RECORD_LEAD,
      {
        input: {
          regionCode: w.village.code,
          category: 'NEIGHBOR',
          people: [
            { name: '王大海', phone: uniquePhone(), idNumber: makeIdNumber() },
            { name: '赵小林', phone: uniquePhone() },
          ],
          description: '两户因宅基地边界石移动发生口角，需尽快调处。',
          source: 'VISIT',
          address: '三组12号',
          foundOn: '2026-11-20',
          ...extra,
        },
      },
      token,
    ),
  ).lead;
}

describe('screening ledger: what becomes of a lead', () => {
  it('a lead resolved on the spot keeps the record of who agreed to what, as an audit event', async () => {
    const lead = await recordLead(staff.gridWorker.token);
    expect(lead).toMatchObject({ status: 'OPEN', riskLevel: 'LOW', regionCode: w.village.code, foundOn: '2026-11-20', source: 'VISIT' });
    expect(lead.people[0].idNumber).toMatch(/^\d{4}\*+\w{4}$/);
    const r = ok(await ctx.gql(LEAD_OUTCOME, { input: { leadId: lead.id, outcome: 'RESOLVED_ON_SPOT', resolution: '双方同意将界石恢复原位，王大海赔礼道歉。' } }, staff.gridWorker.token));
    expect(r.lead).toMatchObject({ status: 'RESOLVED_ON_SPOT', resolution: '双方同意将界石恢复原位，王大海赔礼道歉。' });
    const evs = await ctx.deps.db.select().from(events).where(and(eq(events.subjectType, 'lead'), eq(events.subjectId, localId(lead.id, 'DisputeLead', 'id'))));
    expect(evs.map((e) => e.type)).toEqual(['lead.recorded', 'lead.resolved_on_spot']);
    // An outcome is recorded once.
    const again = (await ctx.gql(LEAD_OUTCOME, { input: { leadId: lead.id, outcome: 'REFERRED', referredTo: '派出所', reason: '再次争吵' } }, staff.gridWorker.token)).data.recordLeadOutcome;
    expect(again.code).toBe('INVALID_TRANSITION');
  });

  it('a converted lead becomes a case that keeps the link, and its respondent must still consent', async () => {
    const lead = await recordLead(staff.gridWorker.token);
    const r = ok(await ctx.gql(CONVERT, { input: { leadId: lead.id } }, staff.gridWorker.token));
    expect(r.case).toMatchObject({ status: 'AWAITING_RESPONDENT', filedVia: 'SCREENING' });
    expect(r.case.parties.map((p: any) => [p.role, p.name, p.consent])).toEqual([
      ['APPLICANT', '王大海', 'ACCEPTED'],
      ['RESPONDENT', '赵小林', 'PENDING'],
    ]);
    expect(r.lead).toMatchObject({ status: 'CONVERTED', case: { id: r.case.id } });
    const back = await ctx.gql(`query($id: ID!) { case(id: $id) { lead { id status } } }`, { id: r.case.id }, staff.gridWorker.token);
    expect(back.data.case.lead).toEqual({ id: lead.id, status: 'CONVERTED' });
    // A lead without phone numbers cannot become a case: nobody could be invited.
    const noPhone = await recordLead(staff.gridWorker.token, { people: [{ name: '甲' }, { name: '乙', phone: uniquePhone() }] });
    const refused = (await ctx.gql(CONVERT, { input: { leadId: noPhone.id } }, staff.gridWorker.token)).data.convertLeadToCase;
    expect(refused).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'people.0.phone' }] });
  });

  it('a referred lead names the receiver and the reason', async () => {
    const lead = await recordLead(staff.villageAdmin.token, { category: 'LABOR', source: 'HOTLINE', description: '村民反映在工地务工三个月未领到工资。' });
    const r = ok(await ctx.gql(LEAD_OUTCOME, { input: { leadId: lead.id, outcome: 'REFERRED', referredTo: '县人社局劳动保障监察大队', reason: '欠薪属劳动监察职责' } }, staff.villageAdmin.token));
    expect(r.lead).toMatchObject({ status: 'REFERRED', referredTo: '县人社局劳动保障监察大队', referralReason: '欠薪属劳动监察职责' });
  });

  it('a high-risk lead under watch has a named person and a review date, and alerts the police liaison', async () => {
    const lead = await recordLead(staff.gridWorker.token, { category: 'MARRIAGE', description: '丈夫酒后扬言要杀了她，妻子已回娘家，双方闹离婚。', source: 'SELF_REPORT' });
    expect(lead.riskLevel).toBe('HIGH');
    const bad = (await ctx.gql(LEAD_OUTCOME, { input: { leadId: lead.id, outcome: 'UNDER_WATCH', watchPersonName: '村支书李明', reviewDate: '2026-11-01' } }, staff.gridWorker.token)).data.recordLeadOutcome;
    expect(bad).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'reviewDate' }] });
    const r = ok(await ctx.gql(LEAD_OUTCOME, { input: { leadId: lead.id, outcome: 'UNDER_WATCH', watchPersonName: '村支书李明', reviewDate: '2026-12-07', measures: '每周上门一次，联系派出所' } }, staff.gridWorker.token));
    expect(r.lead).toMatchObject({ status: 'UNDER_WATCH', watchPersonName: '村支书李明', watchReviewDate: '2026-12-07', watchMeasures: '每周上门一次，联系派出所' });
  });

  it('another village’s grid worker does not see the lead; a party may not keep the ledger; bad input names the field', async () => {
    const lead = await recordLead(staff.gridWorker.token);
    const other = (await ctx.gql(LEAD_OUTCOME, { input: { leadId: lead.id, outcome: 'RESOLVED_ON_SPOT', resolution: '双方已和好如初。' } }, village2.gridWorker.token)).data.recordLeadOutcome;
    expect(other.code).toBe('NOT_FOUND');
    const seenByTownship = await ctx.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: lead.id }, staff.townshipAdmin.token);
    expect(seenByTownship.data.node).toEqual({ id: lead.id });
    const seenByOther = await ctx.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: lead.id }, village2.gridWorker.token);
    expect(seenByOther.data.node).toBeNull();
    const party = (await ctx.gql(RECORD_LEAD, { input: { regionCode: w.village.code, category: 'NEIGHBOR', people: [{ name: '甲' }], description: '邻里口角纠纷', source: 'VISIT' } }, w.applicant.token)).data.recordDisputeLead;
    expect(party.code).toBe('FORBIDDEN');
    const badRegion = (await ctx.gql(RECORD_LEAD, { input: { regionCode: '999999999999', category: 'NEIGHBOR', people: [{ name: '甲' }], description: '邻里口角纠纷', source: 'VISIT' } }, staff.gridWorker.token)).data.recordDisputeLead;
    expect(badRegion).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'regionCode' }] });
    const outside = (await ctx.gql(RECORD_LEAD, { input: { regionCode: village2.code, category: 'NEIGHBOR', people: [{ name: '甲' }], description: '邻里口角纠纷', source: 'VISIT' } }, staff.gridWorker.token)).data.recordDisputeLead;
    expect(outside.code).toBe('NOT_FOUND');
  });
});

describe('weekly screening reports', () => {
  it('a 零报告 is accepted; a missing report becomes overdue after its due date and the township sees it', async () => {
    ctx.clock.set('2026-11-25T02:00:00Z');
    const zero = ok(await ctx.gql(SUBMIT_REPORT, { input: { regionCode: w.village.code, week: '2026-W48', nothingFound: true } }, staff.gridWorker.token));
    expect(zero.report).toMatchObject({ status: 'SUBMITTED', nothingFound: true, leadCount: 0, late: false });
    const twice = (await ctx.gql(SUBMIT_REPORT, { input: { regionCode: w.village.code, week: '2026-W48', nothingFound: true } }, staff.gridWorker.token)).data.submitScreeningReport;
    expect(twice.code).toBe('CONFLICT');
    const empty = (await ctx.gql(SUBMIT_REPORT, { input: { regionCode: w.village.code, week: '2026-W47' } }, staff.gridWorker.token)).data.submitScreeningReport;
    expect(empty).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'leadIds' }] });

    const REPORTS = `query($r: String!, $w: String) { screeningReports(regionCode: $r, week: $w) { regionCode week status late nothingFound } }`;
    // W48 ends Sunday 11-29; its report is due by the end of Monday 11-30 (China time).
    ctx.clock.set('2026-11-30T15:59:00Z');
    await relogin(ctx, ...Object.values(staff), village2.gridWorker);
    await markOverdueScreeningReports(ctx.deps);
    let listed = (await ctx.gql(REPORTS, { r: w.township.code, w: '2026-W48' }, staff.townshipAdmin.token)).data.screeningReports;
    expect(listed.find((r: any) => r.regionCode === village2.code)).toBeUndefined();

    ctx.clock.set('2026-12-01T02:00:00Z');
    await relogin(ctx, ...Object.values(staff), village2.gridWorker);
    const run = await markOverdueScreeningReports(ctx.deps);
    expect(run.failed).toBe(0);
    listed = (await ctx.gql(REPORTS, { r: w.township.code, w: '2026-W48' }, staff.townshipAdmin.token)).data.screeningReports;
    expect(listed).toEqual([
      { regionCode: w.village.code, week: '2026-W48', status: 'SUBMITTED', late: false, nothingFound: true },
      { regionCode: village2.code, week: '2026-W48', status: 'OVERDUE', late: false, nothingFound: false },
    ].sort((a, b) => a.regionCode.localeCompare(b.regionCode)));
    // The village's own grid worker sees its row only; the other village's does not see this one.
    const own = (await ctx.gql(REPORTS, { r: w.township.code, w: '2026-W48' }, village2.gridWorker.token)).data.screeningReports;
    expect(own.map((r: any) => r.regionCode)).toEqual([village2.code]);
    // Running again changes nothing.
    await markOverdueScreeningReports(ctx.deps);
    const rows = await ctx.deps.db.select().from(screeningReports).where(and(eq(screeningReports.regionCode, village2.code), eq(screeningReports.week, '2026-W48')));
    expect(rows).toHaveLength(1);

    const late = ok(await ctx.gql(SUBMIT_REPORT, { input: { regionCode: village2.code, week: '2026-W48', nothingFound: true, note: '补报' } }, village2.gridWorker.token));
    expect(late.report).toMatchObject({ status: 'SUBMITTED', late: true });
  });
});

describe('monthly summary (月汇总)', () => {
  it('counts the month’s leads by category, risk, source and outcome as the rows say; a county sees its townships', async () => {
    ctx.clock.set('2026-12-01T02:00:00Z');
    // One lead in the second village and one in December, which November must not count.
    await recordLead(village2.gridWorker.token, { regionCode: village2.code, category: 'DEBT', source: 'PETITION', description: '借款到期未还，出借人多次上门催讨发生争执。' });
    await recordLead(staff.gridWorker.token, { foundOn: '2026-12-01' });
    const SUMMARY = `query($r: String!, $m: String!) { screeningSummary(regionCode: $r, month: $m) {
      regionCode month total reportsSubmitted reportsOverdue
      byCategory { key count } byRiskLevel { key count } bySource { key count } byStatus { key count }
      byArea { regionCode total highRisk open reportsSubmitted reportsOverdue } openHighRisk { id status riskLevel } } }`;
    const s = (await ctx.gql(SUMMARY, { r: w.township.code, m: '2026-11' }, staff.townshipAdmin.token)).data.screeningSummary;

    const rows = await ctx.deps.db
      .select()
      .from(disputeLeads)
      .where(and(like(disputeLeads.regionCode, `${w.township.code}%`), gte(disputeLeads.foundOn, '2026-11-01'), lte(disputeLeads.foundOn, '2026-11-30')));
    // Six leads in the first village in November (one recorded in December is not counted), one in the second.
    expect(rows.length).toBe(7);
    expect(s.total).toBe(rows.length);
    const count = (pick: (r: (typeof rows)[number]) => string) => {
      const m: Record<string, number> = {};
      for (const r of rows) m[pick(r)] = (m[pick(r)] ?? 0) + 1;
      return m;
    };
    const asMap = (list: { key: string; count: number }[]) => Object.fromEntries(list.map((c) => [c.key, c.count]));
    expect(asMap(s.byCategory)).toEqual(count((r) => r.category));
    expect(asMap(s.byRiskLevel)).toEqual(count((r) => r.riskLevel));
    expect(asMap(s.bySource)).toEqual(count((r) => r.source));
    expect(asMap(s.byStatus)).toEqual(count((r) => r.status));
    // The figures this file created: 2 resolved-or-converted… checked by status names too.
    expect(asMap(s.byStatus)).toMatchObject({ RESOLVED_ON_SPOT: 1, CONVERTED: 1, REFERRED: 1, UNDER_WATCH: 1 });
    const highOpen = rows.filter((r) => r.riskLevel === 'HIGH' && ['OPEN', 'UNDER_WATCH'].includes(r.status));
    expect(s.openHighRisk.map((l: any) => localId(l.id, 'DisputeLead', 'id')).sort()).toEqual(highOpen.map((r) => r.id).sort());
    const v1 = s.byArea.find((a: any) => a.regionCode === w.village.code);
    const v2 = s.byArea.find((a: any) => a.regionCode === village2.code);
    expect(v1.total).toBe(rows.filter((r) => r.regionCode === w.village.code).length);
    expect(v2.total).toBe(1);
    // Reports whose week starts in November: W47 overdue for both villages, W48 submitted for both.
    const reports = await ctx.deps.db.select().from(screeningReports).where(and(like(screeningReports.regionCode, `${w.township.code}%`), gte(screeningReports.weekStart, '2026-11-01'), lte(screeningReports.weekStart, '2026-11-30')));
    expect(s.reportsSubmitted).toBe(reports.filter((r) => r.status === 'SUBMITTED').length);
    expect(s.reportsOverdue).toBe(reports.filter((r) => r.status === 'OVERDUE').length);
    expect(v2.reportsSubmitted).toBe(1);

    const county = (await ctx.gql(SUMMARY, { r: w.county.code, m: '2026-11' }, staff.countyAdmin.token)).data.screeningSummary;
    expect(county.byArea.every((a: any) => a.regionCode.length === 9)).toBe(true);
    expect(county.byArea.find((a: any) => a.regionCode === w.township.code).total).toBe(rows.length);
    // A township does not see its county's summary; a village grid worker sees its own village only.
    const up = await ctx.gql(SUMMARY, { r: w.county.code, m: '2026-11' }, staff.townshipAdmin.token);
    expect(up.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const bad = await ctx.gql(SUMMARY, { r: w.township.code, m: '2026-13' }, staff.townshipAdmin.token);
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });
});
