import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { caseParties, cases } from './cases';

/** A mediation session (调解会): online or on site, with the parties taking part and its minutes (调解笔录). */
export const mediationSessions = pgTable(
  'mediation_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    /** OFFICE_HOURS 坐班门诊, VILLAGE_VISIT 进村出诊, JOINT 集体会诊, HOME_FOLLOW_UP 上门复诊. */
    kind: text('kind').notNull(),
    /** VIDEO, ON_SITE, PHONE, ASYNC */
    mode: text('mode').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    place: text('place'),
    /** A link to an external meeting, entered by the mediator when LiveKit is not configured. */
    meetingUrl: text('meeting_url'),
    /** The case parties taking part; fewer than all of them is a separate session (背对背). */
    participantPartyIds: uuid('participant_party_ids').array().notNull(),
    /** SCHEDULED or CANCELLED */
    status: text('status').notNull(),
    cancelReason: text('cancel_reason'),
    /** Last sequence number handed to a room message: incremented under the row lock, so numbers never collide. */
    messageSeq: integer('message_seq').notNull().default(0),
    minutesText: text('minutes_text').notNull().default(''),
    /** 0 until the mediator first writes minutes. */
    minutesVersion: integer('minutes_version').notNull().default(0),
    /** Set when every participating party has confirmed the current version; no edit after. */
    minutesLockedAt: timestamp('minutes_locked_at', { withTimezone: true }),
    minutesSha256: text('minutes_sha256'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('mediation_sessions_case_idx').on(t.caseId, t.startsAt)],
);

/** Every version of a session's minutes, kept so the record shows how they changed. */
export const sessionMinutesVersions = pgTable(
  'session_minutes_versions',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => mediationSessions.id),
    version: integer('version').notNull(),
    text: text('text').notNull(),
    editedAt: timestamp('edited_at', { withTimezone: true }).notNull(),
    editedBy: uuid('edited_by'),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.version], name: 'session_minutes_versions_pkey' })],
);

/** A party's confirmation of one version of the minutes. */
export const sessionMinutesConfirmations = pgTable(
  'session_minutes_confirmations',
  {
    sessionId: uuid('session_id')
      .notNull()
      .references(() => mediationSessions.id),
    partyId: uuid('party_id')
      .notNull()
      .references(() => caseParties.id),
    /** The minutes version the party read and confirmed; an edit afterwards needs a new confirmation. */
    version: integer('version').notNull(),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull(),
    userId: uuid('user_id'),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.partyId, t.version], name: 'session_minutes_confirmations_pkey' })],
);

/**
 * What was said in the live room, stored before it is published so that a reconnecting client
 * replays what it missed: chat, proposals, presence and minute updates.
 */
export const sessionMessages = pgTable(
  'session_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => mediationSessions.id),
    /** 1, 2, 3… per session: the `after` cursor of the room subscription. */
    seq: integer('seq').notNull(),
    /** CHAT, PROPOSAL, PRESENCE, MINUTES */
    kind: text('kind').notNull(),
    body: text('body').notNull(),
    /** Kind-specific details, e.g. { present } for presence or { version } for minutes. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    authorUserId: uuid('author_user_id'),
    authorName: text('author_name'),
    /** MEDIATOR or PARTY */
    authorRole: text('author_role'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('session_messages_session_seq_key').on(t.sessionId, t.seq)],
);

/** Facts the parties do not dispute (OMR 22); the only admissions that survive a failed mediation (OMR 18). */
export const undisputedFacts = pgTable(
  'undisputed_facts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    sessionId: uuid('session_id').references(() => mediationSessions.id),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by'),
  },
  (t) => [index('undisputed_facts_case_idx').on(t.caseId)],
);

export const undisputedFactConfirmations = pgTable(
  'undisputed_fact_confirmations',
  {
    factId: uuid('fact_id')
      .notNull()
      .references(() => undisputedFacts.id),
    partyId: uuid('party_id')
      .notNull()
      .references(() => caseParties.id),
    confirmedAt: timestamp('confirmed_at', { withTimezone: true }).notNull(),
    userId: uuid('user_id'),
  },
  (t) => [primaryKey({ columns: [t.factId, t.partyId], name: 'undisputed_fact_confirmations_pkey' })],
);

/** A party's consent to a session form that needs it, e.g. separate sessions with one side (背对背). */
export const partySessionConsents = pgTable(
  'party_session_consents',
  {
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    partyId: uuid('party_id')
      .notNull()
      .references(() => caseParties.id),
    /** SEPARATE_SESSIONS */
    form: text('form').notNull(),
    consentedAt: timestamp('consented_at', { withTimezone: true }).notNull(),
    userId: uuid('user_id'),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.partyId, t.form], name: 'party_session_consents_pkey' })],
);

/** A mediator's request to extend the mediation time limit; granted only with every party's consent (OMR 26, SIM 27). */
export const mediationExtensions = pgTable(
  'mediation_extensions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    days: integer('days').notNull(),
    reason: text('reason').notNull(),
    /** PENDING, GRANTED, REFUSED */
    status: text('status').notNull(),
    /** The deadline before and after, recorded when granted. */
    previousDueAt: timestamp('previous_due_at', { withTimezone: true }),
    newDueAt: timestamp('new_due_at', { withTimezone: true }),
    /** { partyId, userId, consent, at }[]: one answer per party. */
    answers: jsonb('answers').$type<{ partyId: string; userId: string; consent: boolean; at: string }[]>().notNull().default([]),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    requestedBy: uuid('requested_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [index('mediation_extensions_case_idx').on(t.caseId)],
);

/** A party's request for another mediator (OMR 13–14): a second one means refusing mediation. */
export const mediatorChangeRequests = pgTable(
  'mediator_change_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    partyId: uuid('party_id')
      .notNull()
      .references(() => caseParties.id),
    mediatorId: uuid('mediator_id'),
    reason: text('reason').notNull(),
    /** REASSIGNED or TERMINATED */
    outcome: text('outcome').notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true }).notNull(),
    userId: uuid('user_id'),
    isRepeat: boolean('is_repeat').notNull().default(false),
  },
  (t) => [index('mediator_change_requests_case_idx').on(t.caseId, t.partyId)],
);
