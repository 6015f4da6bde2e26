import { and, eq, inArray } from 'drizzle-orm';
import { caseAssignments, caseParties, mediators, users } from '../../../schema';
import type { Tx } from '../../db';
import { addCalendarDays, addWorkingDays } from '../clock/calendar';
import type { Actor, Deps } from '../context';
import { enqueue } from '../outbox/enqueue';
import { applyTransition } from './apply-transition';
import type { CaseRow } from './case-access';
import type { DiversionPlan } from './diversion';
import type { CaseAction } from './state-machine';

export type AssignmentKind = 'DIVERSION' | 'REASSIGNMENT' | 'TRANSFER' | 'ESCALATION' | 'OVERRIDE' | 'DELEGATION';

/** OMR 12: a mediator confirms or declines an assignment within 3 working days. */
export const ASSIGNMENT_WORKING_DAYS = 3;

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
  plan: Pick<DiversionPlan, 'organization' | 'channel' | 'level' | 'reasons' | 'alternatives' | 'mediator'>,
  kind: AssignmentKind,
  reason: string,
): Promise<CaseRow> {
  const now = deps.clock.now();
  const dueAt = addWorkingDays(now, ASSIGNMENT_WORKING_DAYS, deps.calendar);
  const dueRule = `OMR 12: 调解员应在${ASSIGNMENT_WORKING_DAYS}个工作日内确认是否接受`;
  const levelChanged = current.level !== plan.level || current.levelDueAt === null;
  const levelDays = deps.config.levelLimitDays[plan.level];
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
      levelDueAt: levelChanged ? addCalendarDays(now, levelDays, deps.calendar) : current.levelDueAt,
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
        reason,
      },
    },
  );
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
