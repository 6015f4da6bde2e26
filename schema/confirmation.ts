import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { agreements } from './agreements';
import { caseParties, cases } from './cases';
import { organizations } from './organizations';

/** One party's act of applying (CPL 205, INT 353: the application is joint). */
export interface ConfirmationApplicant {
  partyId: string;
  userId: string;
  name: string;
  role: string;
  appliedAt: string;
  /** The agent with special authority who applied for the party (INT 351); absent when the party applied. */
  agentName?: string;
}

/** The materials of INT 354, frozen when a party applies so the court sees what was sent. */
export interface ConfirmationMaterials {
  agreement: {
    id: string;
    number: string;
    version: number;
    fileId: string | null;
    sha256: string | null;
    verificationCode: string;
    effectiveAt: string | null;
  };
  parties: {
    partyId: string;
    role: string;
    kind: string;
    name: string;
    idNumberMasked: string | null;
    /** The full resident ID number (INT 354: the court receives each party's identity). */
    idNumber?: string | null;
    creditCode: string | null;
    domicile: string | null;
    phone: string;
    /** Absent on materials built before agents' special authority was recorded. */
    agents: { name: string; authority: string; special?: boolean; phone?: string | null }[];
    /** Set when an agent with special authority applied on the party's behalf (INT 351). */
    appliedByAgent?: string | null;
  }[];
  organization: { id: string; name: string; kind: string; creditCode: string | null; regionCode: string; address: string | null } | null;
  mediatorName: string | null;
  minutes: { sessionId: string; sha256: string | null; lockedAt: string | null }[];
  evidence: { evidenceId: string; title: string; fileId: string; sha256: string | null }[];
}

export interface CourtFailureReport {
  /** The formal ground in the platform's words (no free text written by the mediator or a party). */
  why: string;
  /** TerminationGround, REFUSED or CONFIRMATION_REJECTED. */
  ground?: string;
  dates?: { filedAt: string; mediationStartedAt: string | null; endedAt: string | null };
  parties?: { role: string; kind: string; name: string }[];
  undisputedFacts: string[];
  notesForCourt: null;
  routes: string[];
}

