import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { CASE_STATUSES, type AssignmentStatus } from '../server/domain/cases/state-machine';
import { users } from './accounts';
import { caseLevel, disputeCategory, mediationChannel } from './enums';
import { mediators, organizations } from './organizations';

export const caseStatus = pgEnum('case_status', CASE_STATUSES);
export const riskLevel = pgEnum('risk_level', ['LOW', 'MEDIUM', 'HIGH']);

export interface RoutingRecord {
  reasons: string[];
  alternatives: { organizationId: string; organizationName: string; level: string; why: string }[];
  mediatorReasons: string[];
}

export interface PartyAgent {
  name: string;
  phone: string | null;
  /** The scope in words, as on the power of attorney. */
  authority: string;
  /** 特别授权: may sign the agreement and apply for confirmation for the party (INT 351). Absent on rows written before it existed. */
  special?: boolean;
  idNumberMasked?: string | null;
}

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Human-readable, gap-free per county and year, e.g. （2026）宾川调字第12号. */
    number: text('number').notNull(),
    status: caseStatus('status').notNull(),
    category: disputeCategory('category').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull(),
    claims: text('claims'),
    amount: numeric('amount', { precision: 14, scale: 2 }),
    /** Where the dispute arose (lowest common division when it spans several). */
    regionCode: text('region_code').notNull(),
    /** The county of regionCode: statistics are per county. */
    countyCode: text('county_code').notNull(),
    /** 标的物所在地: where the subject matter lies (a division code), when the filer names it; a ground of jurisdiction for confirmation (CPL 205). */
    subjectMatterRegionCode: text('subject_matter_region_code'),
    /** The number the case was registered under at filing, before an organisation accepted it and gave it its own number. */
    filingNumber: text('filing_number'),
    /** Languages the parties prefer (ISO 639), used to propose a mediator. */
    languages: text('languages').array().notNull().default(sql`'{zh}'`),
    filedByUserId: uuid('filed_by_user_id')
      .notNull()
      .references(() => users.id),
    /** PARTY (self), GRID_WORKER (for a resident), COURT (委派: delegated before filing). */
    filedVia: text('filed_via').notNull(),
    delegatingCourtId: uuid('delegating_court_id').references(() => organizations.id),
    channel: mediationChannel('channel'),
    level: caseLevel('level'),
    organizationId: uuid('organization_id').references(() => organizations.id),
    /** The proposed (while ASSIGNING) or accepted mediator. */
    mediatorId: uuid('mediator_id').references(() => mediators.id),
    /** The deadline of the clock now running, and the rule that produced it. */
    dueAt: timestamp('due_at', { withTimezone: true }),
    dueRule: text('due_rule'),
    /** When the current level's dispatch time limit ends (escalation clock). */
    levelDueAt: timestamp('level_due_at', { withTimezone: true }),
    /** OMR 15: the other side of a one-sided application is contacted within 3 working days. */
    contactDueAt: timestamp('contact_due_at', { withTimezone: true }),
    firstContactAt: timestamp('first_contact_at', { withTimezone: true }),
    /** How the first contact was made (NOTICE_READ, PHONE, VISIT, RESPONSE, ...). */
    firstContactMethod: text('first_contact_method'),
    /** OMR 10: the parties may jointly choose a mediator within 2 working days of diversion. */
    mediatorChoiceDueAt: timestamp('mediator_choice_due_at', { withTimezone: true }),
    /** Court mediation stage: PRE_FILING (委派) or POST_FILING (委托); null outside court mediation. */
    courtStage: text('court_stage'),
    /** For POST_FILING: ORDINARY (15 days) or SIMPLIFIED (7 days), OMR 24. */
    courtProcedure: text('court_procedure'),
    riskLevel: riskLevel('risk_level').notNull().default('LOW'),
    /** 0 LOW, 1 MEDIUM, 2 HIGH: queues order by it. */
    riskRank: integer('risk_rank').notNull().default(0),
    riskSignals: jsonb('risk_signals').$type<{ code: string; label: string; evidence: string }[]>().notNull().default([]),
    routing: jsonb('routing').$type<RoutingRecord | null>(),
    /** Hash of the newest audit event: detects removal of events at the end of the chain. */
    headEventHash: text('head_event_hash'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('cases_number_key').on(t.number),
    index('cases_status_idx').on(t.status),
    index('cases_queue_idx').on(t.riskRank, t.createdAt, t.id),
    index('cases_organization_idx').on(t.organizationId),
    index('cases_mediator_idx').on(t.mediatorId),
    index('cases_county_idx').on(t.countyCode),
    index('cases_due_idx').on(t.dueAt),
    // A mediator's queue and a county's list by status read one page in index order, whatever the table's size.
    index('cases_mediator_queue_idx').on(t.mediatorId, t.riskRank, t.createdAt, t.id),
    index('cases_county_status_idx').on(t.countyCode, t.status, t.riskRank, t.createdAt, t.id),
  ],
);

