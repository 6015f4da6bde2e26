/** Enumerations of supervision (督办), shared by the database, the domain and GraphQL. */

export const SUPERVISION_SUBJECTS = ['CASE', 'LEAD'] as const;
export type SupervisionSubject = (typeof SUPERVISION_SUBJECTS)[number];

export const SUPERVISION_ORDER_STATUSES = [
  'OPEN',
  'ANSWERED',
  /** Not answered by its due date: a new order went to the next level up. */
  'ESCALATED',
] as const;
export type SupervisionOrderStatus = (typeof SUPERVISION_ORDER_STATUSES)[number];

/** Why a matter was proposed for supervision automatically. */
export const SUPERVISION_PROPOSAL_REASONS = [
  /** A case past its level's dispatch limit or its mediation limit. */
  'CASE_OVERDUE',
  /** An open case or lead assessed HIGH risk. */
  'HIGH_RISK_OPEN',
] as const;
export type SupervisionProposalReason = (typeof SUPERVISION_PROPOSAL_REASONS)[number];

export const SUPERVISION_PROPOSAL_STATUSES = ['PROPOSED', 'ISSUED', 'DISMISSED'] as const;
export type SupervisionProposalStatus = (typeof SUPERVISION_PROPOSAL_STATUSES)[number];
