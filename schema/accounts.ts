import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { userRole } from './enums';
import { organizations } from './organizations';

/** How an identity was verified (实名): by phone code, against an identity service, in person by a mediator. */
export type IdentityMethod = 'PHONE' | 'ID_SERVICE' | 'IN_PERSON';
/** What a one-time code is for. */
export type PhoneCodePurpose = 'REGISTER' | 'LOGIN' | 'RESET_PASSWORD' | 'CHANGE_PHONE';

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
    /** When the owner last proved the phone with a one-time code; only a verified phone is matched to case parties. */
    phoneVerifiedAt: timestamp('phone_verified_at', { withTimezone: true }),
    /** 实名: the strongest way the identity was verified (PHONE, ID_SERVICE, IN_PERSON); null when never. */
    identityMethod: text('identity_method').$type<IdentityMethod>(),
    identityVerifiedAt: timestamp('identity_verified_at', { withTimezone: true }),
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

/**
 * Password-check attempt counters (login, signing, password change, session re-check) per phone,
 * user and client address; counted before the hash is compared; survive restarts and span instances.
 */
export const loginThrottles = pgTable('login_throttles', {
  /** "phone:<phone>", "user:<id>" or "ip:<address>". */
  key: text('key').primaryKey(),
  /** Attempts in the current window (taken before each comparison; a success gives its own back). */
  failures: integer('failures').notNull().default(0),
  windowStartedAt: timestamp('window_started_at', { withTimezone: true }).notNull(),
  /** No further attempt is checked before this instant (a growing delay, not a lock-out). */
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
});

/** One-time SMS codes; only a keyed hash of the code is stored, and a used code is spent. */
export const phoneCodes = pgTable(
  'phone_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    phone: text('phone').notNull(),
    purpose: text('purpose').$type<PhoneCodePurpose>().notNull(),
    /** HMAC-SHA256 under the data key of "<phone>:<purpose>:<code>". */
    codeHash: text('code_hash').notNull(),
    /** Client address that asked for it, for the per-address limit. */
    ip: text('ip'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
  },
  (t) => [index('phone_codes_phone_idx').on(t.phone, t.createdAt), index('phone_codes_ip_idx').on(t.ip, t.createdAt)],
);

/** Every identity verification attempt (实名), whatever its outcome. */
export const identityVerifications = pgTable(
  'identity_verifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    method: text('method').$type<IdentityMethod>().notNull(),
    passed: boolean('passed').notNull(),
    /** The verifier (e.g. "none", "http") or, in person, the mediator's user id. */
    verifiedBy: text('verified_by').notNull(),
    /** In person: the document shown (RESIDENT_ID_CARD, PASSPORT, ...). */
    documentType: text('document_type'),
    detail: text('detail'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('identity_verifications_user_idx').on(t.userId, t.createdAt)],
);

/** Key material kept in the database so every instance uses the same one (the self-signed signing key). */
export const signingKeys = pgTable('signing_keys', {
  /** "self-signed". */
  name: text('name').primaryKey(),
  /** PKCS#12 bytes, base64, encrypted under the data key. */
  p12Enc: text('p12_enc').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
});
