import { and, eq, ne } from 'drizzle-orm';
import { followUps, mediators } from '../../../schema';
import type { Tx } from '../../db';
import { gridWorkerOf } from '../access/follow-up';
import { contentOf, type AgreementRow } from '../agreements/agreement-content';
import type { CaseRow } from '../cases/case-access';
import { addCalendarDays, addWorkingDays, startOfLocalDay } from '../clock/calendar';
import type { Deps } from '../context';
import { enqueue } from '../outbox/enqueue';

/** Follow-up of performance 30 days after the agreement took effect (宾川: 回访 to stop relapse). */
export const AFTER_EFFECT_DAYS = 30;
/** A term with a due date is checked 3 working days after it. */
export const TERM_GRACE_WORKING_DAYS = 3;

/**
 * Called inside the transaction that makes an agreement effective: one follow-up per term with a
 * due date (its due date + 3 working days) and one 30 days after effect, assigned to the case's
 * mediator or, failing one, a grid worker of the village. Follow-ups still scheduled for a version
 * this one supersedes are cancelled.
 */
export async function scheduleFollowUps(tx: Tx, deps: Deps, theCase: CaseRow, agreement: AgreementRow, effectiveAt: Date): Promise<number> {
  const now = deps.clock.now();
  await tx
    .update(followUps)
    .set({ status: 'CANCELLED', note: 'superseded by a new agreement version' })
    .where(and(eq(followUps.caseId, theCase.id), eq(followUps.status, 'SCHEDULED'), ne(followUps.agreementId, agreement.id)));
  let assignee: string | null = null;
  if (theCase.mediatorId) {
    const [m] = await tx.select({ userId: mediators.userId }).from(mediators).where(eq(mediators.id, theCase.mediatorId));
    assignee = m?.userId ?? null;
  }
  assignee ??= await gridWorkerOf(tx, theCase.regionCode);
  const content = contentOf(agreement);
  const rows: (typeof followUps.$inferInsert)[] = [];
  content.terms.forEach((term, i) => {
    if (!term.dueDate) return;
    rows.push({
      caseId: theCase.id,
      agreementId: agreement.id,
      kind: 'TERM_DUE',
      termNo: i + 1,
      dueAt: addWorkingDays(startOfLocalDay(term.dueDate), TERM_GRACE_WORKING_DAYS, deps.calendar),
      dueRule: `第${i + 1}项 due ${term.dueDate} + ${TERM_GRACE_WORKING_DAYS} working days`,
      assigneeUserId: assignee,
      createdAt: now,
    });
  });
  rows.push({
    caseId: theCase.id,
    agreementId: agreement.id,
    kind: 'AFTER_EFFECT',
    termNo: null,
    dueAt: addCalendarDays(effectiveAt, AFTER_EFFECT_DAYS, deps.calendar),
    dueRule: `effective + ${AFTER_EFFECT_DAYS} days`,
    assigneeUserId: assignee,
    createdAt: now,
  });
  const inserted = await tx.insert(followUps).values(rows).onConflictDoNothing().returning();
  if (assignee) {
    await enqueue(tx, deps.clock, [
      { kind: 'NOTIFICATION', topic: 'follow_up.scheduled', recipient: assignee, caseId: theCase.id, payload: { caseNumber: theCase.number, count: inserted.length, first: inserted.map((r) => r.dueAt.toISOString()).sort()[0] ?? null } },
    ]);
  }
  return inserted.length;
}
