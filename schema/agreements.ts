import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts';
import { caseParties, cases } from './cases';

/** Files kept for a case (agreement PDFs, evidence): content-addressed, never overwritten. */
export const storedFiles = pgTable(
  'stored_files',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Storage key (the SHA-256 of the bytes): the same bytes are stored once. */
    storageKey: text('storage_key').notNull(),
    sha256: text('sha256').notNull(),
    size: integer('size').notNull(),
    contentType: text('content_type').notNull(),
    fileName: text('file_name').notNull(),
    caseId: uuid('case_id').references(() => cases.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
  },
  (t) => [index('stored_files_case_idx').on(t.caseId)],
);

/** 调解协议书: one row per version; an effective version is never changed, a correction supersedes it. */
export const agreements = pgTable(
  'agreements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    /** 1 for the first draft; a correction is version + 1 and supersedes the previous one. */
    version: integer('version').notNull(),
    number: text('number').notNull(),
    /** DRAFT, SIGNING, EFFECTIVE, SUPERSEDED */
    status: text('status').notNull(),
    templateId: text('template_id').notNull(),
    templateVersion: integer('template_version').notNull(),
    /** Everything printed on the agreement except signatures (facts, issues, terms, parties…). */
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    /** The PDF the signers are shown (before signatures). */
    draftFileId: uuid('draft_file_id').references(() => storedFiles.id),
    draftSha256: text('draft_sha256'),
    /** The final, signed and sealed PDF. */
    finalFileId: uuid('final_file_id').references(() => storedFiles.id),
    finalSha256: text('final_sha256'),
    verificationCode: text('verification_code').notNull(),
    effectiveAt: timestamp('effective_at', { withTimezone: true }),
    /** PML 33, CPL 205: joint application for judicial confirmation within 30 days of effect. */
    confirmationDeadline: timestamp('confirmation_deadline', { withTimezone: true }),
    supersedesId: uuid('supersedes_id'),
    lockVersion: integer('lock_version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('agreements_case_version_key').on(t.caseId, t.version),
    uniqueIndex('agreements_verification_code_key').on(t.verificationCode),
    index('agreements_case_idx').on(t.caseId),
  ],
);

/** Signature evidence: who, in what role, when, from where, over which exact bytes (电子签名法 13). */
export const agreementSignatures = pgTable(
  'agreement_signatures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreements.id),
    /** The case party signing; null for the mediator. */
    partyId: uuid('party_id').references(() => caseParties.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** PARTY or MEDIATOR */
    role: text('role').notNull(),
    name: text('name').notNull(),
    /** The agent with special authority who signed for the party (INT 351); null when the party signed. */
    agentName: text('agent_name'),
    signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** SHA-256 of the exact PDF bytes the signer was shown. */
    shownSha256: text('shown_sha256').notNull(),
  },
  (t) => [
    uniqueIndex('agreement_signatures_party_key').on(t.agreementId, t.userId, t.role),
    index('agreement_signatures_agreement_idx').on(t.agreementId),
  ],
);

/** How mediation ended when it failed (OMR 25, SIM 26) and the failure report a court receives (OMR 21). */
export const caseTerminations = pgTable('case_terminations', {
  caseId: uuid('case_id')
    .primaryKey()
    .references(() => cases.id),
  ground: text('ground').notNull(),
  note: text('note'),
  /** { why, undisputedFacts: string[], notesForCourt, routes } */
  failureReport: jsonb('failure_report').$type<{ why: string; undisputedFacts: string[]; notesForCourt: string | null; routes: string[] }>().notNull(),
  terminatedAt: timestamp('terminated_at', { withTimezone: true }).notNull(),
  terminatedBy: uuid('terminated_by'),
});
