/** Enumerations of follow-up (回访) and ratings, shared by the database, the domain and GraphQL. */

/** Why a follow-up was scheduled. */
export const FOLLOW_UP_KINDS = [
  /** A term with a due date: its due date plus 3 working days. */
  'TERM_DUE',
  /** 30 days after the agreement took effect, for every agreement. */
  'AFTER_EFFECT',
  /** Added by the organisation. */
  'ADDED',
] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

export const FOLLOW_UP_STATUSES = ['SCHEDULED', 'DONE', 'CANCELLED'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** How the follow-up was made; VISIT is 上门复诊. */
export const FOLLOW_UP_METHODS = ['VISIT', 'PHONE', 'VIDEO', 'MESSAGE'] as const;
export type FollowUpMethod = (typeof FOLLOW_UP_METHODS)[number];

export const TERM_PERFORMANCES = ['PERFORMED', 'PARTLY_PERFORMED', 'NOT_PERFORMED', 'NOT_YET_DUE'] as const;
export type TermPerformance = (typeof TERM_PERFORMANCES)[number];

/** Who gave a rating: the party itself when the case ended, or a party asked during a follow-up. */
export const RATING_SOURCES = ['PARTY', 'FOLLOW_UP'] as const;
export type RatingSource = (typeof RATING_SOURCES)[number];

/** What a party may say of a term when it answers a follow-up itself. */
export const PARTY_TERM_PERFORMANCES = ['PERFORMED', 'PARTLY_PERFORMED', 'NOT_PERFORMED'] as const;

/** One term of a party's own follow-up answer. */
export interface PartyTermAnswer {
  /** The term's position in the agreement (from 1). */
  termNo: number;
  performance: (typeof PARTY_TERM_PERFORMANCES)[number];
  note: string | null;
}
