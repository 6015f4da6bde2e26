import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
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

/** 以案定补 grades, from the simplest case to the gravest. */
export const SUBSIDY_GRADES = ['SIMPLE', 'ORDINARY', 'COMPLEX', 'MAJOR'] as const;
export type SubsidyGrade = (typeof SUBSIDY_GRADES)[number];

/** What a county asks to see in the file (一案一卷) before paying. */
export const FILE_REQUIREMENTS = ['AGREEMENT', 'MINUTES', 'FOLLOW_UP'] as const;
export type FileRequirement = (typeof FILE_REQUIREMENTS)[number];

/** A county's 以案定补 rules; a new version from an effective date, earlier versions kept for earlier cases. */
export const subsidyRuleSets = pgTable(
  'subsidy_rule_sets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    countyCode: text('county_code').notNull(),
    version: integer('version').notNull(),
    /** Cases settled on or after this day (China time) are paid under this version. */
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    /** Yuan per grade, e.g. { SIMPLE: "100.00", ORDINARY: "200.00", ... }. */
    amounts: jsonb('amounts').$type<Record<SubsidyGrade, string>>().notNull(),
    fileRequirements: text('file_requirements').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('subsidy_rule_sets_version_key').on(t.countyCode, t.version),
    uniqueIndex('subsidy_rule_sets_effective_key').on(t.countyCode, t.effectiveFrom),
  ],
);

/** The grade of a settled case: proposed by its mediator, possibly changed by the township 司法所. */
export const caseSubsidyGrades = pgTable('case_subsidy_grades', {
  caseId: uuid('case_id')
    .primaryKey()
    .references(() => cases.id),
  proposedGrade: text('proposed_grade').$type<SubsidyGrade>().notNull(),
  /** Amount, number of people, risk, sessions held: why the mediator proposed this grade. */
  proposedReasons: text('proposed_reasons').notNull(),
  proposedBy: uuid('proposed_by').notNull(),
  proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull(),
  /** The grade in force: the proposal, or the township's regrade. */
  grade: text('grade').$type<SubsidyGrade>().notNull(),
  regradeReason: text('regrade_reason'),
  regradedBy: uuid('regraded_by'),
  regradedAt: timestamp('regraded_at', { withTimezone: true }),
  /** Set when a spot-check finds the case unsound: it is clawed back on the next statement. */
  unsoundAt: timestamp('unsound_at', { withTimezone: true }),
  unsoundReason: text('unsound_reason'),
  unsoundBy: uuid('unsound_by'),
  version: integer('version').notNull().default(1),
});

export const STATEMENT_STATUSES = ['DRAFT', 'REVIEWED', 'APPROVED', 'PAID', 'SUPERSEDED'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

/** A monthly 以案定补 statement for a county or township. */
export const subsidyStatements = pgTable(
  'subsidy_statements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    regionCode: text('region_code').notNull(),
    countyCode: text('county_code').notNull(),
    /** YYYY-MM: cases settled in this month (China time). */
    month: text('month').notNull(),
    status: text('status').$type<StatementStatus>().notNull(),
    /** The approved statement this one corrects. */
    supersedesId: uuid('supersedes_id'),
    total: numeric('total', { precision: 14, scale: 2 }).notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').notNull(),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewedBy: uuid('reviewed_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true }),
    approvedBy: uuid('approved_by'),
    paidAt: timestamp('paid_at', { withTimezone: true }),
    paidBy: uuid('paid_by'),
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
  },
  (t) => [
    // One live statement per region and month: a correction supersedes the approved one first.
    uniqueIndex('subsidy_statements_live_key').on(t.regionCode, t.month).where(sql`${t.status} <> 'SUPERSEDED'`),
    index('subsidy_statements_county_idx').on(t.countyCode, t.month),
  ],
);

/** One case on a statement: a payment, or a clawback (negative) of a case paid earlier and found unsound. */
export const subsidyStatementLines = pgTable(
  'subsidy_statement_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    statementId: uuid('statement_id')
      .notNull()
      .references(() => subsidyStatements.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    /** The mediator's (or grid worker's) account paid for the case. */
    personUserId: uuid('person_user_id').notNull(),
    personName: text('person_name').notNull(),
    /** PAYMENT or CLAWBACK */
    kind: text('kind').notNull(),
    grade: text('grade').$type<SubsidyGrade>().notNull(),
    ruleSetId: uuid('rule_set_id').notNull(),
    amount: numeric('amount', { precision: 14, scale: 2 }).notNull(),
  },
  (t) => [
    index('subsidy_statement_lines_statement_idx').on(t.statementId),
    index('subsidy_statement_lines_case_idx').on(t.caseId),
  ],
);
