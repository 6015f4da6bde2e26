import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { mediators, organizations, regions, users } from '../../../schema';
import { queryRows } from '../../db';
import type { Actor, Deps } from '../context';
import { DeadlineError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { statementTimedOut } from '../db-errors';
import { withReportSlot } from './report-slots';
import { regionFilter, regionPrefix, regionWithin, scopeFilter, type StatisticsScope } from './scope';
import { LEAD_STATUSES, type LeadStatus } from '../screening/types';
import { viewerScope } from './viewer-scope';

export const STATISTICS_GROUPS = ['REGION', 'MONTH', 'LEVEL', 'CHANNEL', 'CATEGORY', 'ORGANIZATION', 'MEDIATOR'] as const;
export type StatisticsGroup = (typeof STATISTICS_GROUPS)[number];

export interface StatisticsInput {
  regionCode: string;
  /** First and last calendar day of the period (China time), inclusive. */
  from: string;
  to: string;
  groupBy: StatisticsGroup[];
}

/** The open statuses whose running clock can be overdue (their deadlines are `due` rows of the view `statistic_milestone_source`). */
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
  /** The China-time month (YYYY-MM) of a milestone at `at`. */
  month: (at: SQL) => SQL;
}

const monthOf = (at: SQL) => sql`to_char(${at} at time zone 'Asia/Shanghai', 'YYYY-MM')`;

/** One row per milestone (statistic_milestones, aliased c, so the region and scope filters apply as to cases). */
const MILESTONE_DIMS: Dims = {
  county: sql`c.county_code`,
  region: sql`c.region_code`,
  level: sql`c.level`,
  channel: sql`c.channel`,
  category: sql`c.category`,
  organization: sql`c.organization_id::text`,
  mediator: sql`c.mediator_id::text`,
  month: monthOf,
};

