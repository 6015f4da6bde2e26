import { describe, expect, it } from 'vitest';
import { CASE_ACTIONS, CASE_STATUSES, TRANSITIONS, canTransition, transition, type CaseAction, type CaseStatus } from '../../server/domain/cases/state-machine';
import { InvalidTransitionError } from '../../server/domain/errors';

// The allowed moves, written out independently of the table so that a change to either is caught.
const ALLOWED: [CaseStatus, CaseAction, CaseStatus][] = [
  ['SUBMITTED', 'INTAKE_APPROVE', 'AWAITING_RESPONDENT'],
  ['SUBMITTED', 'WITHDRAW', 'WITHDRAWN'],
  ['AWAITING_RESPONDENT', 'RESPONDENT_CONSENT', 'ASSIGNING'],
  ['AWAITING_RESPONDENT', 'RESPONDENT_REFUSE', 'REFUSED'],
  ['AWAITING_RESPONDENT', 'WITHDRAW', 'WITHDRAWN'],
  ['REFUSED', 'TRANSFER_TO_LITIGATION', 'LITIGATION'],
  ['REFUSED', 'ARCHIVE', 'CLOSED'],
  ['ASSIGNING', 'DISPATCH', 'ASSIGNING'],
  ['ASSIGNING', 'ACCEPT_ASSIGNMENT', 'MEDIATING'],
  ['ASSIGNING', 'DECLINE_ASSIGNMENT', 'ASSIGNING'],
  ['ASSIGNING', 'TRANSFER', 'ASSIGNING'],
  ['ASSIGNING', 'ESCALATE', 'ASSIGNING'],
  ['ASSIGNING', 'WITHDRAW', 'WITHDRAWN'],
  ['MEDIATING', 'TRANSFER', 'ASSIGNING'],
  ['MEDIATING', 'ESCALATE', 'ASSIGNING'],
  ['MEDIATING', 'DRAFT_AGREEMENT', 'AGREEMENT_SIGNING'],
  ['MEDIATING', 'TERMINATE', 'FAILED'],
  ['MEDIATING', 'WITHDRAW', 'WITHDRAWN'],
  ['AGREEMENT_SIGNING', 'DRAFT_AGREEMENT', 'AGREEMENT_SIGNING'],
  ['AGREEMENT_SIGNING', 'LAST_SIGNATURE', 'SETTLED'],
  ['AGREEMENT_SIGNING', 'TERMINATE', 'FAILED'],
  ['AGREEMENT_SIGNING', 'WITHDRAW', 'WITHDRAWN'],
  ['SETTLED', 'SUBMIT_CONFIRMATION', 'CONFIRMATION_PENDING'],
  ['SETTLED', 'DRAFT_AGREEMENT', 'AGREEMENT_SIGNING'],
  ['SETTLED', 'ARCHIVE', 'CLOSED'],
  ['FAILED', 'TRANSFER_TO_LITIGATION', 'LITIGATION'],
  ['FAILED', 'ESCALATE', 'ASSIGNING'],
  ['FAILED', 'ARCHIVE', 'CLOSED'],
  ['CONFIRMATION_PENDING', 'CONFIRM', 'CONFIRMED'],
  ['CONFIRMATION_PENDING', 'REJECT_CONFIRMATION', 'CONFIRMATION_REJECTED'],
  ['CONFIRMATION_PENDING', 'END_CONFIRMATION_WITHOUT_RULING', 'SETTLED'],
  ['CONFIRMED', 'ARCHIVE', 'CLOSED'],
  ['CONFIRMATION_REJECTED', 'RESUME_MEDIATION', 'MEDIATING'],
  ['CONFIRMATION_REJECTED', 'TRANSFER_TO_LITIGATION', 'LITIGATION'],
  ['CONFIRMATION_REJECTED', 'ARCHIVE', 'CLOSED'],
  ['LITIGATION', 'DELEGATE', 'ASSIGNING'],
  ['LITIGATION', 'ARCHIVE', 'CLOSED'],
  ['WITHDRAWN', 'ARCHIVE', 'CLOSED'],
];

describe('case state machine', () => {
  const pairs = CASE_STATUSES.flatMap((s) => CASE_ACTIONS.map((a) => [s, a] as const));

  it.each(pairs)('%s × %s', (status, action) => {
    const expected = ALLOWED.find(([s, a]) => s === status && a === action)?.[2];
    if (expected) {
      expect(transition(status, action)).toBe(expected);
      expect(canTransition(status, action)).toBe(true);
    } else {
      expect(() => transition(status, action)).toThrow(InvalidTransitionError);
      expect(canTransition(status, action)).toBe(false);
    }
  });

  it('covers every status and allows exactly the listed moves', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...CASE_STATUSES].sort());
    const count = Object.values(TRANSITIONS).reduce((n, row) => n + Object.keys(row).length, 0);
    expect(count).toBe(ALLOWED.length);
  });

  it('a closed case cannot move and the error names the status and action', () => {
    try {
      transition('CLOSED', 'WITHDRAW');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidTransitionError);
      expect((e as InvalidTransitionError).from).toBe('CLOSED');
      expect((e as InvalidTransitionError).action).toBe('WITHDRAW');
    }
  });
});
