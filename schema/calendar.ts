import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { cases } from './cases';

/**
 * A year's official holiday arrangement (State Council notice): seeded from
 * schema/data/holidays-cn.json and published by platform admins. A year without a row is provisional.
 */
export const holidayArrangements = pgTable('holiday_arrangements', {
  year: integer('year').primaryKey(),
  /** Every day off of each arranged break (YYYY-MM-DD), weekend days inside it included. */
  holidays: text('holidays').array().notNull(),
  /** Weekend days made working days (调休). */
  workdays: text('workdays').array().notNull(),
  /** The notice, e.g. 国办发明电〔2025〕7号. */
  source: text('source').notNull(),
  /** SEED (shipped data file) or API (published through publishHolidayArrangement). */
  origin: text('origin').notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
  publishedBy: uuid('published_by').references(() => users.id),
});

/**
 * Every computed deadline with its basis: the start instant, the rule, the calendar it rested on.
 * A deadline on PROVISIONAL days is recomputed when the year's notice is published.
 */
export const deadlines = pgTable(
  'deadlines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    /** Which clock (DeadlineKind): names the row and column it is stored in. */
    kind: text('kind').notNull(),
    /** The row holding the deadline (case, assignment, agreement, application or transfer). */
    targetId: uuid('target_id').notNull(),
    /** WORKING_DAYS, CALENDAR_DAYS, MONTHS or YEARS. */
    rule: text('rule').notNull(),
    amount: integer('amount').notNull(),
    startAt: timestamp('start_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    /** OFFICIAL or PROVISIONAL days. */
    basis: text('basis').notNull(),
    /** PARTY: a window protecting a party, which only ever moves later; DUTY: follows the official result. */
    protects: text('protects').notNull(),
    /** The statute or practice that fixes it. */
    source: text('source').notNull(),
    /** False once superseded, met or no longer running. */
    open: boolean('open').notNull().default(true),
    /** Reminders already sent, e.g. ["5d", "1d"]. */
    reminders: jsonb('reminders').$type<string[]>().notNull().default([]),
    /** When it fell due and the job acted on it. */
    expiredAt: timestamp('expired_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('deadlines_case_idx').on(t.caseId),
    index('deadlines_open_due_idx').on(t.dueAt).where(sql`${t.open}`),
    index('deadlines_provisional_idx').on(t.basis).where(sql`${t.open} and ${t.basis} = 'PROVISIONAL'`),
    uniqueIndex('deadlines_open_key').on(t.kind, t.targetId).where(sql`${t.open}`),
  ],
);
