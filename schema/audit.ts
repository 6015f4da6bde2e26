import { bigserial, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Append-only record of every change, one hash chain per subject (a case, an organisation, …):
 * each event's hash covers its content and the previous event's hash, so an edit or a removal
 * anywhere in a chain is detected by `verifyEventChain`.
 */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** 'case', 'organization', 'user', 'api_client', … */
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    /** Position in the subject's chain, from 1. */
    seq: integer('seq').notNull(),
    type: text('type').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** 'user', 'apiClient', 'system' */
    actorKind: text('actor_kind').notNull(),
    actorId: uuid('actor_id'),
    actorRole: text('actor_role'),
    actorName: text('actor_name'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    beforeStatus: text('before_status'),
    afterStatus: text('after_status'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    prevHash: text('prev_hash'),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('events_subject_seq_key').on(t.subjectType, t.subjectId, t.seq),
    index('events_at_idx').on(t.at),
  ],
);
