import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { caseParties, cases } from '../../../schema';
import { closeDeadlines } from '../clock/deadline-records';
import { requireUser } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { ConflictError, InvalidTransitionError, NotFoundError, ValidationError } from '../errors';
import { enqueue } from '../outbox/enqueue';
import { parseInput } from '../validate';
import { applyTransition, touchCase } from './apply-transition';
import { loadParties, loadVisibleCase, partiesOfViewer, type CaseRow } from './case-access';
import { dispatch } from './dispatch';
import { planDiversion } from './diversion';

/**
 * A respondent consents to or refuses mediation (voluntary: PML 3, 17). When the last respondent
 * consents the case is diverted at once; one refusal ends it as REFUSED with the other routes offered.
 */
export async function respondToMediation(
  deps: Deps,
  actor: Actor,
  input: { caseId: string; accept: boolean; reason?: string | null; preferredMediatorId?: string | null },
): Promise<CaseRow> {
  const viewer = requireUser(actor);
  const data = parseInput(
    z.object({ caseId: z.string().uuid(), accept: z.boolean(), reason: z.string().trim().max(1000).nullish(), preferredMediatorId: z.string().uuid().nullish() }),
    input,
  );
  const current = await loadVisibleCase(deps.db, viewer, data.caseId);
  const parties = await loadParties(deps.db, current.id);
  const mine = partiesOfViewer(parties, viewer).filter((p) => p.role === 'RESPONDENT');
  if (mine.length === 0) throw new NotFoundError('Case');
  if (current.status !== 'AWAITING_RESPONDENT') {
    throw new InvalidTransitionError(current.status, data.accept ? 'RESPONDENT_CONSENT' : 'RESPONDENT_REFUSE');
  }
  const pending = mine.filter((p) => p.consent === 'PENDING');
  if (pending.length === 0) throw new InvalidTransitionError(current.status, 'RESPOND', 'You have already responded.');
  if (!data.accept && !data.reason) throw ValidationError.field('reason', 'is required when refusing');
  const now = deps.clock.now();

  // OMR 10: a mediator chosen jointly by every party from the roster is honoured.
  const choices = parties.map((p) => (pending.some((x) => x.id === p.id) ? (data.preferredMediatorId ?? null) : p.chosenMediatorId));
  const joint = choices.every((c) => c !== null && c === choices[0]) ? choices[0]! : null;
  const plan = data.accept
    ? await planDiversion(deps.db, { category: current.category, regionCode: current.regionCode, languages: current.languages, chosenMediatorId: joint })
    : null;

  return deps.db.transaction(async (tx) => {
    for (const party of pending) {
      // Conditional: a party's answer is recorded once even if two requests race.
      const [updated] = await tx
        .update(caseParties)
        .set({ consent: data.accept ? 'ACCEPTED' : 'REFUSED', consentAt: now, consentReason: data.reason ?? null, userId: viewer.userId, chosenMediatorId: data.preferredMediatorId ?? null })
        .where(and(eq(caseParties.id, party.id), eq(caseParties.consent, 'PENDING')))
        .returning();
      if (!updated) throw new ConflictError();
    }
    const responder = { partyIds: pending.map((p) => p.id), name: viewer.name };
    // OMR 15: the respondent's own answer is contact with the other side, if none was recorded.
    if (!current.firstContactAt) {
      const contacted = { firstContactAt: now, firstContactMethod: 'RESPONSE' };
      await tx.update(cases).set(contacted).where(eq(cases.id, current.id));
      Object.assign(current, contacted);
      await closeDeadlines(tx, deps.clock, { caseId: current.id, kinds: ['RESPONDENT_CONTACT'] });
    }
    if (!data.accept) {
      const refused = await applyTransition(tx, deps.clock, actor, current, 'RESPONDENT_REFUSE', { dueAt: null, dueRule: null }, {
        type: 'case.respondent_refused',
        data: { ...responder, reason: data.reason },
      });
      // PML 26: the parties are told the other routes open to them.
      await enqueue(
        tx,
        deps.clock,
        parties.map((p) => ({
          kind: 'NOTIFICATION' as const,
          topic: 'case.refused',
          recipient: p.phone,
          caseId: current.id,
          payload: { caseNumber: current.number, routes: '可依法向人民法院提起诉讼（transferToLitigation），或申请仲裁、行政处理' },
        })),
      );
      return refused;
    }
    const stillPending = parties.filter((p) => p.role === 'RESPONDENT' && p.consent === 'PENDING' && !pending.some((x) => x.id === p.id));
    if (stillPending.length > 0) {
      return touchCase(tx, deps.clock, actor, current, {}, { type: 'case.respondent_consented', data: { ...responder, waitingFor: stillPending.length } });
    }
    if (!plan) {
      // No organisation serves this place and category: keep the consent, leave dispatch to an admin.
      return applyTransition(tx, deps.clock, actor, current, 'RESPONDENT_CONSENT', { dueAt: null, dueRule: null, routing: { reasons: ['没有服务该地区和类别的调解组织，待管理员人工分派'], alternatives: [], mediatorReasons: [] } }, {
        type: 'case.respondent_consented',
        data: { ...responder, diversion: 'no organisation found' },
      });
    }
    const consented = { ...current };
    return dispatch(tx, deps, actor, consented, 'RESPONDENT_CONSENT', plan, 'DIVERSION', '被申请人同意调解，系统自动分流');
  });
}
