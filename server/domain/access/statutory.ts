import type { confirmationApplications, litigationTransfers } from '../../../schema';

type ApplicationRow = typeof confirmationApplications.$inferSelect;
type TransferRow = typeof litigationTransfers.$inferSelect;

const DECIDED = ['NOT_ACCEPTED', 'CONFIRMED', 'REJECTED', 'WITHDRAWN'];

/** A running clock is past its deadline. */
export function caseOverdue(c: { dueAt: Date | null }, now: Date): boolean {
  return c.dueAt !== null && c.dueAt < now;
}

/** JC2011 4: accepted (or still undecided) after the 3 days allowed for acceptance. */
export function acceptanceLate(a: Pick<ApplicationRow, 'acceptanceDueAt' | 'acceptedAt' | 'status'>, now: Date): boolean {
  if (a.acceptanceDueAt === null) return false;
  const decidedOrNow = a.acceptedAt ?? (a.status === 'SUBMITTED' ? now : a.acceptanceDueAt);
  return decidedOrNow > a.acceptanceDueAt;
}

/** CPL 187: the decision is due, or was made, after the 30-day cap of the special procedure. */
export function beyondStatutoryCap(a: Pick<ApplicationRow, 'statutoryCapAt' | 'decisionDueAt' | 'decidedAt'>, now: Date): boolean {
  if (a.statutoryCapAt === null) return false;
  return (a.decisionDueAt !== null && a.decisionDueAt > a.statutoryCapAt) || (a.decidedAt ?? now) > a.statutoryCapAt;
}

/** JC2011 5: no ruling yet and the decision is past due. */
export function applicationOverdue(a: Pick<ApplicationRow, 'status' | 'decisionDueAt'>, now: Date): boolean {
  return !DECIDED.includes(a.status) && a.decisionDueAt !== null && now > a.decisionDueAt;
}

/** CPL 126: not filed by filingDueAt (still pending past it, or acknowledged after it). */
export function transferOverdue(x: Pick<TransferRow, 'acknowledgedAt' | 'filingDueAt'>, now: Date): boolean {
  return (x.acknowledgedAt ?? now) > x.filingDueAt;
}

/** INT 357: a supplement unanswered past its deadline. */
export function supplementOverdue(s: { answeredAt: Date | null; dueAt: Date }, now: Date): boolean {
  return !s.answeredAt && now > s.dueAt;
}
