import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { FileRequirement, LineKind, SpotCheckMethod, SpotCheckOutcome, StatementAction, StatementStatus, SubsidyGrade, SubsidyMissing } from '../server/domain/subsidies/types';
import { users } from './accounts';
import { cases } from './cases';

/**
 * A county's 以案定补 rules, one row per version. A case is paid under the version in force on the
 * day it settled (China time), so a new version never changes what earlier cases earn.
 */
export const subsidyRuleSets = pgTable(
  'subsidy_rule_sets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    countyCode: text('county_code').notNull(),
    version: integer('version').notNull(),
    /** Cases settled on or after this day are paid under this version (until a later one). */
    effectiveFrom: date('effective_from', { mode: 'string' }).notNull(),
    /** Integer fen per grade, e.g. { SIMPLE: 10000, ORDINARY: 20000, COMPLEX: 30000, MAJOR: 50000 }. */
    amountsFen: jsonb('amounts_fen').$type<Record<SubsidyGrade, number>>().notNull(),
    /** What the file (一案一卷) must hold before a case is paid. */
    fileRequirements: text('file_requirements').array().$type<FileRequirement[]>().notNull(),
    /** The document the county published, e.g. 双柏县矛盾纠纷以案定补实施办法（2026）. */
    source: text('source'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
  },
  (t) => [
    uniqueIndex('subsidy_rule_sets_version_key').on(t.countyCode, t.version),
    uniqueIndex('subsidy_rule_sets_effective_key').on(t.countyCode, t.effectiveFrom),
  ],
);

/** The grade of an ended case: proposed by its mediator, possibly changed by the township 司法所. */
export const caseSubsidyGrades = pgTable('case_subsidy_grades', {
  caseId: uuid('case_id')
    .primaryKey()
    .references(() => cases.id),
  proposedGrade: text('proposed_grade').$type<SubsidyGrade>().notNull(),
  /** The mediator's reason in words. */
  proposedReason: text('proposed_reason').notNull(),
  /** The facts at the time of the proposal: amount in dispute, people involved, risk, sessions held. */
  proposedFacts: jsonb('proposed_facts').$type<{ amount: string | null; people: number; riskLevel: string; sessions: number }>().notNull(),
  proposedBy: uuid('proposed_by')
    .notNull()
    .references(() => users.id),
  proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull(),
  /** The grade in force: the proposal, or the township's regrade. */
  grade: text('grade').$type<SubsidyGrade>().notNull(),
  regradeReason: text('regrade_reason'),
  regradedBy: uuid('regraded_by').references(() => users.id),
  regradedAt: timestamp('regraded_at', { withTimezone: true }),
  version: integer('version').notNull().default(1),
});

/** 抽查: a 司法所 or 司法局 calls or visits the parties to check that the mediation took place as filed. */
export const subsidySpotChecks = pgTable(
  'subsidy_spot_checks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    method: text('method').$type<SpotCheckMethod>().notNull(),
    /** The party reached, by name as given. */
    partyReached: text('party_reached').notNull(),
    outcome: text('outcome').$type<SpotCheckOutcome>().notNull(),
    note: text('note').notNull(),
    checkedBy: uuid('checked_by')
      .notNull()
      .references(() => users.id),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('subsidy_spot_checks_case_idx').on(t.caseId)],
);

/** A monthly 以案定补 statement of a township: drafted and reviewed by its 司法所, approved and paid by the county 司法局. */
export const subsidyStatements = pgTable(
  'subsidy_statements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The township (9 digits) whose cases the statement pays. */
    regionCode: text('region_code').notNull(),
    countyCode: text('county_code').notNull(),
    /** YYYY-MM: cases settled up to the end of this month (China time) and not paid before. */
    month: text('month').notNull(),
    status: text('status').$type<StatementStatus>().notNull(),
    /** The approved statement this one corrects. */
    supersedesId: uuid('supersedes_id'),
    correctionReason: text('correction_reason'),
    /** Sum of the lines in fen (clawbacks negative). */
    totalFen: bigint('total_fen', { mode: 'number' }).notNull(),
    /** Cases considered and not paid, with what is missing, as found when the statement was (re)drafted. */
    exclusions: jsonb('exclusions').$type<{ caseId: string; caseNumber: string; missing: SubsidyMissing[] }[]>().notNull(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // One live statement per township and month: a correction supersedes the approved one in the same transaction.
    uniqueIndex('subsidy_statements_live_key').on(t.regionCode, t.month).where(sql`${t.status} <> 'SUPERSEDED'`),
    index('subsidy_statements_county_idx').on(t.countyCode, t.month),
  ],
);

/** Each move of a statement, with who made it and when. */
export const subsidyStatementSteps = pgTable(
  'subsidy_statement_steps',
  {
    statementId: uuid('statement_id')
      .notNull()
      .references(() => subsidyStatements.id),
    seq: integer('seq').notNull(),
    action: text('action').$type<StatementAction>().notNull(),
    fromStatus: text('from_status').$type<StatementStatus>(),
    toStatus: text('to_status').$type<StatementStatus>().notNull(),
    actorUserId: uuid('actor_user_id')
      .notNull()
      .references(() => users.id),
    actorName: text('actor_name').notNull(),
    /** The organisation the actor acted for (司法所 or 司法局). */
    actorOrganization: text('actor_organization'),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.statementId, t.seq], name: 'subsidy_statement_steps_pkey' })],
);

/** One case on a statement: a payment, or a clawback (negative) of a payment on an earlier statement. */
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
    caseNumber: text('case_number').notNull(),
    /** The account paid for the case (its mediator, or a grid worker acting as one). */
    personUserId: uuid('person_user_id')
      .notNull()
      .references(() => users.id),
    personName: text('person_name').notNull(),
    personRole: text('person_role').notNull(),
    kind: text('kind').$type<LineKind>().notNull(),
    grade: text('grade').$type<SubsidyGrade>().notNull(),
    ruleSetId: uuid('rule_set_id')
      .notNull()
      .references(() => subsidyRuleSets.id),
    /** Fen; negative for a clawback. */
    amountFen: integer('amount_fen').notNull(),
    /** CLAWBACK: the payment line it reverses. */
    reversesLineId: uuid('reverses_line_id'),
    /** False once the statement is superseded: only live lines count as paid or clawed back. */
    live: boolean('live').notNull().default(true),
  },
  (t) => [
    index('subsidy_statement_lines_statement_idx').on(t.statementId),
    // One case is paid once, and clawed back once, however many statements are drafted.
    uniqueIndex('subsidy_statement_lines_payment_key').on(t.caseId).where(sql`${t.kind} = 'PAYMENT' and ${t.live}`),
    uniqueIndex('subsidy_statement_lines_clawback_key').on(t.caseId).where(sql`${t.kind} = 'CLAWBACK' and ${t.live}`),
    check('subsidy_statement_lines_sign_check', sql`(${t.kind} = 'PAYMENT' and ${t.amountFen} > 0) or (${t.kind} = 'CLAWBACK' and ${t.amountFen} < 0)`),
  ],
);
