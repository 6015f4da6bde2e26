import { inArray, sql, type SQL } from 'drizzle-orm';
import { mediators, organizations, regions, users } from '../../../schema';
import { queryRows } from '../../db';
import type { Actor, Deps } from '../context';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { regionFilter, regionPrefix, regionWithin, scopeFilter, type StatisticsScope } from './scope';
import { LEAD_STATUSES, type LeadStatus } from '../screening/types';
import { viewerScope } from './viewer-scope';
import { eq } from 'drizzle-orm';

export const STATISTICS_GROUPS = ['REGION', 'MONTH', 'LEVEL', 'CHANNEL', 'CATEGORY', 'ORGANIZATION', 'MEDIATOR'] as const;
export type StatisticsGroup = (typeof STATISTICS_GROUPS)[number];

export interface StatisticsInput {
  regionCode: string;
  /** First and last calendar day of the period (China time), inclusive. */
  from: string;
  to: string;
  groupBy: StatisticsGroup[];
}

/** The open statuses whose running clock can be overdue. */
export const OVERDUE_STATUSES = ['SUBMITTED', 'AWAITING_RESPONDENT', 'ASSIGNING', 'MEDIATING', 'AGREEMENT_SIGNING'] as const;

export interface StatisticsKey {
  region: { code: string; name: string } | null;
  month: string | null;
  level: string | null;
  channel: string | null;
  category: string | null;
  organization: { id: string; name: string } | null;
  mediator: { id: string; name: string } | null;
}

export interface StatisticsRow {
  key: StatisticsKey;
  filed: number;
  refused: number;
  withdrawn: number;
  /** Mediated to an end: settled or failed. */
  ended: number;
  settled: number;
  failed: number;
  successRate: number | null;
  settledAtVillage: number;
  villageShare: number | null;
  escalated: number;
  escalatedShare: number | null;
  medianDaysToSettle: number | null;
  p90DaysToSettle: number | null;
  overdueNow: number;
  confirmed: number;
  confirmationRejected: number;
  followUpsDone: number;
  /** Of the term results recorded in the period that were due: performed fully, partly, not at all. */
  termsChecked: number;
  fullyPerformedRate: number | null;
  partlyPerformedRate: number | null;
  notPerformedRate: number | null;
  ratings: number;
  meanSatisfaction: number | null;
  leads: number;
  leadOutcomes: { status: LeadStatus; count: number }[];
}

function performanceRates(full: number, partly: number, none: number) {
  const all = full + partly + none;
  return {
    termsChecked: all,
    fullyPerformedRate: ratio(full, all),
    partlyPerformedRate: ratio(partly, all),
    notPerformedRate: ratio(none, all),
  };
}

/** Leads in the division and the viewer's scope (an organisation sees the leads it recorded). */
function leadFilter(code: string, scope: StatisticsScope): SQL {
  const prefix = regionPrefix(code);
  const place = prefix.length < 6 ? sql`l.county_code like ${`${prefix}%`}` : code.length === 6 ? sql`l.county_code = ${code}` : sql`l.county_code = ${code.slice(0, 6)} and l.region_code like ${`${code}%`}`;
  switch (scope.kind) {
    case 'all':
      return place;
    case 'region':
      return sql`${place} and l.region_code like ${`${regionPrefix(scope.regionCode)}%`}`;
    case 'organization':
      return sql`${place} and l.organization_id = ${scope.organizationId}`;
    case 'mediator':
      return sql`false`;
  }
}

