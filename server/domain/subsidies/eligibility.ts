import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Executor } from '../../db';
import type { FileRequirement, SubsidyGrade, SubsidyMissing } from './types';

/** What the platform knows about one case's file, read in one statement for many cases. */
export interface CaseFileFacts {
  caseId: string;
  caseNumber: string;
  regionCode: string;
  /** China-time day it settled (or the parties settled it themselves); null when it did not. */
  settledDay: string | null;
  privateSettlement: boolean;
  hasAgreement: boolean;
  hasOralRecord: boolean;
  hasMinutes: boolean;
  hasFollowUp: boolean;
  grade: SubsidyGrade | null;
  unsound: boolean;
  paid: boolean;
  personUserId: string | null;
  personName: string | null;
  personRole: string | null;
  ruleSetId: string | null;
  amountsFen: Record<SubsidyGrade, number> | null;
  fileRequirements: FileRequirement[] | null;
}

export interface Eligibility {
  eligible: boolean;
  missing: SubsidyMissing[];
  /** The amount the case earns under its rule version, when graded. */
  amountFen: number | null;
}

/**
 * Pure: which cases earn what. Settled (or ended by the parties' own settlement), a rule version in
 * force on that day, graded, a mediator to pay, the file the version requires (the agreement or,
 * for a private settlement, the record of the oral agreement; confirmed minutes; a follow-up done),
 * not found unsound, and not paid before.
 */
export function evaluateEligibility(f: CaseFileFacts): Eligibility {
  const missing: SubsidyMissing[] = [];
  if (!f.settledDay) missing.push('NOT_SETTLED');
  else if (!f.ruleSetId) missing.push('NO_RULES');
  if (!f.grade) missing.push('NOT_GRADED');
  if (!f.personUserId) missing.push('NO_MEDIATOR');
  const required = f.fileRequirements ?? ['AGREEMENT', 'MINUTES', 'FOLLOW_UP'];
  if (required.includes('AGREEMENT') && !(f.hasAgreement || (f.privateSettlement && f.hasOralRecord))) missing.push('AGREEMENT');
  if (required.includes('MINUTES') && !f.hasMinutes) missing.push('MINUTES');
  if (required.includes('FOLLOW_UP') && !f.hasFollowUp) missing.push('FOLLOW_UP');
  if (f.paid) missing.push('ALREADY_PAID');
  if (f.unsound) missing.push('UNSOUND');
  const amountFen = f.grade && f.amountsFen ? f.amountsFen[f.grade] : null;
  return { eligible: missing.length === 0, missing, amountFen };
}

interface RawFacts extends Record<string, unknown> {
  case_id: string;
  case_number: string;
  region_code: string;
  settled_day: string | null;
  private_settlement: boolean | null;
  has_agreement: boolean;
  has_oral_record: boolean | null;
  has_minutes: boolean;
  has_follow_up: boolean;
  grade: SubsidyGrade | null;
  unsound: boolean;
  paid: boolean;
  person_user_id: string | null;
  person_name: string | null;
  person_role: string | null;
  rule_set_id: string | null;
  amounts_fen: Record<SubsidyGrade, number> | string | null;
  file_requirements: FileRequirement[] | string | null;
}

/** Postgres text arrays come back as arrays from postgres.js and PGlite; tolerate the literal form too. */
function textArray(v: FileRequirement[] | string | null): FileRequirement[] | null {
  if (v === null || Array.isArray(v)) return v;
  return v.replace(/^\{|\}$/g, '').split(',').filter(Boolean) as FileRequirement[];
}

/**
 * The file facts of the cases matching `where` (on cases aliased c) that ended by settlement before
 * `end` (ISO instant). One statement with EXISTS probes per case, so its cost follows the cases asked for.
 */
export async function caseFileFacts(db: Executor, where: SQL, end: string | null): Promise<CaseFileFacts[]> {
  const settledAt = sql`coalesce(f.settled_at, case when t.ground = 'PRIVATE_SETTLEMENT' then t.terminated_at end)`;
  const endFilter = end ? sql`and ${settledAt} < ${end}::timestamptz` : sql``;
  const rows = await queryRows<RawFacts>(
    db,
    sql`select c.id::text as case_id, c.number as case_number, c.region_code,
          to_char(${settledAt} at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as settled_day,
          (f.settled_at is null and t.ground = 'PRIVATE_SETTLEMENT') as private_settlement,
          exists (select 1 from agreements a where a.case_id = c.id and a.status = 'EFFECTIVE') as has_agreement,
          (t.ground = 'PRIVATE_SETTLEMENT' and length(trim(coalesce(t.note, ''))) > 0) as has_oral_record,
          exists (select 1 from mediation_sessions s where s.case_id = c.id and s.minutes_locked_at is not null) as has_minutes,
          exists (select 1 from follow_ups fu where fu.case_id = c.id and fu.status = 'DONE') as has_follow_up,
          g.grade,
          (exists (select 1 from subsidy_spot_checks sc where sc.case_id = c.id and sc.outcome = 'UNSOUND')
            or exists (select 1 from confirmation_applications ca where ca.case_id = c.id and ca.status = 'REJECTED' and ca.rejection_ground = 'SHAM_MEDIATION')) as unsound,
          exists (select 1 from subsidy_statement_lines l where l.case_id = c.id and l.kind = 'PAYMENT' and l.live) as paid,
          m.user_id::text as person_user_id, u.name as person_name, u.role::text as person_role,
          r.id::text as rule_set_id, r.amounts_fen, r.file_requirements
        from cases c
        left join case_facts f on f.case_id = c.id
        left join case_terminations t on t.case_id = c.id
        left join case_subsidy_grades g on g.case_id = c.id
        left join mediators m on m.id = c.mediator_id
        left join users u on u.id = m.user_id
        left join lateral (
          select r.id, r.amounts_fen, r.file_requirements from subsidy_rule_sets r
          where r.county_code = c.county_code and r.effective_from <= (${settledAt} at time zone 'Asia/Shanghai')::date
          order by r.effective_from desc limit 1
        ) r on true
        where ${where} ${endFilter}
        order by ${settledAt}, c.number`,
  );
  return rows.map((r) => ({
    caseId: r.case_id,
    caseNumber: r.case_number,
    regionCode: r.region_code,
    settledDay: r.settled_day,
    privateSettlement: r.private_settlement === true,
    hasAgreement: r.has_agreement,
    hasOralRecord: r.has_oral_record === true,
    hasMinutes: r.has_minutes,
    hasFollowUp: r.has_follow_up,
    grade: r.grade,
    unsound: r.unsound,
    paid: r.paid,
    personUserId: r.person_user_id,
    personName: r.person_name,
    personRole: r.person_role,
    ruleSetId: r.rule_set_id,
    amountsFen: typeof r.amounts_fen === 'string' ? (JSON.parse(r.amounts_fen) as Record<SubsidyGrade, number>) : r.amounts_fen,
    fileRequirements: textArray(r.file_requirements),
  }));
}