/** 司法确认申请: one per agreement at a time; a new one may follow a withdrawal or a decision. */
export const confirmationApplications = pgTable(
  'confirmation_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id),
    courtId: uuid('court_id')
      .notNull()
      .references(() => organizations.id),
    /** AWAITING_CO_APPLICANT, SUBMITTED, ACCEPTED, SUPPLEMENT_REQUESTED, NOT_ACCEPTED, CONFIRMED, REJECTED, WITHDRAWN */
    status: text('status').notNull(),
    applicants: jsonb('applicants').$type<ConfirmationApplicant[]>().notNull(),
    materials: jsonb('materials').$type<ConfirmationMaterials>().notNull(),
    /** When the last party applied and the application went to the court. */
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    /** JC2011 4: the court decides on acceptance within 3 days of submission. */
    acceptanceDueAt: timestamp('acceptance_due_at', { withTimezone: true }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    /** JC2011 5: ruling due 15 days after acceptance (+10 with the president's approval). */
    decisionDueAt: timestamp('decision_due_at', { withTimezone: true }),
    /** CPL 187: special procedure cases end within 30 days of acceptance. */
    statutoryCapAt: timestamp('statutory_cap_at', { withTimezone: true }),
    extendedAt: timestamp('extended_at', { withTimezone: true }),
    /** Name of the court president who approved the extension. */
    extensionApprovedBy: text('extension_approved_by'),
    extensionReason: text('extension_reason'),
    /** INT 355: set when not accepted, or when a REJECTED ruling rests on a 355 ground found after acceptance. */
    notAcceptedGround: text('not_accepted_ground'),
    rejectionGround: text('rejection_ground'),
    /** （YEAR）<court code>民特<serial>号, canonical full-width parentheses as on court documents. */
    rulingNumber: text('ruling_number'),
    rulingDate: date('ruling_date', { mode: 'string' }),
    decisionNote: text('decision_note'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    /** When the ruling was served on the parties (INT 372's 15 days run from it). */
    servedAt: timestamp('served_at', { withTimezone: true }),
    /** INT 372: a party may object within 15 days of service. */
    objectionDueAt: timestamp('objection_due_at', { withTimezone: true }),
    /** INT 372: an interested person within 6 months of knowing; counted here from service, the earliest knowledge. */
    thirdPartyObjectionDueAt: timestamp('third_party_objection_due_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawalReason: text('withdrawal_reason'),
    lockVersion: integer('lock_version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // At most one open application per agreement: two parties racing to start one cannot both win.
    uniqueIndex('confirmation_applications_open_key')
      .on(t.agreementId)
      .where(sql`${t.status} in ('AWAITING_CO_APPLICANT', 'SUBMITTED', 'ACCEPTED', 'SUPPLEMENT_REQUESTED')`),
    uniqueIndex('confirmation_applications_ruling_key').on(t.courtId, t.rulingNumber).where(sql`${t.rulingNumber} is not null`),
    index('confirmation_applications_case_idx').on(t.caseId),
    index('confirmation_applications_court_idx').on(t.courtId, t.status, t.submittedAt),
  ],
);

/** A court's request for further materials (INT 354, 356) and the parties' answer. */
export const confirmationSupplements = pgTable(
  'confirmation_supplements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => confirmationApplications.id),
    items: text('items').array().notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    /** The status the application returns to once answered (SUBMITTED or ACCEPTED). */
    resumeStatus: text('resume_status').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    /** The API client that asked. */
    requestedBy: uuid('requested_by').notNull(),
    answer: text('answer'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    answeredBy: uuid('answered_by').references(() => users.id),
    answeredLate: boolean('answered_late'),
  },
  (t) => [index('confirmation_supplements_application_idx').on(t.applicationId, t.requestedAt)],
);

/** 申请强制执行 of a confirmed agreement (CPL 206, 250), sent to the confirming court. */
export const enforcementApplications = pgTable(
  'enforcement_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    confirmationId: uuid('confirmation_id')
      .notNull()
      .references(() => confirmationApplications.id),
    courtId: uuid('court_id')
      .notNull()
      .references(() => organizations.id),
    partyId: uuid('party_id')
      .notNull()
      .references(() => caseParties.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    note: text('note'),
    /** The last day of performance the 2-year period runs from. */
    lastPerformanceDate: date('last_performance_date', { mode: 'string' }).notNull(),
    /** CPL 250: the end of the 2-year period. */
    limitationEndsAt: timestamp('limitation_ends_at', { withTimezone: true }).notNull(),
    /** Filed after limitationEndsAt: accepted, the time bar being the respondent's defence (INT 481). */
    late: boolean('late').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('enforcement_applications_case_idx').on(t.caseId), index('enforcement_applications_court_idx').on(t.courtId, t.createdAt)],
);

/** 转立案: a failed, refused or rejected case sent to a court for filing (OMR 21, CPL 126). */
export const litigationTransfers = pgTable(
  'litigation_transfers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    courtId: uuid('court_id')
      .notNull()
      .references(() => organizations.id),
    /** PENDING (awaiting the court's filing decision) or ACKNOWLEDGED (docketed). */
    status: text('status').notNull(),
    partyId: uuid('party_id')
      .notNull()
      .references(() => caseParties.id),
    requestedBy: uuid('requested_by')
      .notNull()
      .references(() => users.id),
    /** The case status the transfer came from: FAILED, REFUSED or CONFIRMATION_REJECTED. */
    fromStatus: text('from_status').notNull(),
    /**
     * What the court receives (OMR 18, 21; SIM 2): the formal parts only — the ground, the dates and
     * the parties — and the facts every party confirmed; never minutes, messages or the mediator's
     * notes. `notesForCourt` is always null (kept for clients that read it).
     */
    failureReport: jsonb('failure_report').$type<CourtFailureReport>().notNull(),
    /** OMR 21: facts the parties confirmed as undisputed, the only concessions usable later (OMR 18). */
    undisputedFacts: text('undisputed_facts').array().notNull(),
    note: text('note'),
    /** CPL 126: the court decides on filing within 7 days. */
    filingDueAt: timestamp('filing_due_at', { withTimezone: true }).notNull(),
    /** (YEAR)<court code>民初<serial>号 */
    docketNumber: text('docket_number'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    lockVersion: integer('lock_version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    // A case goes to litigation once; a second transfer would fork the file.
    uniqueIndex('litigation_transfers_case_key').on(t.caseId),
    uniqueIndex('litigation_transfers_docket_key').on(t.courtId, t.docketNumber).where(sql`${t.docketNumber} is not null`),
    index('litigation_transfers_court_idx').on(t.courtId, t.status, t.createdAt),
  ],
);
