import { sql } from 'drizzle-orm';
import { date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { userRole } from './enums';
import { organizations } from './organizations';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Normalised mainland mobile number; the login name. */
    phone: text('phone').notNull(),
    passwordHash: text('password_hash').notNull(),
    name: text('name').notNull(),
    role: userRole('role').notNull().default('PARTY'),
    /** For mediators, organisation admins and grid workers: the organisation they act for. */
    organizationId: uuid('organization_id').references(() => organizations.id),
    /** Resident ID number, AES-256-GCM encrypted (iv.tag.ciphertext, base64). */
    idNumberEnc: text('id_number_enc'),
    /** SHA-256 of the normalised ID number under the data key, to find duplicates without decrypting. */
    idNumberDigest: text('id_number_digest'),
    /** The ID number with all but the first and last four characters masked. */
    idNumberMasked: text('id_number_masked'),
    gender: text('gender'),
    birthDate: date('birth_date', { mode: 'string' }),
    ethnicity: text('ethnicity'),
    occupation: text('occupation'),
    /** Domicile (住所). */
    address: text('address'),
    /** Electronic service address (送达地址) if different from the phone. */
    serviceAddress: text('service_address'),
    /** When and through which channel (e.g. PROFILE) the user consented to electronic service; the address is printed only with it. */
    serviceConsentAt: timestamp('service_consent_at', { withTimezone: true }),
    serviceConsentChannel: text('service_consent_channel'),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('users_phone_key').on(t.phone),
    index('users_organization_idx').on(t.organizationId),
    uniqueIndex('users_id_number_digest_key').on(t.idNumberDigest).where(sql`${t.idNumberDigest} is not null`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** SHA-256 of the bearer token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

/** Failed-login counters per phone and per client address; survive restarts and span instances. */
export const loginThrottles = pgTable('login_throttles', {
  /** "phone:<phone>" or "ip:<address>". */
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});
