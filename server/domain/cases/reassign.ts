import { eq } from 'drizzle-orm';
import { caseAssignments, organizations } from '../../../schema';
import type { Tx } from '../../db';
import { recordEvent } from '../audit/record-event';
import type { Actor, Deps } from '../context';
import type { CaseRow } from './case-access';
import { dispatch } from './dispatch';
import { planDiversion, proposeMediator } from './diversion';
import type { CaseAction } from './state-machine';

/**
 * After a decline or an expired assignment (OMR 12): the next mediator of the same organisation who
 * has not had the case; failing that, the next level up; failing that, the organisation itself.
 */
export async function reassign(tx: Tx, deps: Deps, actor: Actor, current: CaseRow, action: CaseAction, why: string): Promise<CaseRow> {
  const history = await tx.select().from(caseAssignments).where(eq(caseAssignments.caseId, current.id));
  const triedMediators = history.map((h) => h.mediatorId).filter((m): m is string => m !== null);
  const [org] = current.organizationId ? await tx.select().from(organizations).where(eq(organizations.id, current.organizationId)) : [];
  if (org) {
    const next = await proposeMediator(tx, org.id, current.category, current.languages, triedMediators);
    if (next) {
      return dispatch(tx, deps, actor, current, action, {
        organization: org, channel: org.channel, level: org.level,
        reasons: [`${why}；在本组织内改派`], alternatives: [], mediator: next,
      }, 'REASSIGNMENT', why);
    }
  }
  const up = await planDiversion(tx, {
    category: current.category, regionCode: current.regionCode, languages: current.languages,
    aboveLevel: current.level, excludeOrganizationIds: history.map((h) => h.organizationId),
  });
  if (up) return dispatch(tx, deps, actor, current, action, up, 'ESCALATION', `${why}；本级无其他调解员，升级至上一级`);
  if (org) {
    return dispatch(tx, deps, actor, current, action, {
      organization: org, channel: org.channel, level: org.level,
      reasons: [`${why}；本级及上级均无可派调解员，交由组织管理员指派`], alternatives: [], mediator: null,
    }, 'REASSIGNMENT', why);
  }
  await recordEvent(tx, deps.clock, actor, { subjectType: 'case', subjectId: current.id, type: 'case.reassignment_unavailable', data: { why } });
  return current;
}