export interface StatisticsResult {
  regionCode: string;
  from: string;
  to: string;
  groupBy: StatisticsGroup[];
  total: StatisticsRow;
  rows: StatisticsRow[];
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

function validDay(field: string, value: string): string {
  const d = new Date(`${value}T00:00:00Z`);
  if (!DAY_RE.test(value) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw ValidationError.field(field, 'must be a calendar day YYYY-MM-DD');
  }
  return value;
}

/** The instant a China-time calendar day starts, as ISO text (postgres.js rejects Date inside raw sql). */
export function dayStart(day: string): string {
  return new Date(`${day}T00:00:00+08:00`).toISOString();
}

export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The columns a stream of milestones offers for grouping. */
interface Dims {
  county: SQL;
  region: SQL;
  level: SQL;
  channel: SQL;
  category: SQL;
  organization: SQL;
  mediator: SQL;
}

const CASE_DIMS: Dims = {
  county: sql`c.county_code`,
  region: sql`c.region_code`,
  level: sql`c.level::text`,
  channel: sql`c.channel::text`,
  category: sql`c.category::text`,
  organization: sql`c.organization_id::text`,
  mediator: sql`c.mediator_id::text`,
};

/** Leads (排查) have a place, a category and the recorder's organisation; no level, channel or mediator. */
const LEAD_DIMS: Dims = {
  county: sql`l.county_code`,
  region: sql`l.region_code`,
  level: sql`null::text`,
  channel: sql`null::text`,
  category: sql`l.category::text`,
  organization: sql`l.organization_id::text`,
  mediator: sql`null::text`,
};

/** The expression naming the division one level below `code` that a row lies in. */
function regionBelow(code: string, d: Dims): SQL {
  if (code.endsWith('0000')) return sql`substr(${d.county}, 1, 4) || '00'`;
  if (code.endsWith('00')) return sql`${d.county}`;
  if (code.length === 6) return sql`substr(${d.region}, 1, 9)`;
  return sql`${d.region}`;
}

function groupExpression(group: StatisticsGroup, regionCode: string, d: Dims, at: SQL): SQL {
  switch (group) {
    case 'REGION':
      return regionBelow(regionCode, d);
    case 'MONTH':
      return sql`to_char(${at} at time zone 'Asia/Shanghai', 'YYYY-MM')`;
    case 'LEVEL':
      return d.level;
    case 'CHANNEL':
      return d.channel;
    case 'CATEGORY':
      return d.category;
    case 'ORGANIZATION':
      return d.organization;
    case 'MEDIATOR':
      return d.mediator;
  }
}

interface RawRow extends Record<string, unknown> {
  is_total?: boolean;
  g0: string | null;
  g1: string | null;
  g2: string | null;
  filed: number | string;
  refused: number | string;
  withdrawn: number | string;
  ended: number | string;
  settled: number | string;
  failed: number | string;
  settled_village: number | string;
  escalated: number | string;
  median_days: number | string | null;
  p90_days: number | string | null;
  overdue: number | string;
  confirmed: number | string;
  rejected: number | string;
  follow_ups: number | string;
  performed: number | string;
  partly: number | string;
  not_performed: number | string;
  ratings: number | string;
  mean_satisfaction: number | string | null;
  leads: number | string;
  [lead: `lead_${string}`]: number | string;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
const round2 = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);

/**
 * One statement over the cases in scope: each case yields one row per milestone (filed, settled,
 * …) with its instant, the milestones inside the period are counted per group. "Overdue now" is a
 * state, not an event: it counts regardless of the period, at the month the deadline fell.
 */
export async function statisticsFor(deps: Deps, scope: StatisticsScope, input: StatisticsInput): Promise<StatisticsResult> {
  const from = validDay('from', input.from);
  const to = validDay('to', input.to);
  if (from > to) throw ValidationError.field('to', 'must not be before from');
  if (Date.parse(to) - Date.parse(from) > 5 * 366 * 86_400_000) throw ValidationError.field('to', 'a period covers at most five years');
  const groups = [...new Set(input.groupBy)];
  if (groups.length > 3) throw ValidationError.field('groupBy', 'at most three groupings');
  const [region] = await deps.db.select().from(regions).where(eq(regions.code, input.regionCode));
  if (!region) throw new NotFoundError('Region');
  if (region.level === 'VILLAGE' && groups.includes('REGION')) throw ValidationError.field('groupBy', 'a village has no divisions below it');
  if (scope.kind === 'region' && !regionWithin(region.code, scope.regionCode)) {
    throw new ForbiddenError('This division is outside the divisions you serve.');
  }
  const now = deps.clock.now().toISOString();
  const start = dayStart(from);
  const end = dayStart(nextDay(to));
  const keysOf = (d: Dims, at: SQL) => {
    const keys = groups.map((g, i) => sql`${groupExpression(g, region.code, d, at)} as ${sql.raw(`g${i}`)}`);
    return sql.join([...keys, ...[0, 1, 2].slice(groups.length).map((i) => sql.raw(`null::text as g${i}`))], sql`, `);
  };
  const inPeriod = (at: SQL) => sql`${at} >= ${start}::timestamptz and ${at} < ${end}::timestamptz`;
  const caseWhere = sql`${regionFilter(region.code)} and ${scopeFilter(scope)}`;
  const days = sql`extract(epoch from (f.settled_at - c.created_at)) / 86400.0`;
  const overdueStatuses = sql.join(OVERDUE_STATUSES.map((s) => sql`${s}`), sql`, `);
  // Each stream yields (groups…, milestone, value); one aggregate counts them all.
  // One pass over the cases of the division: each case yields its milestones, follow-ups, term
  // results and ratings through lateral lookups on their case_id indexes (offset 0 keeps them per
  // case), so a county reads its own cases' rows and never scans the province's.
  const perCase = sql`
        select 'filed', c.created_at, null::numeric
        union all select m, at, v from (values
          ('refused', f.refused_at, null::numeric), ('withdrawn', f.withdrawn_at, null), ('ended', f.ended_at, null),
          ('escalated', case when f.escalated then f.ended_at end, null), ('settled', f.settled_at, ${days}),
          ('settled_village', case when f.settled_level = 'VILLAGE' then f.settled_at end, null),
          ('failed', f.failed_at, null), ('confirmed', f.confirmed_at, null), ('rejected', f.confirmation_rejected_at, null)
        ) as x(m, at, v) where f.case_id is not null
        union all select 'overdue', c.due_at, null where c.status in (${overdueStatuses}) and c.due_at < ${now}::timestamptz
        union all select 'follow_up', fu.recorded_at, null from follow_ups fu where fu.case_id = c.id and fu.status = 'DONE'
        union all select 'perf_' || r.performance::text, r.recorded_at, null from follow_up_term_results r
          where r.case_id = c.id and r.performance <> 'NOT_YET_DUE'
        union all select 'rating', mr.created_at, mr.score::numeric from mediation_ratings mr where mr.case_id = c.id`;
  const wideStreams = [
    sql`select ${keysOf(CASE_DIMS, sql`e.at`)}, e.m, e.v
        from cases c
        left join case_facts f on f.case_id = c.id
        cross join lateral (values
          ('filed', c.created_at, null::numeric), ('refused', f.refused_at, null), ('withdrawn', f.withdrawn_at, null),
          ('ended', f.ended_at, null), ('escalated', case when f.escalated then f.ended_at end, null),
          ('settled', f.settled_at, ${days}), ('settled_village', case when f.settled_level = 'VILLAGE' then f.settled_at end, null),
          ('failed', f.failed_at, null), ('confirmed', f.confirmed_at, null), ('rejected', f.confirmation_rejected_at, null),
          ('overdue', case when c.status in (${overdueStatuses}) and c.due_at < ${now}::timestamptz then c.due_at end, null)
        ) as e(m, at, v)
        where ${caseWhere} and e.at is not null and (e.m = 'overdue' or (${inPeriod(sql`e.at`)}))`,
    sql`select ${keysOf(CASE_DIMS, sql`fu.recorded_at`)}, 'follow_up', null::numeric
        from follow_ups fu join cases c on c.id = fu.case_id
        where ${caseWhere} and fu.status = 'DONE' and ${inPeriod(sql`fu.recorded_at`)}`,
    sql`select ${keysOf(CASE_DIMS, sql`r.recorded_at`)}, 'perf_' || r.performance::text, null::numeric
        from follow_up_term_results r join cases c on c.id = r.case_id
        where ${caseWhere} and r.performance <> 'NOT_YET_DUE' and ${inPeriod(sql`r.recorded_at`)}`,
    sql`select ${keysOf(CASE_DIMS, sql`mr.created_at`)}, 'rating', mr.score::numeric
        from mediation_ratings mr join cases c on c.id = mr.case_id
        where ${caseWhere} and ${inPeriod(sql`mr.created_at`)}`,
  ];
  const narrowStreams = [
    sql`select ${keysOf(CASE_DIMS, sql`e.at`)}, e.m, e.v
        from cases c
        left join lateral (select * from case_facts f where f.case_id = c.id offset 0) f on true
        cross join lateral (${perCase} offset 0) as e(m, at, v)
        where ${caseWhere} and e.at is not null and (e.m = 'overdue' or (${inPeriod(sql`e.at`)}))`,
  ];
  // A county or smaller (or one organisation's or mediator's cases) is a few thousand cases: per-case
  // index lookups read only them. A prefecture or the province covers most of the table, where hash
  // joins over the period's rows cost less than a lookup per case.
  const narrow = regionPrefix(region.code).length >= 6 || scope.kind === 'organization' || scope.kind === 'mediator';
  const streams = narrow ? narrowStreams : wideStreams;
  if (!groups.some((g) => g === 'LEVEL' || g === 'CHANNEL' || g === 'MEDIATOR') && scope.kind !== 'mediator') {
    const foundAt = sql`(l.found_on::timestamp at time zone 'Asia/Shanghai')`;
    streams.push(
      sql`select ${keysOf(LEAD_DIMS, foundAt)}, e.m, null::numeric
          from dispute_leads l cross join lateral (values ('lead'), ('lead_' || l.status::text)) as e(m)
          where ${leadFilter(region.code, scope)} and l.found_on >= ${from}::date and l.found_on <= ${to}::date`,
    );
  }
  // The total comes from the same scan: grouping sets (the groups, and nothing), told apart by grouping().
  const groupBy = groups.length ? sql`group by grouping sets ((${sql.join(groups.map((_, i) => sql.raw(`g${i}`)), sql`, `)}), ())` : sql``;
  const isTotal = groups.length ? sql`grouping(g0) = 1` : sql`true`;
  const leadCounts = LEAD_STATUSES.map((st) => sql`count(*) filter (where s.m = ${`lead_${st}`})::int as ${sql.raw(`lead_${st.toLowerCase()}`)}`);
  // In a transaction of its own so that `set local` applies to this statement only: compiling the
  // aggregate with JIT took about 0.7 s at a million cases, more than the county's query itself.
  const rows = await deps.db.transaction(async (tx) => {
    await tx.execute(sql`set local jit = off`);
    return queryRows<RawRow>(
      tx,
      sql`select ${sql.raw([0, 1, 2].map((i) => (i < groups.length ? `g${i}` : `null::text as g${i}`)).join(', '))}, ${isTotal} as is_total,
          count(*) filter (where s.m = 'filed')::int as filed,
          count(*) filter (where s.m = 'refused')::int as refused,
          count(*) filter (where s.m = 'withdrawn')::int as withdrawn,
          count(*) filter (where s.m = 'ended')::int as ended,
          count(*) filter (where s.m = 'settled')::int as settled,
          count(*) filter (where s.m = 'failed')::int as failed,
          count(*) filter (where s.m = 'settled_village')::int as settled_village,
          count(*) filter (where s.m = 'escalated')::int as escalated,
          percentile_cont(0.5) within group (order by s.v) filter (where s.m = 'settled') as median_days,
          percentile_cont(0.9) within group (order by s.v) filter (where s.m = 'settled') as p90_days,
          count(*) filter (where s.m = 'overdue')::int as overdue,
          count(*) filter (where s.m = 'confirmed')::int as confirmed,
          count(*) filter (where s.m = 'rejected')::int as rejected,
          count(*) filter (where s.m = 'follow_up')::int as follow_ups,
          count(*) filter (where s.m = 'perf_PERFORMED')::int as performed,
          count(*) filter (where s.m = 'perf_PARTLY_PERFORMED')::int as partly,
          count(*) filter (where s.m = 'perf_NOT_PERFORMED')::int as not_performed,
          count(*) filter (where s.m = 'rating')::int as ratings,
          avg(s.v) filter (where s.m = 'rating') as mean_satisfaction,
          count(*) filter (where s.m = 'lead')::int as leads,
          ${sql.join(leadCounts, sql`, `)}
        from (${sql.join(streams, sql` union all `)}) as s(g0, g1, g2, m, v)
        ${groupBy}`,
    );
  });
  const labels = await labelsFor(deps, groups, rows);
  const toRow = (r: RawRow): StatisticsRow => {
    const key: StatisticsKey = { region: null, month: null, level: null, channel: null, category: null, organization: null, mediator: null };
    groups.forEach((g, i) => {
      const v = r[`g${i}`] as string | null;
      if (v === null) return;
      if (g === 'REGION') key.region = { code: v, name: labels.regions.get(v) ?? v };
      if (g === 'MONTH') key.month = v;
      if (g === 'LEVEL') key.level = v;
      if (g === 'CHANNEL') key.channel = v;
      if (g === 'CATEGORY') key.category = v;
      if (g === 'ORGANIZATION') key.organization = { id: v, name: labels.organizations.get(v) ?? '' };
      if (g === 'MEDIATOR') key.mediator = { id: v, name: labels.mediators.get(v) ?? '' };
    });
    const n = (k: keyof RawRow) => Number(r[k] ?? 0);
    return {
      key,
      filed: n('filed'),
      refused: n('refused'),
      withdrawn: n('withdrawn'),
      ended: n('ended'),
      settled: n('settled'),
      failed: n('failed'),
      successRate: ratio(n('settled'), n('ended')),
      settledAtVillage: n('settled_village'),
      villageShare: ratio(n('settled_village'), n('settled')),
      escalated: n('escalated'),
      escalatedShare: ratio(n('escalated'), n('ended')),
      medianDaysToSettle: round2(num(r.median_days)),
      p90DaysToSettle: round2(num(r.p90_days)),
      overdueNow: n('overdue'),
      confirmed: n('confirmed'),
      confirmationRejected: n('rejected'),
      followUpsDone: n('follow_ups'),
      ...performanceRates(n('performed'), n('partly'), n('not_performed')),
      ratings: n('ratings'),
      meanSatisfaction: round2(num(r.mean_satisfaction ?? null)),
      leads: n('leads'),
      leadOutcomes: LEAD_STATUSES.map((status) => ({ status, count: n(`lead_${status.toLowerCase()}`) })),
    };
  };
  const totalRow = rows.find((r) => r.is_total === true);
  const total = totalRow ? toRow({ ...totalRow, g0: null, g1: null, g2: null }) : toRow({} as RawRow);
  const out = rows.filter((r) => r.is_total !== true).map(toRow).sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
  return { regionCode: region.code, from, to, groupBy: groups, total, rows: groups.length === 0 ? [] : out };
}

async function labelsFor(deps: Deps, groups: StatisticsGroup[], rows: RawRow[]) {
  const values = (g: StatisticsGroup) => {
    const i = groups.indexOf(g);
    return i < 0 ? [] : [...new Set(rows.map((r) => r[`g${i}`] as string | null).filter((v): v is string => v !== null))];
  };
  const regionCodes = values('REGION');
  const orgIds = values('ORGANIZATION');
  const mediatorIds = values('MEDIATOR');
  const [rs, os, ms] = await Promise.all([
    regionCodes.length ? deps.db.select({ code: regions.code, name: regions.name }).from(regions).where(inArray(regions.code, regionCodes)) : [],
    orgIds.length ? deps.db.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, orgIds)) : [],
    mediatorIds.length
      ? deps.db.select({ id: mediators.id, name: users.name }).from(mediators).innerJoin(users, eq(users.id, mediators.userId)).where(inArray(mediators.id, mediatorIds))
      : [],
  ]);
  return {
    regions: new Map(rs.map((r) => [r.code, r.name])),
    organizations: new Map(os.map((o) => [o.id, o.name])),
    mediators: new Map(ms.map((m) => [m.id, m.name])),
  };
}

/** The statistics a viewer asked for, within the regions and organisations they serve. */
export async function computeStatistics(deps: Deps, actor: Actor, input: StatisticsInput): Promise<StatisticsResult> {
  const scope = await viewerScope(deps.db, actor);
  return statisticsFor(deps, scope, input);
}
