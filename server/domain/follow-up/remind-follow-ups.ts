import { and, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import { cases, followUps, users } from '../../../schema';
import type { Deps } from '../context';
import { enqueue } from '../outbox/enqueue';

/**
 * Reminds the assignee of each follow-up that has come due, once. Each row is handled on its own;
 * a failure is logged and the rest go on.
 */
export async function remindFollowUps(deps: Deps): Promise<{ reminded: number; failed: number }> {
  const now = deps.clock.now();
  const due = await deps.db
    .select({ id: followUps.id, caseId: followUps.caseId, dueAt: followUps.dueAt, phone: users.phone, number: cases.number, kind: followUps.kind, termNo: followUps.termNo })
    .from(followUps)
    .innerJoin(users, eq(users.id, followUps.assigneeUserId))
    .innerJoin(cases, eq(cases.id, followUps.caseId))
    .where(and(eq(followUps.status, 'SCHEDULED'), isNull(followUps.remindedAt), isNotNull(followUps.assigneeUserId), lte(followUps.dueAt, sql`${now.toISOString()}::timestamptz`)))
    .limit(500);
  let reminded = 0;
  let failed = 0;
  for (const f of due) {
    try {
      await deps.db.transaction(async (tx) => {
        // Conditional update: two instances never remind twice.
        const [claimed] = await tx.update(followUps).set({ remindedAt: now }).where(and(eq(followUps.id, f.id), isNull(followUps.remindedAt))).returning({ id: followUps.id });
        if (!claimed) return;
        await enqueue(tx, deps.clock, [
          { kind: 'NOTIFICATION', topic: 'follow_up.due', recipient: f.phone, caseId: f.caseId, payload: { caseNumber: f.number, kind: f.kind, termNo: f.termNo ?? '', dueAt: f.dueAt.toISOString() } },
        ]);
        reminded++;
      });
    } catch (err) {
      failed++;
      deps.log.error({ err, followUpId: f.id }, 'follow-up reminder failed');
    }
  }
  return { reminded, failed };
}