export const caseParties = pgTable(
  'case_parties',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    /** APPLICANT (申请人) or RESPONDENT (被申请人). */
    role: text('role').notNull(),
    /** PERSON or ORGANIZATION. */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    /** Normalised mobile number: links the party to an account, including one registered later. */
    phone: text('phone').notNull(),
    userId: uuid('user_id').references(() => users.id),
    idNumberEnc: text('id_number_enc'),
    idNumberMasked: text('id_number_masked'),
    creditCode: text('credit_code'),
    address: text('address'),
    /** The county (6-digit code) of the domicile, given at filing or recognised in the address text; a ground of jurisdiction (CPL 205). */
    domicileRegionCode: text('domicile_region_code'),
    /** For a party without an account, as given at filing (MALE / FEMALE). */
    gender: text('gender'),
    ethnicity: text('ethnicity'),
    occupation: text('occupation'),
    /** Electronic service address (电子送达地址) a party without an account designated at filing. */
    serviceAddress: text('service_address'),
    /** When and through which channel the party consented to electronic service; without it no address is printed. */
    serviceConsentAt: timestamp('service_consent_at', { withTimezone: true }),
    serviceConsentChannel: text('service_consent_channel'),
    /** special: 特别授权 (may sign and apply on the party's behalf, INT 351); general: 一般授权. */
    agents: jsonb('agents').$type<PartyAgent[]>().notNull().default([]),
    /** PENDING, ACCEPTED or REFUSED (respondents); applicants are ACCEPTED by filing. */
    consent: text('consent').notNull(),
    consentAt: timestamp('consent_at', { withTimezone: true }),
    consentReason: text('consent_reason'),
    /** The mediator this party chose from the roster (joint choice when all parties agree). */
    chosenMediatorId: uuid('chosen_mediator_id').references(() => mediators.id),
    position: integer('position').notNull(),
  },
  (t) => [
    index('case_parties_case_idx').on(t.caseId),
    index('case_parties_phone_idx').on(t.phone),
    index('case_parties_user_idx').on(t.userId),
  ],
);

/** 派单: every hand-off, naming the organisation, person and time limit, with its outcome. */
export const caseAssignments = pgTable(
  'case_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    /** Null when the organisation itself is asked to take the case up (any of its mediators). */
    mediatorId: uuid('mediator_id').references(() => mediators.id),
    level: caseLevel('level').notNull(),
    /** DIVERSION, REASSIGNMENT, TRANSFER, ESCALATION, OVERRIDE. */
    kind: text('kind').notNull(),
    reason: text('reason').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    dueRule: text('due_rule').notNull(),
    /** PENDING until decided: ACCEPTED, DECLINED, EXPIRED, SUPERSEDED, or WITHDRAWN with the case. */
    status: text('status').$type<AssignmentStatus>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by'),
    decisionReason: text('decision_reason'),
  },
  (t) => [index('case_assignments_case_idx').on(t.caseId), index('case_assignments_org_idx').on(t.organizationId)],
);

/** Gap-free case numbering: one counter per county and year, incremented inside the filing transaction. */
export const caseNumberCounters = pgTable(
  'case_number_counters',
  {
    countyCode: text('county_code').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.countyCode, t.year], name: 'case_number_counters_pkey' })],
);

/** Case numbers per mediation organisation and year (（2026）金牛调字第N号), taken when it accepts the case. */
export const organizationCaseCounters = pgTable(
  'organization_case_counters',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.year], name: 'organization_case_counters_pkey' })],
);

/** Diversion rules, editable per region; the most specific region's rules win over the defaults. */
export const diversionRules = pgTable(
  'diversion_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Null: province-wide default. */
    regionCode: text('region_code'),
    category: disputeCategory('category').notNull(),
    /** Lower runs first. */
    priority: integer('priority').notNull(),
    channel: mediationChannel('channel').notNull(),
    organizationKinds: text('organization_kinds').array().notNull(),
    active: boolean('active').notNull().default(true),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [index('diversion_rules_lookup_idx').on(t.category, t.regionCode)],
);

/** Which courts may see a case: written when a case is delegated by, or sent to, a court. */
export const caseCourtAccess = pgTable(
  'case_court_access',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    courtId: uuid('court_id')
      .notNull()
      .references(() => organizations.id),
    reason: text('reason').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
    /**
     * Set when the matter leaves the court (application not accepted or withdrawn, transfer
     * acknowledged): the court keeps what it was sent, and nothing recorded later reaches it.
     */
    contentUntil: timestamp('content_until', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.courtId], name: 'case_court_access_pkey' })],
);

/**
 * A platform admin's reasoned, time-limited access to a case's content (minutes, messages,
 * evidence, full identity numbers); granted by openCaseContent, audited and shown on the case.
 */
export const caseContentGrants = pgTable(
  'case_content_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    reason: text('reason').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('case_content_grants_case_user_idx').on(t.caseId, t.userId, t.expiresAt)],
);

/**
 * Transactional outbox: notifications, risk alerts and webhooks are written in the same
 * transaction as the change and delivered after commit by a worker.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** NOTIFICATION, ALERT, WEBHOOK */
    kind: text('kind').notNull(),
    topic: text('topic').notNull(),
    /** Recipient: a phone, a user id, a region's police liaison, or an API client id. */
    recipient: text('recipient').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    caseId: uuid('case_id'),
    /** PENDING, DELIVERED, FAILED */
    status: text('status').notNull().default('PENDING'),
    attempts: integer('attempts').notNull().default(0),
    availableAt: timestamp('available_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    lastError: text('last_error'),
    lastStatus: integer('last_status'),
  },
  (t) => [index('outbox_pending_idx').on(t.status, t.availableAt), index('outbox_case_idx').on(t.caseId)],
);

/** A lease per background job, so that only one server instance runs it at a time. */
export const jobLeases = pgTable('job_leases', {
  name: text('name').primaryKey(),
  holder: text('holder').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
