/** Enumerations of 以案定补 (case-based subsidies), shared by the database, the domain and GraphQL. */

/** Difficulty grades, from the simplest case to the gravest. */
export const SUBSIDY_GRADES = [
  /** 简易 */
  'SIMPLE',
  /** 一般 */
  'ORDINARY',
  /** 疑难复杂 */
  'COMPLEX',
  /** 重大 */
  'MAJOR',
] as const;
export type SubsidyGrade = (typeof SUBSIDY_GRADES)[number];

export const GRADE_LABELS: Record<SubsidyGrade, string> = { SIMPLE: '简易', ORDINARY: '一般', COMPLEX: '疑难复杂', MAJOR: '重大' };

/** What a county may ask to find in the file (一案一卷) before paying. */
export const FILE_REQUIREMENTS = [
  /** The effective agreement, or for a private settlement the mediator's record of the oral agreement. */
  'AGREEMENT',
  /** Minutes (调解笔录) of at least one session, confirmed by the parties. */
  'MINUTES',
  /** A follow-up (回访) recorded as done. */
  'FOLLOW_UP',
] as const;
export type FileRequirement = (typeof FILE_REQUIREMENTS)[number];

/** Why a case is not paid: what the platform found missing or excluding. */
export const SUBSIDY_MISSING = [
  /** Not settled, nor ended by the parties' own settlement. */
  'NOT_SETTLED',
  /** The county had no rules in force on the day the case settled. */
  'NO_RULES',
  /** Nobody has proposed a grade. */
  'NOT_GRADED',
  /** No mediator to pay. */
  'NO_MEDIATOR',
  ...FILE_REQUIREMENTS,
  /** Already on another live statement: one case is paid once. */
  'ALREADY_PAID',
  /** A spot-check found the file unsound (e.g. the parties never met). */
  'UNSOUND',
] as const;
export type SubsidyMissing = (typeof SUBSIDY_MISSING)[number];

export const MISSING_LABELS: Record<SubsidyMissing, string> = {
  NOT_SETTLED: '未调解成功',
  NO_RULES: '结案时无有效补贴标准',
  NOT_GRADED: '未定级',
  NO_MEDIATOR: '无承办调解员',
  AGREEMENT: '缺调解协议书或口头协议记录',
  MINUTES: '缺经当事人确认的调解笔录',
  FOLLOW_UP: '缺回访记录',
  ALREADY_PAID: '已在其他补贴清单中',
  UNSOUND: '抽查不实',
};

/** A statement moves DRAFT -> REVIEWED (司法所) -> APPROVED (司法局) -> PAID; a correction supersedes an approved one. */
export const STATEMENT_STATUSES = ['DRAFT', 'REVIEWED', 'APPROVED', 'PAID', 'SUPERSEDED'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

export const STATEMENT_ACTIONS = ['DRAFT', 'REDRAFT', 'REVIEW', 'APPROVE', 'PAY', 'SUPERSEDE'] as const;
export type StatementAction = (typeof STATEMENT_ACTIONS)[number];

/** The statement's state machine as data; DRAFT is entered by drafting, not by a move. */
export const STATEMENT_TRANSITIONS: Record<StatementStatus, Partial<Record<StatementAction, StatementStatus>>> = {
  DRAFT: { REDRAFT: 'DRAFT', REVIEW: 'REVIEWED' },
  REVIEWED: { APPROVE: 'APPROVED' },
  // Approved: no change any more; only superseded by a correction, or paid.
  APPROVED: { PAY: 'PAID', SUPERSEDE: 'SUPERSEDED' },
  PAID: {},
  SUPERSEDED: {},
};

export const STATEMENT_STATUS_LABELS: Record<StatementStatus, string> = {
  DRAFT: '草稿',
  REVIEWED: '司法所已审核',
  APPROVED: '司法局已审批',
  PAID: '已发放',
  SUPERSEDED: '已被更正',
};

/** A line pays a case, or claws back a payment on an earlier statement. */
export const LINE_KINDS = ['PAYMENT', 'CLAWBACK'] as const;
export type LineKind = (typeof LINE_KINDS)[number];

/** How a spot-check (抽查) reached the parties. */
export const SPOT_CHECK_METHODS = ['PHONE', 'VISIT'] as const;
export type SpotCheckMethod = (typeof SPOT_CHECK_METHODS)[number];

/** SOUND: the parties confirm the mediation; UNSOUND: they did not (e.g. never met): the subsidy is forfeited. */
export const SPOT_CHECK_OUTCOMES = ['SOUND', 'UNSOUND'] as const;
export type SpotCheckOutcome = (typeof SPOT_CHECK_OUTCOMES)[number];

/** Yuan text ("150.00") from integer fen; signed. */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Integer fen from a non-negative yuan text with at most two places (the Money scalar's form). */
export function yuanToFen(yuan: string): number {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(yuan);
  if (!m) throw new Error(`not an amount in yuan: ${yuan}`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}
