import { InvalidTransitionError } from '../errors';

/** Case statuses as clients observe them (api-contract.md). */
export const CASE_STATUSES = [
  'SUBMITTED',
  'AWAITING_RESPONDENT',
  'REFUSED',
  'ASSIGNING',
  'MEDIATING',
  'AGREEMENT_SIGNING',
  'SETTLED',
  'FAILED',
  'CONFIRMATION_PENDING',
  'CONFIRMED',
  'CONFIRMATION_REJECTED',
  'LITIGATION',
  'WITHDRAWN',
  'CLOSED',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_ACTIONS = [
  /** Intake review passed (or not needed). */
  'INTAKE_APPROVE',
  /** Every respondent consented to mediation (PML 3, 17: mediation is voluntary). */
  'RESPONDENT_CONSENT',
  'RESPONDENT_REFUSE',
  /** 派单: the case is dispatched, or re-dispatched, to an organisation and mediator. */
  'DISPATCH',
  'ACCEPT_ASSIGNMENT',
  'DECLINE_ASSIGNMENT',
  /** Moved to another organisation by a mediator or admin, with a reason. */
  'TRANSFER',
  /** Moved one level up after a level's time limit passed or its mediation failed. */
  'ESCALATE',
  'DRAFT_AGREEMENT',
  'LAST_SIGNATURE',
  'TERMINATE',
  'SUBMIT_CONFIRMATION',
  'CONFIRM',
  'REJECT_CONFIRMATION',
  /** The court did not accept, or the parties withdrew the application: back to SETTLED. */
  'END_CONFIRMATION_WITHOUT_RULING',
  /** After a rejected confirmation the parties mediate again (a new agreement version). */
  'RESUME_MEDIATION',
  'TRANSFER_TO_LITIGATION',
  /** 委派调解: before filing, the court delegates the case to a court-invited mediator or organisation. */
  'DELEGATE',
  'WITHDRAW',
  'ARCHIVE',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

const OPEN_WITHDRAWABLE = { WITHDRAW: 'WITHDRAWN' } as const;

/** The transition table: a missing entry is a move the workflow does not allow. */
export const TRANSITIONS: Record<CaseStatus, Partial<Record<CaseAction, CaseStatus>>> = {
  SUBMITTED: { INTAKE_APPROVE: 'AWAITING_RESPONDENT', ...OPEN_WITHDRAWABLE },
  AWAITING_RESPONDENT: { RESPONDENT_CONSENT: 'ASSIGNING', RESPONDENT_REFUSE: 'REFUSED', ...OPEN_WITHDRAWABLE },
  REFUSED: { TRANSFER_TO_LITIGATION: 'LITIGATION', ARCHIVE: 'CLOSED' },
  ASSIGNING: {
    DISPATCH: 'ASSIGNING',
    ACCEPT_ASSIGNMENT: 'MEDIATING',
    DECLINE_ASSIGNMENT: 'ASSIGNING',
    TRANSFER: 'ASSIGNING',
    ESCALATE: 'ASSIGNING',
    ...OPEN_WITHDRAWABLE,
  },
  MEDIATING: {
    TRANSFER: 'ASSIGNING',
    ESCALATE: 'ASSIGNING',
    DRAFT_AGREEMENT: 'AGREEMENT_SIGNING',
    TERMINATE: 'FAILED',
    ...OPEN_WITHDRAWABLE,
  },
  AGREEMENT_SIGNING: {
    DRAFT_AGREEMENT: 'AGREEMENT_SIGNING',
    LAST_SIGNATURE: 'SETTLED',
    TERMINATE: 'FAILED',
    ...OPEN_WITHDRAWABLE,
  },
  SETTLED: { SUBMIT_CONFIRMATION: 'CONFIRMATION_PENDING', DRAFT_AGREEMENT: 'AGREEMENT_SIGNING', ARCHIVE: 'CLOSED' },
  FAILED: { TRANSFER_TO_LITIGATION: 'LITIGATION', ESCALATE: 'ASSIGNING', ARCHIVE: 'CLOSED' },
  CONFIRMATION_PENDING: {
    CONFIRM: 'CONFIRMED',
    REJECT_CONFIRMATION: 'CONFIRMATION_REJECTED',
    END_CONFIRMATION_WITHOUT_RULING: 'SETTLED',
  },
  CONFIRMED: { ARCHIVE: 'CLOSED' },
  CONFIRMATION_REJECTED: { RESUME_MEDIATION: 'MEDIATING', TRANSFER_TO_LITIGATION: 'LITIGATION', ARCHIVE: 'CLOSED' },
  LITIGATION: { DELEGATE: 'ASSIGNING', ARCHIVE: 'CLOSED' },
  WITHDRAWN: { ARCHIVE: 'CLOSED' },
  CLOSED: {},
};

/** The status after `action`, or InvalidTransitionError when the table does not allow it. */
export function transition(status: CaseStatus, action: CaseAction): CaseStatus {
  const next = TRANSITIONS[status][action];
  if (!next) throw new InvalidTransitionError(status, action);
  return next;
}

export function canTransition(status: CaseStatus, action: CaseAction): boolean {
  return TRANSITIONS[status][action] !== undefined;
}

/**
 * 派单 outcomes: a hand-off stays PENDING until the mediator accepts or declines it, its time runs out,
 * a newer hand-off supersedes it, or the case is withdrawn while it waits (it never outlives the case).
 */
export const ASSIGNMENT_STATUSES = ['PENDING', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'SUPERSEDED', 'WITHDRAWN'] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];

/**
 * How a hand-off ended, in the platform's words: the decision the platform records when it decides
 * itself (an expiry, a withdrawal), and all a court reads of any decision (`assignmentAsSeenBy`).
 */
export const ASSIGNMENT_DECISION_TEXT: Record<AssignmentStatus, string | null> = {
  PENDING: null,
  ACCEPTED: null,
  DECLINED: '调解员拒绝接受',
  EXPIRED: '3个工作日内未确认',
  SUPERSEDED: '由新的派单取代',
  WITHDRAWN: '当事人撤回调解申请',
};

/** Statuses in which a mediator is working the case (counted against capacity). */
export const ACTIVE_STATUSES: CaseStatus[] = ['ASSIGNING', 'MEDIATING', 'AGREEMENT_SIGNING'];
