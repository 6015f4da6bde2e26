import { index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { EVIDENCE_VISIBILITIES } from '../server/domain/evidence/rules';
import { users } from './accounts';
import { storedFiles } from './agreements';
import { cases } from './cases';

export const evidenceVisibility = pgEnum('evidence_visibility', EVIDENCE_VISIBILITIES);

/**
 * Evidence (证据材料) a party or the case's mediator put on the case. The bytes live in stored_files;
 * a withdrawn item keeps its row and its bytes, because the case file must show what was submitted.
 */
export const evidence = pgTable(
  'evidence',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    fileId: uuid('file_id')
      .notNull()
      .references(() => storedFiles.id),
    title: text('title').notNull(),
    description: text('description'),
    /** SHARED: everyone on the case; MEDIATOR_ONLY: the mediator side and the uploader (背对背 material). */
    visibility: evidenceVisibility('visibility').notNull(),
    uploadedBy: uuid('uploaded_by')
      .notNull()
      .references(() => users.id),
    /** The capacity the uploader acted in: APPLICANT, RESPONDENT or MEDIATOR. */
    role: text('role').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnReason: text('withdrawn_reason'),
  },
  (t) => [index('evidence_case_idx').on(t.caseId, t.createdAt), index('evidence_file_idx').on(t.fileId)],
);
