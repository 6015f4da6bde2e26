import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { caseParties, cases, mediators } from '../../../schema';
import { requireUser } from '../auth/policy';
import { closeDeadlines } from '../clock/deadline-records';
import type { Actor, Deps } from '../context';
import { DeadlineError, InvalidTransitionError, NotFoundError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { touchCase } from './apply-transition';
import { loadParties, loadVisibleCase, partiesOfViewer, type CaseRow } from './case-access';
import { dispatch } from './dispatch';
import { planDiversion } from './diversion';

const schema = z.object({ caseId: z.string().uuid(), mediatorId: z.string().uuid() });

/**
 * OMR 10: within 2 working days of diversion the parties may choose a mediator together from the
 * published roster. Each party names one; when every party has named the same, the case goes to that
 * mediator. After the window the organisation's proposal stands.
 */
export async function chooseMediator(deps: Deps, actor: Actor, input: z.input<typeof schema>): Promise<CaseRow> {
  const viewer = requireUser(actor);
  const data = parseInput(schema, input);
  const current = await loadVisibleCase(deps.db, viewer, data.caseId);
  const parties = await loadParties(deps.db, current.id);
  const mine = partiesOfViewer(parties, viewer);
  if (mine.length === 0) throw new NotFoundError('Case');
  if (current.status !== 'ASSIGNING') throw new InvalidTransitionError(current.status, 'CHOOSE_MEDIATOR');
  const now = deps.clock.now();
  if (!current.mediatorChoiceDueAt || now > current.mediatorChoiceDueAt) {
    throw new DeadlineError('The 2 working days for choosing a mediator together have passed (OMR 10); the organisation designates one.', current.mediatorChoiceDueAt ?? now);
  }
  const [m] = await deps.db.select().from(mediators).where(and(eq(mediators.id, data.mediatorId), eq(mediators.active, true)));
  if (!m) throw ValidationError.field('mediatorId', 'is not a mediator on a published roster');
  const choices = parties.map((p) => (mine.some((x) => x.id === p.id) ? data.mediatorId : p.chosenMediatorId));
  const joint = choices.every((c) => c === data.mediatorId);
  const plan = joint ? await planDiversion(deps.db, { category: current.category, regionCode: current.regionCode, languages: current.languages, chosenMediatorId: data.mediatorId }) : null;
  if (joint && !plan?.jointChoice) throw ValidationError.field('mediatorId', 'does not mediate disputes of this category');
  return deps.db.transaction(async (tx) => {
    await tx.update(caseParties).set({ chosenMediatorId: data.mediatorId }).where(inArray(caseParties.id, mine.map((p) => p.id)));
    if (!plan) {
      return touchCase(tx, deps.clock, actor, current, {}, {
        type: 'case.mediator_chosen',
        data: { partyIds: mine.map((p) => p.id), mediatorId: data.mediatorId, waitingFor: choices.filter((c) => c !== data.mediatorId).length },
      });
    }
    const moved = await dispatch(tx, deps, actor, current, 'DISPATCH', plan, 'OVERRIDE', '当事人在2个工作日内共同选定调解员（OMR 10）');
    const [cleared] = await tx.update(cases).set({ mediatorChoiceDueAt: null }).where(eq(cases.id, current.id)).returning();
    await closeDeadlines(tx, deps.clock, { caseId: current.id, kinds: ['MEDIATOR_CHOICE'] });
    return cleared ?? moved;
  });
}
