import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, numeric, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import {
  FOLLOW_UP_KINDS,
  FOLLOW_UP_METHODS,
  FOLLOW_UP_STATUSES,
  RATING_SOURCES,
  TERM_PERFORMANCES,
  type PartyTermAnswer,
} from '../server/domain/follow-up/types';
import { users } from './accounts';
import { agreements } from './agreements';
import { caseParties, cases } from './cases';

export const followUpKind = pgEnum('follow_up_kind', FOLLOW_UP_KINDS);
export const followUpStatus = pgEnum('follow_up_status', FOLLOW_UP_STATUSES);
export const followUpMethod = pgEnum('follow_up_method', FOLLOW_UP_METHODS);
export const termPerformance = pgEnum('term_performance', TERM_PERFORMANCES);
export const ratingSource = pgEnum('rating_source', RATING_SOURCES);

/** 回访: a scheduled (or added) visit to learn whether an effective agreement is performed. */
export const followUps = pgTable(
  'follow_ups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id),
    kind: followUpKind('kind').notNull(),
    /** TERM_DUE: the term's position in the agreement (from 1). */
    termNo: integer('term_no'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    /** The rule that produced dueAt, e.g. "term 2 due 2026-12-01 + 3 working days". */
    dueRule: text('due_rule').notNull(),
    /** The case's mediator, or a grid worker of the village. */
    assigneeUserId: uuid('assignee_user_id').references(() => users.id),
    status: followUpStatus('status').notNull().default('SCHEDULED'),
    method: followUpMethod('method'),
    /** 反弹: the dispute flared up again. */
    relapsed: boolean('relapsed'),
    /** The new case opened on relapse, linked to this one. */
    relapseCaseId: uuid('relapse_case_id').references(() => cases.id),
    note: text('note'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }),
    recordedBy: uuid('recorded_by').references(() => users.id),
    /** The reminder to the assignee went out (once). */
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('follow_ups_case_idx').on(t.caseId),
    index('follow_ups_due_idx').on(t.status, t.dueAt),
    index('follow_ups_assignee_idx').on(t.assigneeUserId),
    uniqueIndex('follow_ups_scheduled_key')
      .on(t.agreementId, t.kind, t.termNo)
      .where(sql`${t.kind} <> 'ADDED'`),
  ],
);

/** The performance of one agreement term as found by one follow-up. */
export const followUpTermResults = pgTable(
  'follow_up_term_results',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    followUpId: uuid('follow_up_id')
      .notNull()
      .references(() => followUps.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id),
    /** The term's position in the agreement (from 1). */
    termNo: integer('term_no').notNull(),
    performance: termPerformance('performance').notNull(),
    /** PARTLY_PERFORMED: the amount performed so far, in yuan. */
    amountPerformed: numeric('amount_performed', { precision: 14, scale: 2 }),
    note: text('note'),
    /** NOT_PERFORMED past its due date: the routes offered to the entitled party. */
    routesOffered: text('routes_offered').array(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('follow_up_term_results_key').on(t.followUpId, t.termNo),
    index('follow_up_term_results_agreement_idx').on(t.agreementId, t.termNo),
    index('follow_up_term_results_case_idx').on(t.caseId),
  ],
);

/**
 * Satisfaction with the mediation (1–5), per party: given by the party when its case ended
 * (rateMediation) or recorded during a follow-up. Feeds statistics; never shown to the other party.
 */
export const mediationRatings = pgTable(
  'mediation_ratings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    partyId: uuid('party_id')
      .notNull()
      .references(() => caseParties.id),
    source: ratingSource('source').notNull(),
    /** FOLLOW_UP: the follow-up during which it was recorded. */
    followUpId: uuid('follow_up_id').references(() => followUps.id),
    score: integer('score').notNull(),
    comment: text('comment'),
    /** The mediator and organisation rated (copied: a later reassignment does not move a rating). */
    mediatorId: uuid('mediator_id'),
    organizationId: uuid('organization_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
  },
  (t) => [
    check('mediation_ratings_score_check', sql`${t.score} between 1 and 5`),
    uniqueIndex('mediation_ratings_party_key').on(t.caseId, t.partyId).where(sql`${t.source} = 'PARTY'`),
    uniqueIndex('mediation_ratings_follow_up_key').on(t.followUpId, t.partyId).where(sql`${t.followUpId} is not null`),
    index('mediation_ratings_case_idx').on(t.caseId),
    index('mediation_ratings_mediator_idx').on(t.mediatorId),
  ],
);

/**
 * A party's own answer to a scheduled follow-up (回访), given from the party's pages: per agreement
 * term whether it was performed, with a short note. One per party and follow-up; never edited. The
 * party's satisfaction and comment are its FOLLOW_UP rating (mediation_ratings), so statistics count
 * it once. What the party says is its account: the follow-up's finding (term results, DONE) is still
 * what the mediator records.
 */
export const followUpAnswers = pgTable(
  'follow_up_answers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    followUpId: uuid('follow_up_id')
      .notNull()
      .references(() => followUps.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    partyId: uuid('party_id')
      .notNull()
      .references(() => caseParties.id),
    /** The party's satisfaction and comment, given with this answer. */
    ratingId: uuid('rating_id')
      .notNull()
      .references(() => mediationRatings.id),
    /** Per term, in term order: the party's account of its performance. */
    terms: jsonb('terms').$type<PartyTermAnswer[]>().notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }).notNull(),
    /** The user who answered (the party's account). */
    answeredBy: uuid('answered_by')
      .notNull()
      .references(() => users.id),
  },
  (t) => [
    uniqueIndex('follow_up_answers_party_key').on(t.followUpId, t.partyId),
    uniqueIndex('follow_up_answers_rating_key').on(t.ratingId),
    index('follow_up_answers_case_idx').on(t.caseId),
  ],
);
