import { and, desc, eq, inArray, like, type SQL } from 'drizzle-orm';
import { disputeLeads } from '../../schema';
import { visibleLeads, type LeadRow } from '../domain/access/lead';
import { groupedLoader, regionScope } from './batch';
import type { CaseRow } from '../domain/cases/case-access';
import { convertLeadToCase } from '../domain/screening/convert-lead-to-case';
import { recordDisputeLead } from '../domain/screening/record-dispute-lead';
import { recordLeadOutcome, type RecordLeadOutcomeInput } from '../domain/screening/record-lead-outcome';
import { screeningSummary, type ScreeningSummary } from '../domain/screening/screening-summary';
import { LEAD_SOURCES, LEAD_STATUSES } from '../domain/screening/types';
import { ValidationError } from '../domain/errors';
import { builder } from './builder';
import { CaseRef, RiskLevelEnum } from './case';
import type { GraphQLContext } from './context';
import { localId, optionalLocalId } from './ids';
import { newestFirstConnection, olderThanCursor, pageSize } from './keyset';
import { DisputeCategoryEnum } from './organization';

export const LeadSourceEnum = builder.enumType('LeadSource', { values: LEAD_SOURCES });
export const LeadStatusEnum = builder.enumType('LeadStatus', {
  description: 'OPEN until an outcome: RESOLVED_ON_SPOT (口头调解), CONVERTED (a case), REFERRED (another body), UNDER_WATCH (包保).',
  values: LEAD_STATUSES,
});
const LeadOutcomeEnum = builder.enumType('LeadOutcome', { values: ['RESOLVED_ON_SPOT', 'REFERRED', 'UNDER_WATCH'] as const });

/** Leads load through the ledger's visibility rule: one outside the viewer's area does not exist for them. */
export const LeadRef = builder.loadableNodeRef('DisputeLead', {
  id: { resolve: (l: LeadRow) => l.id },
  load: async (ids: string[], ctx: GraphQLContext) => {
    const scope = await regionScope(ctx);
    const rows = await ctx.deps.db.select().from(disputeLeads).where(and(inArray(disputeLeads.id, ids), visibleLeads(ctx.viewer, scope)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null) as LeadRow[];
  },
});

const LeadPersonRef = builder.objectRef<LeadRow['people'][number]>('LeadPerson').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    phone: t.exposeString('phone', { nullable: true }),
    idNumber: t.string({ nullable: true, description: 'Masked: the ledger never shows ID numbers in full.', resolve: (p) => p.idNumberMasked }),
  }),
});

const RiskSignalOfLead = builder.objectRef<LeadRow['riskSignals'][number]>('LeadRiskSignal').implement({
  fields: (t) => ({ code: t.exposeString('code'), label: t.exposeString('label'), evidence: t.exposeString('evidence') }),
});

LeadRef.implement({
  description: '矛盾纠纷排查台账: a dispute found on the ground, and what became of it.',
  fields: (t) => ({
    regionCode: t.exposeString('regionCode'),
    address: t.exposeString('address', { nullable: true }),
    category: t.field({ type: DisputeCategoryEnum, resolve: (l) => l.category }),
    people: t.field({ type: [LeadPersonRef], resolve: (l) => l.people }),
    description: t.exposeString('description'),
    source: t.field({ type: LeadSourceEnum, resolve: (l) => l.source }),
    riskLevel: t.field({ type: RiskLevelEnum, resolve: (l) => l.riskLevel }),
    riskSignals: t.field({ type: [RiskSignalOfLead], resolve: (l) => l.riskSignals }),
    foundOn: t.field({ type: 'Date', resolve: (l) => l.foundOn }),
    status: t.field({ type: LeadStatusEnum, resolve: (l) => l.status }),
    resolution: t.exposeString('resolution', { nullable: true }),
    case: t.field({ type: CaseRef, nullable: true, description: 'The case it was converted into (when visible).', resolve: (l) => l.caseId }),
    referredTo: t.exposeString('referredTo', { nullable: true }),
    referralReason: t.exposeString('referralReason', { nullable: true }),
    watchPersonName: t.exposeString('watchPersonName', { nullable: true }),
    watchReviewDate: t.field({ type: 'Date', nullable: true, resolve: (l) => l.watchReviewDate }),
    watchMeasures: t.exposeString('watchMeasures', { nullable: true }),
    outcomeAt: t.field({ type: 'DateTime', nullable: true, resolve: (l) => l.outcomeAt }),
    createdAt: t.field({ type: 'DateTime', resolve: (l) => l.createdAt }),
  }),
});

