import { sql } from 'drizzle-orm';
import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import {
  SUPERVISION_ORDER_STATUSES,
  SUPERVISION_PROPOSAL_REASONS,
  SUPERVISION_PROPOSAL_STATUSES,
  SUPERVISION_SUBJECTS,
} from '../server/domain/supervision/types';
import { users } from './accounts';
import { cases } from './cases';
import { caseLevel } from './enums';
import { organizations } from './organizations';
import { disputeLeads } from './screening';

export const supervisionSubject = pgEnum('supervision_subject', SUPERVISION_SUBJECTS);
export const supervisionOrderStatus = pgEnum('supervision_order_status', SUPERVISION_ORDER_STATUSES);
export const supervisionProposalReason = pgEnum('supervision_proposal_reason', SUPERVISION_PROPOSAL_REASONS);
export const supervisionProposalStatus = pgEnum('supervision_proposal_status', SUPERVISION_PROPOSAL_STATUSES);

/** 督办单: a higher organisation (or the county 综治中心) orders the receiving one to act on a case or lead. */
export const supervisionOrders = pgTable(
  'supervision_orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subjectType: supervisionSubject('subject_type').notNull(),
    caseId: uuid('case_id').references(() => cases.id),
    leadId: uuid('lead_id').references(() => disputeLeads.id),
    /** The region of the matter (case or lead): visibility and escalation follow it. */
    regionCode: text('region_code').notNull(),
    countyCode: text('county_code').notNull(),
    issuingOrganizationId: uuid('issuing_organization_id').references(() => organizations.id),
    /** Null when the order was raised by escalation (the system). */
    issuedBy: uuid('issued_by').references(() => users.id),
    receivingOrganizationId: uuid('receiving_organization_id')
      .notNull()
      .references(() => organizations.id),
    receivingLevel: caseLevel('receiving_level').notNull(),
    reason: text('reason').notNull(),
    /** What must be done. */
    requiredAction: text('required_action').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    status: supervisionOrderStatus('status').notNull().default('OPEN'),
    /** The answer: measures taken and their result. */
    measures: text('measures'),
    result: text('result'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answeredBy: uuid('answered_by').references(() => users.id),
    escalatedAt: timestamp('escalated_at', { withTimezone: true }),
    /** The order this one was escalated from (its unanswered predecessor one level down). */
    escalatedFromId: uuid('escalated_from_id'),
    escalatedToId: uuid('escalated_to_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('supervision_orders_case_idx').on(t.caseId),
    index('supervision_orders_lead_idx').on(t.leadId),
    index('supervision_orders_receiving_idx').on(t.receivingOrganizationId, t.status),
    index('supervision_orders_issuing_idx').on(t.issuingOrganizationId),
    index('supervision_orders_due_idx').on(t.status, t.dueAt),
  ],
);

/** The queue of matters proposed for supervision automatically, per supervising organisation. */
export const supervisionProposals = pgTable(
  'supervision_proposals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subjectType: supervisionSubject('subject_type').notNull(),
    caseId: uuid('case_id').references(() => cases.id),
    leadId: uuid('lead_id').references(() => disputeLeads.id),
    supervisingOrganizationId: uuid('supervising_organization_id')
      .notNull()
      .references(() => organizations.id),
    reason: supervisionProposalReason('reason').notNull(),
    detail: text('detail').notNull(),
    status: supervisionProposalStatus('status').notNull().default('PROPOSED'),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by').references(() => users.id),
    orderId: uuid('order_id').references(() => supervisionOrders.id),
  },
  (t) => [
    index('supervision_proposals_queue_idx').on(t.supervisingOrganizationId, t.status, t.proposedAt),
    // One live proposal per matter, reason and supervisor: the job can run again without duplicates.
    uniqueIndex('supervision_proposals_case_key')
      .on(t.supervisingOrganizationId, t.caseId, t.reason)
      .where(sql`${t.caseId} is not null and ${t.status} = 'PROPOSED'`),
    uniqueIndex('supervision_proposals_lead_key')
      .on(t.supervisingOrganizationId, t.leadId, t.reason)
      .where(sql`${t.leadId} is not null and ${t.status} = 'PROPOSED'`),
  ],
);
