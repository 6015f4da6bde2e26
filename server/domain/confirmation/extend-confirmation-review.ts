import { z } from 'zod';
import { requireApiClient } from '../auth/policy';
import { touchCase } from '../cases/apply-transition';
import { addCalendarDays } from '../clock/calendar';
import { computeDeadline } from '../clock/deadline';
import { openDeadline, recordDeadline } from '../clock/deadline-records';
import { DECISION_DAYS } from './accept-confirmation-application';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError } from '../errors';
import { parseInput } from '../validate';
import { caseOfApplication, loadApplicationForCourt, updateApplication, type ApplicationRow } from './application-access';

/** JC2011 5: the review may be extended once by 10 days with the court president's approval. */
export const EXTENSION_DAYS = 10;

const inputSchema = z.object({
  applicationId: z.string().uuid(),
  approvedBy: z.string().trim().min(2).max(50),
  reason: z.string().trim().min(2).max(1000),
});

/** The court records a 10-day extension of the review and the president who approved it. */
export async function extendConfirmationReview(deps: Deps, actor: Actor, input: z.input<typeof inputSchema>): Promise<ApplicationRow> {
  const client = requireApiClient(actor);
  const data = parseInput(inputSchema, input);
  const current = await loadApplicationForCourt(deps.db, client, data.applicationId);
  if (current.status !== 'ACCEPTED' && current.status !== 'SUPPLEMENT_REQUESTED') throw new InvalidTransitionError(current.status, 'EXTEND_REVIEW');
  if (current.extendedAt) throw new InvalidTransitionError(current.status, 'EXTEND_REVIEW', 'The review has already been extended once (JC2011 5).');
  const c = await caseOfApplication(deps.db, current);
  const now = deps.clock.now();
  // The extension runs on from the original 15th day, not from a day it was rolled to past a
  // holiday: 15 + 10 days from acceptance (accepted 2026-09-16: 10-12, not 10-19).
  const record = await openDeadline(deps.db, 'APPLICATION_DECISION', current.id);
  const extended = current.acceptedAt
    ? computeDeadline(deps.calendar, { rule: 'CALENDAR_DAYS', amount: (record?.amount ?? DECISION_DAYS) + EXTENSION_DAYS, startAt: record?.startAt ?? current.acceptedAt })
    : null;
  const decisionDueAt = extended?.dueAt ?? addCalendarDays(current.decisionDueAt ?? now, EXTENSION_DAYS, deps.calendar);
  const beyondCap = current.statutoryCapAt !== null && decisionDueAt > current.statutoryCapAt;
  return deps.db.transaction(async (tx) => {
    const row = await updateApplication(tx, deps.clock, current, {
      decisionDueAt,
      extendedAt: now,
      extensionApprovedBy: data.approvedBy,
      extensionReason: data.reason,
    });
    await touchCase(tx, deps.clock, actor, c, { dueAt: decisionDueAt, dueRule: 'JC2011 5: 经院长批准延长10日' }, {
      type: 'confirmation.review_extended',
      data: { applicationId: current.id, approvedBy: data.approvedBy, reason: data.reason, decisionDueAt: decisionDueAt.toISOString(), beyondStatutoryCap: beyondCap },
    });
    if (extended) await recordDeadline(tx, deps.clock, { caseId: c.id, kind: 'APPLICATION_DECISION', targetId: current.id, computed: extended, source: 'JC2011 5（经院长批准延长10日）' });
    return row;
  });
}
