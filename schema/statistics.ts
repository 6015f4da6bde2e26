import { boolean, index, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
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