/** The leads of a page of cases the viewer may see, in one query. */
const leadsByCase = groupedLoader(
  async (ctx, caseIds) => ctx.deps.db.select().from(disputeLeads).where(and(inArray(disputeLeads.caseId, caseIds), visibleLeads(ctx.viewer, await regionScope(ctx)))),
  (l) => l.caseId!,
);

builder.objectFields(CaseRef, (t) => ({
  lead: t.field({
    type: LeadRef,
    nullable: true,
    description: 'The screening lead this case was converted from, for those who see the ledger.',
    resolve: async (c: CaseRow, _a, ctx) => (await leadsByCase(ctx).load(c.id))[0] ?? null,
  }),
}));

const CountRef = builder.objectRef<{ key: string; count: number }>('SummaryCount').implement({
  fields: (t) => ({ key: t.exposeString('key'), count: t.exposeInt('count') }),
});
const AreaCountRef = builder.objectRef<ScreeningSummary['byArea'][number]>('ScreeningAreaCount').implement({
  fields: (t) => ({
    regionCode: t.exposeString('regionCode'),
    name: t.exposeString('name'),
    total: t.exposeInt('total'),
    highRisk: t.exposeInt('highRisk'),
    open: t.exposeInt('open'),
    reportsSubmitted: t.exposeInt('reportsSubmitted'),
    reportsOverdue: t.exposeInt('reportsOverdue'),
  }),
});
const SummaryRef = builder.objectRef<ScreeningSummary>('ScreeningSummary').implement({
  description: '月汇总: leads of a region and month by category, risk, source and outcome; 月研判 input.',
  fields: (t) => ({
    regionCode: t.exposeString('regionCode'),
    month: t.exposeString('month'),
    total: t.exposeInt('total'),
    byCategory: t.field({ type: [CountRef], resolve: (s) => s.byCategory }),
    byRiskLevel: t.field({ type: [CountRef], resolve: (s) => s.byRiskLevel }),
    bySource: t.field({ type: [CountRef], resolve: (s) => s.bySource }),
    byStatus: t.field({ type: [CountRef], description: 'By outcome (LeadStatus).', resolve: (s) => s.byStatus }),
    byArea: t.field({ type: [AreaCountRef], description: 'A county: its townships; a township: its villages.', resolve: (s) => s.byArea }),
    openHighRisk: t.field({ type: [LeadRef], resolve: (s) => s.openHighRisk }),
    reportsSubmitted: t.exposeInt('reportsSubmitted'),
    reportsOverdue: t.exposeInt('reportsOverdue'),
  }),
});

const LeadConnection = builder.connectionObject({ type: LeadRef, name: 'DisputeLeadConnection' });

builder.queryFields((t) => ({
  screeningSummary: t.field({
    type: SummaryRef,
    authScopes: { staff: true },
    args: { regionCode: t.arg.string({ required: true }), month: t.arg.string({ required: true, description: 'YYYY-MM' }) },
    resolve: (_p, args, ctx) => screeningSummary(ctx.deps, ctx.actor, { regionCode: args.regionCode, month: args.month }),
  }),
  disputeLeads: t.field({
    type: LeadConnection,
    authScopes: { staff: true },
    description: 'The screening ledger of the viewer’s area, newest first.',
    args: {
      regionCode: t.arg.string(),
      status: t.arg({ type: [LeadStatusEnum] }),
      riskLevel: t.arg({ type: RiskLevelEnum }),
      first: t.arg.int({ defaultValue: 20 }),
      after: t.arg.string(),
    },
    resolve: async (_p, args, ctx) => {
      const first = pageSize(args.first);
      const scope = await regionScope(ctx);
      const where: (SQL | undefined)[] = [visibleLeads(ctx.viewer, scope)];
      if (args.regionCode) {
        if (!/^\d{6,12}$/.test(args.regionCode)) throw ValidationError.field('regionCode', 'must be a division code');
        where.push(like(disputeLeads.regionCode, `${args.regionCode}%`));
      }
      if (args.status?.length) where.push(inArray(disputeLeads.status, args.status));
      if (args.riskLevel) where.push(eq(disputeLeads.riskLevel, args.riskLevel));
      where.push(olderThanCursor(disputeLeads, args.after));
      const rows = await ctx.deps.db
        .select()
        .from(disputeLeads)
        .where(and(...where))
        .orderBy(desc(disputeLeads.createdAt), desc(disputeLeads.id))
        .limit(first + 1);
      return newestFirstConnection(rows, first, args.after);
    },
  }),
}));

