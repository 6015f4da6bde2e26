import { and, eq, inArray } from 'drizzle-orm';
import { caseAssignments, caseParties, mediators, users } from '../../../schema';
import type { Tx } from '../../db';
import { computeDeadline } from '../clock/deadline';
import { recordDeadline } from '../clock/deadline-records';
import type { Actor, Deps } from '../context';
import { enqueue } from '../outbox/enqueue';
import { applyTransition } from './apply-transition';
import type { CaseRow } from './case-access';
import type { DiversionPlan } from './diversion';
import type { CaseAction } from './state-machine';

export type AssignmentKind = 'DIVERSION' | 'REASSIGNMENT' | 'TRANSFER' | 'ESCALATION' | 'OVERRIDE' | 'DELEGATION';

/** OMR 12: a mediator confirms or declines an assignment within 3 working days. */
export const ASSIGNMENT_WORKING_DAYS = 3;
/** OMR 10: the parties' own joint choice of a mediator within 2 working days. */
export const JOINT_CHOICE_WORKING_DAYS = 2;

/**
 * 派单: hands the case to an organisation and (proposed) mediator with a time limit, supersedes any
 * pending hand-off, and moves the case by `action` — all in the caller's transaction.
 */
export async function dispatch(
  tx: Tx,
  deps: Deps,
  actor: Actor,
  current: CaseRow,
  action: CaseAction,
  plan: Pick<DiversionPlan, 'organization' | 'channel' | 'level' | 'reasons' | 'alternatives' | 'mediator'> & { jointChoice?: boolean },
  kind: AssignmentKind,
  reason: string,
): Promise<CaseRow> {
  const now = deps.clock.now();
  const response = computeDeadline(deps.calendar, { rule: 'WORKING_DAYS', amount: ASSIGNMENT_WORKING_DAYS, startAt: now });
  const dueAt = response.dueAt;
  const dueRule = `OMR 12: 调解员应在${ASSIGNMENT_WORKING_DAYS}个工作日内确认是否接受`;
  const levelChanged = current.level !== plan.level || current.levelDueAt === null;
  const levelDays = deps.config.levelLimitDays[plan.level];
  const levelLimit = levelChanged ? computeDeadline(deps.calendar, { rule: 'CALENDAR_DAYS', amount: levelDays, startAt: now }) : null;
  // OMR 10: on the first diversion, unless the parties already chose together, they have 2 working
  // days to choose a mediator jointly; until then the organisation's proposal stands.
  const choice = kind === 'DIVERSION' && !plan.jointChoice ? computeDeadline(deps.calendar, { rule: 'WORKING_DAYS', amount: JOINT_CHOICE_WORKING_DAYS, startAt: now }) : null;
  await tx
    .update(caseAssignments)
    .set({ status: 'SUPERSEDED', decidedAt: now, decisionReason: reason })
    .where(and(eq(caseAssignments.caseId, current.id), eq(caseAssignments.status, 'PENDING')));
  const [assignment] = await tx
    .insert(caseAssignments)
    .values({
      caseId: current.id,
      organizationId: plan.organization.id,
      mediatorId: plan.mediator?.id ?? null,
      level: plan.level,
      kind,
      reason,
      dueAt,
      dueRule,
      status: 'PENDING',
      createdAt: now,
      createdBy: actor.viewer?.kind === 'user' ? actor.viewer.userId : null,
    })
    .returning();
  const updated = await applyTransition(
    tx,
    deps.clock,
    actor,
    current,
    action,
    {
      channel: plan.channel,
      level: plan.level,
      organizationId: plan.organization.id,
      mediatorId: plan.mediator?.id ?? null,
      dueAt,
      dueRule,
      levelDueAt: levelLimit ? levelLimit.dueAt : current.levelDueAt,
      ...(choice ? { mediatorChoiceDueAt: choice.dueAt } : kind === 'DIVERSION' ? { mediatorChoiceDueAt: null } : {}),
      routing: {
        reasons: [...plan.reasons, reason],
        alternatives: plan.alternatives,
        mediatorReasons: plan.mediator?.reasons ?? ['该组织暂无可派调解员，由组织自行指派'],
      },
    },
    {
      type: `case.${kind.toLowerCase()}`,
      data: {
        assignmentId: assignment!.id,
        organizationId: plan.organization.id,
        organizationName: plan.organization.name,
        mediatorId: plan.mediator?.id ?? null,
        mediatorName: plan.mediator?.name ?? null,
        level: plan.level,
        channel: plan.channel,
        dueAt: dueAt.toISOString(),
        dueBasis: response.basis,
        ...(choice ? { mediatorChoiceDueAt: choice.dueAt.toISOString() } : {}),
        reason,
      },
    },
  );
  await recordDeadline(tx, deps.clock, { caseId: current.id, kind: 'ASSIGNMENT_RESPONSE', targetId: assignment!.id, computed: response, source: 'OMR 12' });
  if (levelLimit) await recordDeadline(tx, deps.clock, { caseId: current.id, kind: 'LEVEL_LIMIT', targetId: current.id, computed: levelLimit, source: `LEVEL_LIMIT_DAYS ${plan.level}` });
  if (choice) await recordDeadline(tx, deps.clock, { caseId: current.id, kind: 'MEDIATOR_CHOICE', targetId: current.id, computed: choice, source: 'OMR 10' });
  // Tell the proposed mediator (or the organisation's mediators) and the parties, after commit.
  const recipients = plan.mediator
    ? await tx.select({ phone: users.phone }).from(mediators).innerJoin(users, eq(users.id, mediators.userId)).where(eq(mediators.id, plan.mediator.id))
    : await tx.select({ phone: users.phone }).from(users).where(and(eq(users.organizationId, plan.organization.id), inArray(users.role, ['MEDIATOR', 'ORG_ADMIN'])));
  const parties = await tx.select({ phone: caseParties.phone }).from(caseParties).where(eq(caseParties.caseId, current.id));
  await enqueue(tx, deps.clock, [
    ...recipients.map((r) => ({
      kind: 'NOTIFICATION' as const,
      topic: 'assignment.offered',
      recipient: r.phone,
      caseId: current.id,
      payload: { caseNumber: current.number, organization: plan.organization.name, dueAt: dueAt.toISOString() },
    })),
    ...parties.map((p) => ({
      kind: 'NOTIFICATION' as const,
      topic: 'case.dispatched',
      recipient: p.phone,
      caseId: current.id,
      payload: { caseNumber: current.number, organization: plan.organization.name },
    })),
  ]);
  return updated;
}
