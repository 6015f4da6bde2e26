import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { caseLevel, disputeCategory, mediationChannel, organizationKind, regionLevel } from './enums';
import { users } from './accounts';

/** Statistical division codes (reference data, reloaded on start). */
export const regions = pgTable(
  'regions',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    parentCode: text('parent_code'),
    level: regionLevel('level').notNull(),
  },
  (t) => [index('regions_parent_idx').on(t.parentCode)],
);

/** Which version of each reference data set was last loaded, so a restart skips unchanged data. */
export const referenceData = pgTable('reference_data', {
  name: text('name').primaryKey(),
  digest: text('digest').notNull(),
  rows: integer('rows').notNull(),
  loadedAt: timestamp('loaded_at', { withTimezone: true }).notNull(),
});

export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** 简称 used in its case numbers (宾川县金牛镇人民调解委员会 -> 金牛): derived from the name when created unless given; unique. */
    shortName: text('short_name'),
    kind: organizationKind('kind').notNull(),
    channel: mediationChannel('channel').notNull(),
    regionCode: text('region_code')
      .notNull()
      .references(() => regions.code),
    /** The level the organisation works at, derived from its region. */
    level: caseLevel('level').notNull(),
    categories: disputeCategory('categories').array().notNull().default(sql`'{}'`),
    /** Courts only: e.g. 云2924. */
    courtCode: text('court_code'),
    /** Unified social credit code (GB 32100). */
    creditCode: text('credit_code'),
    /** For court-invited (特邀) organisations: the court whose roster they are on. */
    invitingCourtId: uuid('inviting_court_id'),
    chargesFee: boolean('charges_fee').notNull().default(false),
    profile: text('profile'),
    scope: text('scope'),
    address: text('address'),
    phone: text('phone'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('organizations_region_idx').on(t.regionCode),
    uniqueIndex('organizations_court_code_key').on(t.courtCode).where(sql`${t.courtCode} is not null`),
    uniqueIndex('organizations_name_region_key').on(t.name, t.regionCode),
    // A case number (（2026）金牛调字第N号) identifies one organisation.
    uniqueIndex('organizations_short_name_key').on(t.shortName).where(sql`${t.shortName} is not null`),
  ],
);

export const mediators = pgTable(
  'mediators',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    channel: mediationChannel('channel').notNull(),
    categories: disputeCategory('categories').array().notNull().default(sql`'{}'`),
    /** ISO 639 codes. */
    languages: text('languages').array().notNull().default(sql`'{zh}'`),
    /** How many open cases the mediator takes at once. */
    capacity: integer('capacity').notNull().default(10),
    title: text('title'),
    profile: text('profile'),
    chargesFee: boolean('charges_fee').notNull().default(false),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('mediators_user_key').on(t.userId), index('mediators_organization_idx').on(t.organizationId)],
);

/** A court's system acting through the API. */
export const apiClients = pgTable(
  'api_clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id),
    /** First characters of the secret, shown in listings so admins can tell clients apart. */
    secretPrefix: text('secret_prefix').notNull(),
    /** SHA-256 of the secret (high-entropy, so a fast hash is enough). */
    secretHash: text('secret_hash').notNull(),
    webhookUrl: text('webhook_url'),
    /** Webhook signing secret, encrypted with the data key (it must be readable to sign). */
    webhookSecretEnc: text('webhook_secret_enc'),
    rateLimitPerMinute: integer('rate_limit_per_minute').notNull().default(600),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_clients_secret_hash_key').on(t.secretHash), index('api_clients_org_idx').on(t.organizationId)],
);
