/** Enumerations of the screening ledger (排查台账), shared by the database, the domain and GraphQL. */

/** Where a lead came from. */
export const LEAD_SOURCES = [
  /** 走访: found on a grid worker's or mediator's round */
  'VISIT',
  /** 热线: a hotline call (12345, 12348) */
  'HOTLINE',
  /** 公安移交: referred by the police */
  'POLICE_REFERRAL',
  /** 信访: a petition */
  'PETITION',
  /** 群众自报: reported by those involved */
  'SELF_REPORT',
  /** 学校或医院: reported by a school or hospital */
  'SCHOOL_OR_HOSPITAL',
  'OTHER',
] as const;
export type LeadSource = (typeof LEAD_SOURCES)[number];

/** What became of a lead. OPEN until one of the four outcomes is recorded. */
export const LEAD_STATUSES = [
  'OPEN',
  /** 就地化解: settled on the spot by oral mediation (口头调解) */
  'RESOLVED_ON_SPOT',
  /** 转立案: converted into a case */
  'CONVERTED',
  /** 移交: referred to another body (police, labour inspectorate, court…) */
  'REFERRED',
  /** 包保: kept under watch by a named person until a review date */
  'UNDER_WATCH',
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** A weekly screening report (周排查): submitted, or overdue because the week passed without one. */
export const SCREENING_REPORT_STATUSES = ['SUBMITTED', 'OVERDUE'] as const;
export type ScreeningReportStatus = (typeof SCREENING_REPORT_STATUSES)[number];