const LeadPersonInput = builder.inputType('LeadPersonInput', {
  fields: (t) => ({ name: t.string({ required: true }), phone: t.string(), idNumber: t.string() }),
});
const RecordLeadInput = builder.inputType('RecordDisputeLeadInput', {
  fields: (t) => ({
    regionCode: t.string({ required: true, description: 'Where it was found, down to the village (12 digits) when known.' }),
    category: t.field({ type: DisputeCategoryEnum, required: true }),
    people: t.field({ type: [LeadPersonInput], required: true }),
    description: t.string({ required: true }),
    source: t.field({ type: LeadSourceEnum, required: true }),
    address: t.string(),
    foundOn: t.field({ type: 'Date', description: 'Default: today.' }),
  }),
});
const OutcomeInput = builder.inputType('RecordLeadOutcomeInput', {
  fields: (t) => ({
    leadId: t.id({ required: true }),
    outcome: t.field({ type: LeadOutcomeEnum, required: true }),
    resolution: t.string({ description: 'RESOLVED_ON_SPOT: who agreed to what.' }),
    referredTo: t.string({ description: 'REFERRED: the receiving body (police station, labour inspectorate, court…).' }),
    reason: t.string({ description: 'REFERRED: why.' }),
    watchPersonName: t.string({ description: 'UNDER_WATCH: the person who keeps watch (包保责任人).' }),
    watchUserId: t.id({ description: 'UNDER_WATCH: their account, if they have one.' }),
    reviewDate: t.field({ type: 'Date', description: 'UNDER_WATCH: when the matter is reviewed.' }),
    measures: t.string({ description: 'UNDER_WATCH: 一事一策 — the measures.' }),
  }),
});
const ConvertInput = builder.inputType('ConvertLeadToCaseInput', {
  fields: (t) => ({
    leadId: t.id({ required: true }),
    applicantIndex: t.int({ description: 'Which person of the lead applies (default the first); the others respond.' }),
    title: t.string(),
  }),
});
const leadSuccess = (name: string) =>
  builder.objectRef<{ lead: LeadRow }>(name).implement({ fields: (t) => ({ lead: t.field({ type: LeadRef, resolve: (p) => p.lead }) }) });

builder.mutationFields((t) => ({
  recordDisputeLead: t.field({
    type: leadSuccess('RecordDisputeLeadSuccess'),
    errors: { union: { name: 'RecordDisputeLeadResult' } },
    authScopes: { staff: true },
    args: { input: t.arg({ type: RecordLeadInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ lead: await recordDisputeLead(ctx.deps, ctx.actor, input) }),
  }),
  recordLeadOutcome: t.field({
    type: leadSuccess('RecordLeadOutcomeSuccess'),
    errors: { union: { name: 'RecordLeadOutcomeResult' } },
    authScopes: { staff: true },
    args: { input: t.arg({ type: OutcomeInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      lead: await recordLeadOutcome(ctx.deps, ctx.actor, {
        ...input,
        leadId: localId(String(input.leadId), 'DisputeLead', 'leadId'),
        watchUserId: optionalLocalId(input.watchUserId ? String(input.watchUserId) : null, 'User', 'watchUserId'),
      } as RecordLeadOutcomeInput),
    }),
  }),
  convertLeadToCase: t.field({
    type: builder.objectRef<{ case: CaseRow; lead: LeadRow | null }>('ConvertLeadToCaseSuccess').implement({
      fields: (f) => ({
        case: f.field({ type: CaseRef, resolve: (p) => p.case }),
        lead: f.field({ type: LeadRef, nullable: true, resolve: (p) => p.lead }),
      }),
    }),
    errors: { union: { name: 'ConvertLeadToCaseResult' } },
    authScopes: { staff: true },
    args: { input: t.arg({ type: ConvertInput, required: true }) },
    resolve: async (_p, { input }, ctx) => {
      const leadId = localId(String(input.leadId), 'DisputeLead', 'leadId');
      const created = await convertLeadToCase(ctx.deps, ctx.actor, { leadId, applicantIndex: input.applicantIndex, title: input.title });
      const [lead] = await ctx.deps.db.select().from(disputeLeads).where(eq(disputeLeads.id, leadId));
      return { case: created, lead: lead ?? null };
    },
  }),
}));
