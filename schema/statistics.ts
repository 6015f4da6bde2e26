import { sql } from 'drizzle-orm';
import { boolean, index, integer, numeric, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { caseLevel } from './enums';
import { cases } from './cases';

/**
 * The milestones of a case that statistics count, written in the same transaction as the status
 * change (the status alone forgets them: an archived case no longer says it was settled).
 */
export const caseFacts = pgTable(
  'case_facts',
  {
    caseId: uuid('case_id')
      .primaryKey()
      .references(() => cases.id),
    refusedAt: timestamp('refused_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    /** Mediation came to an end: settled (last signature) or terminated. */
    endedAt: timestamp('ended_at', { withTimezone: true }),
    settledAt: timestamp('settled_at', { withTimezone: true }),
    /** The level the case was at when it settled: 小事不出村 counts VILLAGE. */
    settledLevel: caseLevel('settled_level'),
    failedAt: timestamp('failed_at', { withTimezone: true }),
    /** Moved up at least once (escalation, not a plain transfer). */
    escalated: boolean('escalated').notNull().default(false),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
    confirmationRejectedAt: timestamp('confirmation_rejected_at', { withTimezone: true }),
  },
  (t) => [
    index('case_facts_settled_idx').on(t.settledAt),
    index('case_facts_ended_idx').on(t.endedAt),
  ],
);

/**
 * One row per counted milestone of a case (filed, settled, a follow-up done, a rating, …), carrying
 * the case's place and grouping columns as they are now. Kept by triggers in the transaction of
 * every change to a case, its milestones, follow-ups, term results or ratings (see the migration
 * `statistics_rollup`): a county's period is one range of `statistic_milestones_county_at_idx`.
 * `due` rows are the deadlines of open cases: "overdue now" counts those before the instant asked.
 */
export const statisticMilestones = pgTable(
  'statistic_milestones',
  {
    caseId: uuid('case_id').notNull(),
    milestone: text('milestone').notNull(),
    /** The source row (follow-up, term result, rating); empty for the case's own milestones. */
    ref: text('ref').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** Days to settle for `settled`, the score for `rating`, 0 otherwise. */
    value: numeric('value').notNull(),
    countyCode: text('county_code').notNull(),
    regionCode: text('region_code').notNull(),
    category: text('category').notNull(),
    level: text('level'),
    channel: text('channel'),
    organizationId: uuid('organization_id'),
    mediatorId: uuid('mediator_id'),
  },
  (t) => [
    primaryKey({ name: 'statistic_milestones_pkey', columns: [t.caseId, t.milestone, t.ref] }),
    index('statistic_milestones_county_at_idx').on(t.countyCode, t.at),
    /** This month's deadlines of a prefecture or the province: one range of `at`, the county read from the index. */
    index('statistic_milestones_due_idx').on(t.at, t.countyCode).where(sql`${t.milestone} = 'due'`),
    index('statistic_milestones_county_due_idx').on(t.countyCode, t.at).where(sql`${t.milestone} = 'due'`),
  ],
);

/**
 * Milestones counted per China-time month and cell, at three grains: 0 = county × category × level ×
 * channel, 1 = county, 2 = prefecture (`area` is the county or prefecture code; the columns a grain
 * does not keep are ''). `value` is kept in the key so medians and means come from the counts.
 * Written from `statistic_milestones` by a deferred trigger, at commit of the same transaction.
 */
export const statisticCounts = pgTable(
  'statistic_counts',
  {
    grain: smallint('grain').notNull(),
    area: text('area').notNull(),
    month: text('month').notNull(),
    category: text('category').notNull(),
    level: text('level').notNull(),
    channel: text('channel').notNull(),
    milestone: text('milestone').notNull(),
    value: numeric('value').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [
    primaryKey({ name: 'statistic_counts_pkey', columns: [t.grain, t.area, t.month, t.category, t.level, t.channel, t.milestone, t.value] }),
    /** Overdue now: the deadlines of every earlier month, without reading the months' other counts. */
    index('statistic_counts_due_idx').on(t.grain, t.area, t.month).where(sql`${t.milestone} = 'due'`),
  ],
);
