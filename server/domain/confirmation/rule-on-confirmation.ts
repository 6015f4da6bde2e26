import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { organizations } from '../../../schema';
import { requireApiClient } from '../auth/policy';
import { applyTransition } from '../cases/apply-transition';
import { loadParties } from '../cases/case-access';
import { localDate } from '../clock/calendar';
import { computeDeadline } from '../clock/deadline';
import { closeDeadlines, recordDeadline } from '../clock/deadline-records';
import type { Actor, Deps } from '../context';
import { chinaYear, normalizeCaseNumber, validateRulingNumber } from '../courts/court-code';
import { uniqueViolation } from '../db-errors';
import { InvalidTransitionError, NotFoundError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { closeCourtAccess } from './court-webhooks';
import { NOT_ACCEPTED_GROUNDS, REJECTION_GROUNDS, caseOfApplication, loadApplicationForCourt, notifyParties, updateApplication, type ApplicationRow } from './application-access';

const inputSchema = z.object({
  applicationId: z.string().uuid(),
  outcome: z.enum(['CONFIRMED', 'REJECTED']),
  rulingNumber: z.string().trim().min(1).max(60),
  rejectionGround: z.enum(REJECTION_GROUNDS).nullish(),
  /** INT 355 ground found after acceptance: the court then rules 驳回 on it. */
  notAcceptedGround: z.enum(NOT_ACCEPTED_GROUNDS).nullish(),
  rulingDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullish(),
  note: z.string().trim().max(5000).nullish(),
  /** When the ruling was served on the parties; default now (served through the platform with the ruling). */
  servedAt: z.date().nullish(),
});

/** INT 372: a party may object within 15 days of service. */
export const PARTY_OBJECTION_DAYS = 15;
/** INT 372: an interested person within 6 months of knowing (here from service, the earliest knowledge). */
export const THIRD_PARTY_OBJECTION_MONTHS = 6;

/**
 * The court's civil ruling (民事裁定书, CPL 185, 206): CONFIRMED makes the agreement enforceable;
 * REJECTED names a ground of INT 358 (or sham mediation, OMR 23), or an INT 355 ground the court
 * found after accepting; the ruling number carries the year of acceptance. The parties may then
 * mediate again or sue. The ruling number must carry this court's own code and 民特.
 */
export async function ruleOnConfirmation(deps: Deps, actor: Actor, input: z.input<typeof inputSchema>): Promise<ApplicationRow> {
  const client = requireApiClient(actor);
  const data = parseInput(inputSchema, input);
  const current = await loadApplicationForCourt(deps.db, client, data.applicationId);
  if (current.status !== 'ACCEPTED' && current.status !== 'SUPPLEMENT_REQUESTED') throw new InvalidTransitionError(current.status, 'RULE');
  const [court] = await deps.db.select().from(organizations).where(eq(organizations.id, client.organizationId));
  if (!court?.courtCode) throw new NotFoundError('Court');
  const now = deps.clock.now();
  // The ruling number carries the year the court accepted the application.
  const acceptedYear = current.acceptedAt ? chinaYear(current.acceptedAt) : undefined;
  const problem = validateRulingNumber(data.rulingNumber, { courtCode: court.courtCode, typeCode: '民特', now, ...(acceptedYear ? { year: acceptedYear } : {}) });
  if (problem) throw ValidationError.field('rulingNumber', problem);
  const rulingNumber = normalizeCaseNumber(data.rulingNumber)!;
  if (data.outcome === 'REJECTED' && !data.rejectionGround && !data.notAcceptedGround) {
    throw ValidationError.field('rejectionGround', 'is required when the application is rejected: a ground of INT 358, or notAcceptedGround for an INT 355 ground found after acceptance');
  }
  if (data.outcome === 'CONFIRMED' && data.rejectionGround) throw ValidationError.field('rejectionGround', 'applies only to a rejection');
  if (data.outcome === 'CONFIRMED' && data.notAcceptedGround) throw ValidationError.field('notAcceptedGround', 'applies only to a rejection');
  const today = localDate(now);
  const rulingDate = data.rulingDate ?? today;
  if (rulingDate > today) throw ValidationError.field('rulingDate', 'cannot be in the future');
  if (current.acceptedAt && rulingDate < localDate(current.acceptedAt)) throw ValidationError.field('rulingDate', 'cannot be before the application was accepted');
  const servedAt = data.servedAt ?? now;
  if (servedAt > now) throw ValidationError.field('servedAt', 'cannot be in the future');
  if (localDate(servedAt) < rulingDate) throw ValidationError.field('servedAt', 'cannot be before the ruling date');
  const objection = computeDeadline(deps.calendar, { rule: 'CALENDAR_DAYS', amount: PARTY_OBJECTION_DAYS, startAt: servedAt });
  const thirdParty = computeDeadline(deps.calendar, { rule: 'MONTHS', amount: THIRD_PARTY_OBJECTION_MONTHS, startAt: servedAt });
  const c = await caseOfApplication(deps.db, current);
  const parties = await loadParties(deps.db, c.id);
  const overdue = current.decisionDueAt !== null && now > current.decisionDueAt;
  const beyondCap = current.statutoryCapAt !== null && now > current.statutoryCapAt;
  try {
    return await deps.db.transaction(async (tx) => {
      const row = await updateApplication(tx, deps.clock, current, {
        status: data.outcome,
        rulingNumber,
        rulingDate,
        rejectionGround: data.rejectionGround ?? null,
        notAcceptedGround: data.notAcceptedGround ?? null,
        decisionNote: data.note ?? null,
        decidedAt: now,
        servedAt,
        objectionDueAt: objection.dueAt,
        thirdPartyObjectionDueAt: thirdParty.dueAt,
      });
      await applyTransition(tx, deps.clock, actor, c, data.outcome === 'CONFIRMED' ? 'CONFIRM' : 'REJECT_CONFIRMATION', { dueAt: null, dueRule: null }, {
        type: data.outcome === 'CONFIRMED' ? 'confirmation.confirmed' : 'confirmation.rejected',
        data: { applicationId: current.id, rulingNumber, rulingDate, rejectionGround: data.rejectionGround ?? null, notAcceptedGround: data.notAcceptedGround ?? null, note: data.note ?? null, decidedLate: overdue, beyondStatutoryCap: beyondCap, servedAt: servedAt.toISOString(), objectionDueAt: objection.dueAt.toISOString(), thirdPartyObjectionDueAt: thirdParty.dueAt.toISOString() },
      });
      await closeDeadlines(tx, deps.clock, { caseId: c.id, kinds: ['APPLICATION_DECISION', 'APPLICATION_STATUTORY_CAP'] });
      await recordDeadline(tx, deps.clock, { caseId: c.id, kind: 'OBJECTION_PARTIES', targetId: current.id, computed: objection, source: 'INT 372' });
      await recordDeadline(tx, deps.clock, { caseId: c.id, kind: 'OBJECTION_OTHERS', targetId: current.id, computed: thirdParty, source: 'INT 372' });
      await notifyParties(tx, deps.clock, parties, data.outcome === 'CONFIRMED' ? 'confirmation.confirmed' : 'confirmation.rejected', c.id, {
        caseNumber: c.number,
        rulingNumber,
        routes: data.outcome === 'CONFIRMED' ? '一方不履行的，对方可向作出确认裁定的人民法院申请强制执行（applyForEnforcement）' : '可以通过调解方式变更原调解协议或者达成新的调解协议，也可以向人民法院提起诉讼（transferToLitigation）',
      });
      // A rejection ends the matter at this court: it keeps what it was sent, its ruling and the
      // objection deadlines just recorded, and a new mediation that follows does not reach it unless
      // the matter comes back. A confirmed agreement stays with the court, which enforces it.
      if (data.outcome === 'REJECTED') await closeCourtAccess(tx, deps.clock, c.id, current.courtId);
      return row;
    });
  } catch (err) {
    if (uniqueViolation(err) === 'confirmation_applications_ruling_key') throw ValidationError.field('rulingNumber', 'is already used by another ruling of this court');
    throw err;
  }
}
