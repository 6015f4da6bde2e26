import { z } from 'zod';
import { requireApiClient } from '../auth/policy';
import { touchCase } from '../cases/apply-transition';
import { computeDeadline } from '../clock/deadline';
import { closeDeadlines, recordDeadline } from '../clock/deadline-records';
import { localDate } from '../clock/calendar';
import { loadParties } from '../cases/case-access';
import { assessJurisdiction } from './eligible-courts';
import type { Actor, Deps } from '../context';
import { InvalidTransitionError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { caseOfApplication, loadApplicationForCourt, updateApplication, type ApplicationRow } from './application-access';

/** JC2011 5: the court rules within 15 days of accepting. */
export const DECISION_DAYS = 15;
/** CPL 187: a special-procedure case is concluded within 30 days of acceptance. */
export const STATUTORY_CAP_DAYS = 30;

/**
 * The court's system accepts (受理) a submitted application: the ruling falls due 15 days later
 * (JC2011 5) and the 30-day cap of CPL 187 starts; a late acceptance (JC2011 4) stays visible.
 * A court that is not eligible (e.g. a basic court above the intermediate threshold) cannot accept.
 */
export async function acceptConfirmationApplication(deps: Deps, actor: Actor, input: { applicationId: string }): Promise<ApplicationRow> {
  const client = requireApiClient(actor);
  const { applicationId } = parseInput(z.object({ applicationId: z.string().uuid() }), input);
  const current = await loadApplicationForCourt(deps.db, client, applicationId);
  if (current.status !== 'SUBMITTED') throw new InvalidTransitionError(current.status, 'ACCEPT');
  const c = await caseOfApplication(deps.db, current);
  const now = deps.clock.now();
  // A basic court may never accept a dispute above the intermediate-court threshold (CPL 205, 法发〔2021〕27号).
  const jurisdiction = await assessJurisdiction(deps.db, c, await loadParties(deps.db, c.id), localDate(now));
  const refused = jurisdiction.notEligible.find((k) => k.court.id === client.organizationId);
  if (refused || !jurisdiction.eligible.some((k) => k.court.id === client.organizationId)) {
    throw ValidationError.field('applicationId', `本院对该申请没有管辖权，应裁定不予受理（NOT_THIS_COURT）：${refused?.reasons.join('；') ?? '不是适格法院'}`);
  }
  const decision = computeDeadline(deps.calendar, { rule: 'CALENDAR_DAYS', amount: DECISION_DAYS, startAt: now });
  const cap = computeDeadline(deps.calendar, { rule: 'CALENDAR_DAYS', amount: STATUTORY_CAP_DAYS, startAt: now });
  const decisionDueAt = decision.dueAt;
  const statutoryCapAt = cap.dueAt;
  const late = current.acceptanceDueAt !== null && now > current.acceptanceDueAt;
  return deps.db.transaction(async (tx) => {
    const accepted = await updateApplication(tx, deps.clock, current, { status: 'ACCEPTED', acceptedAt: now, decisionDueAt, statutoryCapAt });
    await touchCase(tx, deps.clock, actor, c, { dueAt: decisionDueAt, dueRule: 'JC2011 5: 受理后15日内作出裁定' }, {
      type: 'confirmation.accepted',
      data: { applicationId: current.id, courtId: client.organizationId, decisionDueAt: decisionDueAt.toISOString(), statutoryCapAt: statutoryCapAt.toISOString(), acceptanceLate: late, dueBasis: decision.basis },
    });
    await closeDeadlines(tx, deps.clock, { caseId: c.id, kinds: ['APPLICATION_ACCEPTANCE'] });
    await recordDeadline(tx, deps.clock, { caseId: c.id, kind: 'APPLICATION_DECISION', targetId: current.id, computed: decision, source: 'JC2011 5' });
    await recordDeadline(tx, deps.clock, { caseId: c.id, kind: 'APPLICATION_STATUTORY_CAP', targetId: current.id, computed: cap, source: 'CPL 187' });
    return accepted;
  });
}
