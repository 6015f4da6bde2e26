import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { LEAD_SOURCES, LEAD_STATUSES, SCREENING_REPORT_STATUSES } from '../server/domain/screening/types';
import { users } from './accounts';
import { cases, riskLevel } from './cases';
import { disputeCategory } from './enums';
import { organizations } from './organizations';

export const leadSource = pgEnum('lead_source', LEAD_SOURCES);
export const leadStatus = pgEnum('lead_status', LEAD_STATUSES);
export const screeningReportStatus = pgEnum('screening_report_status', SCREENING_REPORT_STATUSES);

export interface LeadPerson {
  name: string;
  phone: string | null;
  /** AES-256-GCM encrypted ID number (iv.tag.ciphertext), when given. */
  idNumberEnc: string | null;
  idNumberMasked: string | null;
}

/** A weekly screening report (周排查) of a village or community, including "nothing found" (零报告). */
export const screeningReports = pgTable(
  'screening_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The village or community (12-digit code) that screened its area. */
    regionCode: text('region_code').notNull(),
    townshipCode: text('township_code').notNull(),
    countyCode: text('county_code').notNull(),
    /** ISO week, e.g. 2026-W48. */
    week: text('week').notNull(),
    /** Monday of the week. */
    weekStart: date('week_start', { mode: 'string' }).notNull(),
    /** When the report was due: the first working day after the week, end of day. */
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    status: screeningReportStatus('status').notNull(),
    /** 零报告: the area was screened and nothing was found. */
    nothingFound: boolean('nothing_found').notNull().default(false),
    leadCount: integer('lead_count').notNull().default(0),
    note: text('note'),
    /** Submitted after it had been marked overdue. */
    late: boolean('late').notNull().default(false),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by').references(() => users.id),
    overdueAt: timestamp('overdue_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    uniqueIndex('screening_reports_region_week_key').on(t.regionCode, t.week),
    index('screening_reports_township_idx').on(t.townshipCode, t.weekStart),
    index('screening_reports_county_idx').on(t.countyCode, t.weekStart),
  ],
);

/** A dispute found on the ground (矛盾纠纷排查台账): one row per lead, with what became of it. */
export const disputeLeads = pgTable(
  'dispute_leads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Where it was found: down to the village when known. */
    regionCode: text('region_code').notNull(),
    /** The township and county of regionCode (null township when the lead is placed at county level). */
    townshipCode: text('township_code'),
    countyCode: text('county_code').notNull(),
    address: text('address'),
    category: disputeCategory('category').notNull(),
    people: jsonb('people').$type<LeadPerson[]>().notNull(),
    description: text('description').notNull(),
    source: leadSource('source').notNull(),
    riskLevel: riskLevel('risk_level').notNull().default('LOW'),
    /** 0 LOW, 1 MEDIUM, 2 HIGH. */
    riskRank: integer('risk_rank').notNull().default(0),
    riskSignals: jsonb('risk_signals').$type<{ code: string; label: string; evidence: string }[]>().notNull().default([]),
    /** The calendar day the dispute was found; the monthly summary counts by it. */
    foundOn: date('found_on', { mode: 'string' }).notNull(),
    status: leadStatus('status').notNull().default('OPEN'),
    /** RESOLVED_ON_SPOT: the short record of who agreed to what. */
    resolution: text('resolution'),
    /** CONVERTED: the case it became. */
    caseId: uuid('case_id').references(() => cases.id),
    /** REFERRED: the receiving body and why. */
    referredTo: text('referred_to'),
    referralReason: text('referral_reason'),
    /** UNDER_WATCH (包保): the named person, their account when they have one, the next review. */
    watchPersonName: text('watch_person_name'),
    watchUserId: uuid('watch_user_id').references(() => users.id),
    watchReviewDate: date('watch_review_date', { mode: 'string' }),
    watchMeasures: text('watch_measures'),
    outcomeAt: timestamp('outcome_at', { withTimezone: true }),
    outcomeBy: uuid('outcome_by').references(() => users.id),
    /** The weekly report that listed the lead. */
    reportId: uuid('report_id').references(() => screeningReports.id),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    /** The recorder's organisation. */
    organizationId: uuid('organization_id').references(() => organizations.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    index('dispute_leads_region_idx').on(t.regionCode),
    index('dispute_leads_township_idx').on(t.townshipCode, t.foundOn),
    index('dispute_leads_county_idx').on(t.countyCode, t.foundOn),
    index('dispute_leads_open_risk_idx').on(t.status, t.riskRank).where(sql`${t.status} in ('OPEN', 'UNDER_WATCH')`),
    uniqueIndex('dispute_leads_case_key').on(t.caseId).where(sql`${t.caseId} is not null`),
  ],
);
