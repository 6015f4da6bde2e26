import { computeStatistics, STATISTICS_GROUPS, type StatisticsRow, type StatisticsResult } from '../domain/statistics/compute-statistics';
import { builder } from './builder';

export const StatisticsGroupEnum = builder.enumType('StatisticsGroup', {
  values: STATISTICS_GROUPS,
  description: 'REGION groups by the division one level below the one asked for.',
});

const NamedRef = builder.objectRef<{ id: string; name: string }>('StatisticsNamed').implement({
  fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name') }),
});
const RegionKeyRef = builder.objectRef<{ code: string; name: string }>('StatisticsRegion').implement({
  fields: (t) => ({ code: t.exposeString('code'), name: t.exposeString('name') }),
});

const KeyRef = builder.objectRef<StatisticsRow['key']>('StatisticsKey').implement({
  description: 'The group a row counts; fields not grouped by are null.',
  fields: (t) => ({
    region: t.field({ type: RegionKeyRef, nullable: true, resolve: (k) => k.region }),
    month: t.exposeString('month', { nullable: true, description: 'YYYY-MM (China time) of each milestone counted.' }),
    level: t.exposeString('level', { nullable: true }),
    channel: t.exposeString('channel', { nullable: true }),
    category: t.exposeString('category', { nullable: true }),
    organization: t.field({ type: NamedRef, nullable: true, resolve: (k) => k.organization }),
    mediator: t.field({ type: NamedRef, nullable: true, resolve: (k) => k.mediator }),
  }),
});

const LeadOutcomeRef = builder.objectRef<{ status: string; count: number }>('StatisticsLeadOutcome').implement({
  fields: (t) => ({ status: t.exposeString('status'), count: t.exposeInt('count') }),
});

const RowRef = builder.objectRef<StatisticsRow>('StatisticsRow').implement({
  description: 'Milestones whose instant falls in the period; overdueNow is the current state.',
  fields: (t) => ({
    key: t.field({ type: KeyRef, resolve: (r) => r.key }),
    filed: t.exposeInt('filed'),
    refused: t.exposeInt('refused'),
    withdrawn: t.exposeInt('withdrawn'),
    ended: t.exposeInt('ended', { description: 'Mediated to an end: settled or failed.' }),
    settled: t.exposeInt('settled'),
    failed: t.exposeInt('failed'),
    successRate: t.exposeFloat('successRate', { nullable: true, description: 'settled / ended.' }),
    settledAtVillage: t.exposeInt('settledAtVillage'),
    villageShare: t.exposeFloat('villageShare', { nullable: true, description: '小事不出村: settled at village level / settled.' }),
    escalated: t.exposeInt('escalated', { description: 'Cases ended in the period that were escalated at least once.' }),
    escalatedShare: t.exposeFloat('escalatedShare', { nullable: true, description: 'escalated / ended.' }),
    medianDaysToSettle: t.exposeFloat('medianDaysToSettle', { nullable: true }),
    p90DaysToSettle: t.exposeFloat('p90DaysToSettle', { nullable: true }),
    overdueNow: t.exposeInt('overdueNow'),
    confirmed: t.exposeInt('confirmed', { description: 'Agreements confirmed by a court.' }),
    confirmationRejected: t.exposeInt('confirmationRejected'),
    followUpsDone: t.exposeInt('followUpsDone', { description: '回访 recorded in the period.' }),
    termsChecked: t.exposeInt('termsChecked', { description: 'Agreement terms found due at those follow-ups.' }),
    fullyPerformedRate: t.exposeFloat('fullyPerformedRate', { nullable: true }),
    partlyPerformedRate: t.exposeFloat('partlyPerformedRate', { nullable: true }),
    notPerformedRate: t.exposeFloat('notPerformedRate', { nullable: true }),
    ratings: t.exposeInt('ratings'),
    meanSatisfaction: t.exposeFloat('meanSatisfaction', { nullable: true, description: 'Mean score (1–5) of the ratings given in the period.' }),
    leads: t.exposeInt('leads', { description: 'Dispute leads found in the period (not split by level, channel or mediator).' }),
    leadOutcomes: t.field({ type: [LeadOutcomeRef], resolve: (r) => r.leadOutcomes }),
  }),
});

const ResultRef = builder.objectRef<StatisticsResult>('Statistics').implement({
  fields: (t) => ({
    regionCode: t.exposeString('regionCode'),
    from: t.field({ type: 'Date', resolve: (r) => r.from }),
    to: t.field({ type: 'Date', resolve: (r) => r.to }),
    groupBy: t.field({ type: [StatisticsGroupEnum], resolve: (r) => r.groupBy }),
    total: t.field({ type: RowRef, resolve: (r) => r.total }),
    rows: t.field({ type: [RowRef], resolve: (r) => r.rows }),
  }),
});

const StatisticsInput = builder.inputType('StatisticsInput', {
  fields: (t) => ({
    regionCode: t.string({ required: true }),
    from: t.field({ type: 'Date', required: true, description: 'First day, inclusive (China time).' }),
    to: t.field({ type: 'Date', required: true, description: 'Last day, inclusive (China time).' }),
    groupBy: t.field({ type: [StatisticsGroupEnum], defaultValue: [] }),
  }),
});

builder.queryFields((t) => ({
  statistics: t.field({
    type: ResultRef,
    description: 'Figures for the divisions and organisations the viewer serves (a platform admin: all).',
    errors: { union: { name: 'StatisticsQueryResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: StatisticsInput, required: true }) },
    resolve: (_p, { input }, ctx) =>
      computeStatistics(ctx.deps, ctx.actor, { regionCode: input.regionCode, from: input.from, to: input.to, groupBy: input.groupBy ?? [] }),
  }),
}));