/** Counts per month and cell (statistic_counts, aliased k): `area` is the county (grains 0, 1) or prefecture (2). */
const COUNT_DIMS: Dims = {
  county: sql`k.area`,
  region: sql`k.area`,
  level: sql`nullif(k.level, '')`,
  channel: sql`nullif(k.channel, '')`,
  category: sql`k.category`,
  organization: sql`null::text`,
  mediator: sql`null::text`,
  month: () => sql`k.month`,
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
  month: monthOf,
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
      return d.month(at);
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

/** The last calendar day of the month `day` lies in. */
function monthEnd(day: string): string {
  const d = new Date(`${day.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 1);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
}

/** The China-time month (YYYY-MM) and the instant it started, for an instant. */
function chinaMonth(at: Date): { month: string; start: string } {
  const month = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
  return { month, start: dayStart(`${month}-01`) };
}

/**
 * The grain of statistic_counts that answers a request, or null when only the milestone rows can:
 * the period must be whole months, the groups among those the counts keep, the viewer a division
 * (the requested division lies inside it, so the division's filter is the viewer's too), and the
 * division a county or larger (a township's cases are not told apart in the counts).
 */
function countGrain(regionCode: string, groups: StatisticsGroup[], scope: StatisticsScope, from: string, to: string): 0 | 1 | 2 | null {
  if (scope.kind !== 'all' && scope.kind !== 'region') return null;
  if (!from.endsWith('-01') || monthEnd(to) !== to) return null;
  if (regionCode.length !== 6) return null;
  const prefix = regionPrefix(regionCode);
  if (groups.some((g) => g === 'ORGANIZATION' || g === 'MEDIATOR')) return null;
  if (prefix.length === 6 && groups.includes('REGION')) return null;
  if (groups.some((g) => g === 'LEVEL' || g === 'CHANNEL' || g === 'CATEGORY')) return 0;
  if (prefix.length === 6 || (prefix.length === 4 && groups.includes('REGION'))) return 1;
  return 2;
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
 * `holder` is whose report it is, for the line's limit per person (`withReportSlot`).
 */
export async function statisticsFor(deps: Deps, scope: StatisticsScope, input: StatisticsInput, holder = 'system'): Promise<StatisticsResult> {
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
  const nowAt = deps.clock.now();
  const now = nowAt.toISOString();
  const thisMonth = chinaMonth(nowAt);
  const start = dayStart(from);
  const end = dayStart(nextDay(to));
  const keysOf = (d: Dims, at: SQL) => {
    const keys = groups.map((g, i) => sql`${groupExpression(g, region.code, d, at)} as ${sql.raw(`g${i}`)}`);
    return sql.join([...keys, ...[0, 1, 2].slice(groups.length).map((i) => sql.raw(`null::text as g${i}`))], sql`, `);
  };
  // Each stream yields (groups…, milestone, value, count); one aggregate adds them all up.
  const grain = countGrain(region.code, groups, scope, from, to);
  const streams: SQL[] = [];
  if (grain === null) {
    // The milestone rows of the division (or the viewer's cases) in the period: one range of
    // (county, instant) per county. Open cases' deadlines before now are "overdue now", whenever they fell.
    const where = sql`${regionFilter(region.code)} and ${scopeFilter(scope)}`;
    streams.push(
      sql`select ${keysOf(MILESTONE_DIMS, sql`c.at`)}, c.milestone, c.value, 1
          from statistic_milestones c
          where ${where} and c.at >= ${start}::timestamptz and c.at < ${end}::timestamptz and c.milestone <> 'due'`,
      sql`select ${keysOf(MILESTONE_DIMS, sql`c.at`)}, 'overdue', 0::numeric, 1
          from statistic_milestones c
          where ${where} and c.milestone = 'due' and c.at < ${now}::timestamptz`,
    );
  } else {
    // Whole months of a county or larger: the counts kept per month and cell at the coarsest grain
    // that still holds the groups asked for. Deadlines of earlier months are all past; this month's
    // are read from the milestone rows up to now.
    const prefix = regionPrefix(region.code);
    const area = grain === 2
      ? (prefix.length === 2 ? sql`k.area like ${`${prefix}%`}` : sql`k.area = ${region.code}`)
      : (prefix.length < 6 ? sql`k.area like ${`${prefix}%`}` : sql`k.area = ${region.code}`);
    streams.push(
      sql`select ${keysOf(COUNT_DIMS, sql`null`)}, k.milestone, k.value, k.n
          from statistic_counts k
          where k.grain = ${grain} and ${area} and k.month >= ${from.slice(0, 7)} and k.month <= ${to.slice(0, 7)} and k.milestone <> 'due'`,
      sql`select ${keysOf(COUNT_DIMS, sql`null`)}, 'overdue', 0::numeric, k.n
          from statistic_counts k
          where k.grain = ${grain} and ${area} and k.milestone = 'due' and k.month < ${thisMonth.month}`,
      // For a prefecture or the province the county is only checked (`|| ''` keeps the planner off the
      // county index, which would walk every deadline ever): the month's deadlines are one range of `at`.
      sql`select ${keysOf(MILESTONE_DIMS, sql`c.at`)}, 'overdue', 0::numeric, 1
          from statistic_milestones c
          where ${prefix.length < 6 ? sql`(c.county_code || '') like ${`${prefix}%`}` : regionFilter(region.code)}
            and c.milestone = 'due' and c.at >= ${thisMonth.start}::timestamptz and c.at < ${now}::timestamptz`,
    );
  }
  if (!groups.some((g) => g === 'LEVEL' || g === 'CHANNEL' || g === 'MEDIATOR') && scope.kind !== 'mediator') {
    const foundAt = sql`(l.found_on::timestamp at time zone 'Asia/Shanghai')`;
    streams.push(
      sql`select ${keysOf(LEAD_DIMS, foundAt)}, e.m, 0::numeric, 1
          from dispute_leads l cross join lateral (values ('lead'), ('lead_' || l.status::text)) as e(m)
          where ${leadFilter(region.code, scope)} and l.found_on >= ${from}::date and l.found_on <= ${to}::date`,
    );
  }
  // Per group (and, through grouping sets, for the total) the count of each milestone and value;
  // medians and 90th percentiles are read off the running count of days to settle, interpolated
  // as percentile_cont does.
  const gs = groups.map((_, i) => `g${i}`);
  const gCols = sql.raw([0, 1, 2].map((i) => (i < groups.length ? `g${i}` : `null::text as g${i}`)).join(', '));
  const grouping = groups.length ? sql.raw(`group by grouping sets ((${gs.join(', ')}, m, v), (m, v))`) : sql.raw('group by m, v');
  const isTotal = groups.length ? sql.raw(`grouping(${gs.join(', ')}) <> 0`) : sql`true`;
  // The value at 0-based rank floor/ceil(p × (count − 1)) of the days to settle: the first whose running count passes it.
  const at = (p: number, edge: 'floor' | 'ceil') => sql.raw(`min(v) filter (where m = 'settled' and n > 0 and cum > ${edge}(${p} * (tot - 1)))`);
  const interpolate = (p: number, lo: string, hi: string) => sql.raw(`a.${lo} + (a.${hi} - a.${lo}) * (${p} * (a.tot - 1) - floor(${p} * (a.tot - 1)))`);
  const leadCounts = LEAD_STATUSES.map((st) => sql`sum(n) filter (where m = ${`lead_${st}`})::int as ${sql.raw(`lead_${st.toLowerCase()}`)}`);
  const count = (m: string, as: string) => sql`coalesce(sum(n) filter (where m = ${m}), 0)::int as ${sql.raw(as)}`;
  // In a transaction of its own so that the settings apply to this statement only: compiling the
  // aggregate with JIT cost more than running it, and starting parallel workers for a few thousand
  // counts took longer (about 0.1 s on a busy machine) than reading them. The report's time limit
  // (STATISTICS_TIMEOUT_MS) ends it there, and its place in the instance's line (withReportSlot)
  // keeps reports from holding every connection.
  const { timeoutMs } = deps.config.statistics;
  const rows = await withReportSlot(deps, holder, () => deps.db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true), set_config('statement_timeout', ${String(timeoutMs)}, true)`);
    return queryRows<RawRow>(
      tx,
      sql`with s (g0, g1, g2, m, v, n) as (${sql.join(streams, sql` union all `)}),
        h as (select ${gCols}, ${isTotal} as t, m, v, sum(n) as n from s ${grouping}),
        w as (select h.*, sum(n) over (partition by t, g0, g1, g2, m order by v) as cum, sum(n) over (partition by t, g0, g1, g2, m) as tot from h),
        a as (select t, g0, g1, g2,
          ${count('filed', 'filed')}, ${count('refused', 'refused')}, ${count('withdrawn', 'withdrawn')}, ${count('ended', 'ended')},
          ${count('settled', 'settled')}, ${count('failed', 'failed')}, ${count('settled_village', 'settled_village')}, ${count('escalated', 'escalated')},
          ${count('overdue', 'overdue')}, ${count('confirmed', 'confirmed')}, ${count('rejected', 'rejected')}, ${count('follow_up', 'follow_ups')},
          ${count('perf_PERFORMED', 'performed')}, ${count('perf_PARTLY_PERFORMED', 'partly')}, ${count('perf_NOT_PERFORMED', 'not_performed')},
          ${count('rating', 'ratings')},
          sum(v * n) filter (where m = 'rating') / nullif(sum(n) filter (where m = 'rating'), 0) as mean_satisfaction,
          ${count('lead', 'leads')}, ${sql.join(leadCounts, sql`, `)},
          max(tot) filter (where m = 'settled') as tot, ${at(0.5, 'floor')} as m_lo, ${at(0.5, 'ceil')} as m_hi, ${at(0.9, 'floor')} as q_lo, ${at(0.9, 'ceil')} as q_hi
          from w group by t, g0, g1, g2 having t or sum(n) > 0)
      select a.g0, a.g1, a.g2, a.t as is_total, a.filed, a.refused, a.withdrawn, a.ended, a.settled, a.failed, a.settled_village, a.escalated,
        a.overdue, a.confirmed, a.rejected, a.follow_ups, a.performed, a.partly, a.not_performed, a.ratings, a.mean_satisfaction, a.leads,
        ${sql.raw(LEAD_STATUSES.map((st) => `a.lead_${st.toLowerCase()}`).join(', '))},
        ${interpolate(0.5, 'm_lo', 'm_hi')} as median_days, ${interpolate(0.9, 'q_lo', 'q_hi')} as p90_days
      from a`,
    );
  })).catch((err: unknown) => {
    if (!statementTimedOut(err)) throw err;
    throw new DeadlineError(`The report ran past its time limit of ${timeoutMs / 1000} s: ask for a shorter period, a smaller region or fewer groups.`, deps.clock.now());
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
  const viewer = actor.viewer;
  return statisticsFor(deps, scope, input, viewer?.kind === 'user' ? `user:${viewer.userId}` : 'anonymous');
}
