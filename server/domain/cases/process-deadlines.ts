import { and, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import { caseAssignments, cases } from '../../../schema';
import type { Actor, Deps } from '../context';
import { ConflictError } from '../errors';
import { touchCase } from './apply-transition';
import type { CaseRow } from './case-access';
import { escalate } from './escalate';
import { reassign } from './reassign';

const SYSTEM: Actor = { viewer: null, ip: null, userAgent: 'jiefen-scheduler', requestId: null };
const LEVEL_NAMES = { VILLAGE: '村级', TOWNSHIP: '乡镇级', COUNTY: '县级', PREFECTURE: '州市级' } as const;

/**
 * The case clocks: assignments not confirmed within 3 working days are reassigned (OMR 12); people's
 * mediation that outlives its level's dispatch time limit escalates one level up. Each case is handled
 * in its own transaction with a conditional update, so a user acting at the same moment wins or loses
 * cleanly and nothing is done twice.
 */
export async function processCaseDeadlines(deps: Deps, opts: { batch?: number; onlyCaseIds?: string[] } = {}): Promise<{ reassigned: number; escalated: number; skipped: number }> {
  const now = deps.clock.now();
  const batch = opts.batch ?? 100;
  // Scoping to given cases lets an operator (or a test on a shared database) process just those.
  const only = opts.onlyCaseIds ? inArray(cases.id, opts.onlyCaseIds) : undefined;
  let reassigned = 0;
  let escalated = 0;
  let skipped = 0;

  const expired = await deps.db
    .select()
    .from(cases)
    .where(and(eq(cases.status, 'ASSIGNING'), isNotNull(cases.dueAt), lt(cases.dueAt, now), only))
    .orderBy(cases.dueAt)
    .limit(batch);
  for (const row of expired) {
    try {
      await deps.db.transaction(async (tx) => {
        const [pending] = await tx
          .update(caseAssignments)
          .set({ status: 'EXPIRED', decidedAt: now, decisionReason: '3个工作日内未确认' })
          .where(and(eq(caseAssignments.caseId, row.id), eq(caseAssignments.status, 'PENDING'), lt(caseAssignments.dueAt, now)))
          .returning();
        if (!pending) throw new ConflictError();
        await reassign(tx, deps, SYSTEM, row, 'DISPATCH', `OMR 12：调解员未在3个工作日内确认（期限 ${pending.dueAt.toISOString()}），自动改派`);
      });
      reassigned++;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      skipped++;
    }
  }

  const overLevel = await deps.db
    .select()
    .from(cases)
    .where(
      and(
        inArray(cases.status, ['ASSIGNING', 'MEDIATING']),
        eq(cases.channel, 'PEOPLES'),
        inArray(cases.level, ['VILLAGE', 'TOWNSHIP']),
        isNotNull(cases.levelDueAt),
        lt(cases.levelDueAt, now),
        only,
      ),
    )
    .orderBy(cases.levelDueAt)
    .limit(batch);
  for (const row of overLevel) {
    try {
      await deps.db.transaction(async (tx) => {
        const reason = `${LEVEL_NAMES[row.level!]}调处时限已过（${row.levelDueAt!.toISOString()}），升级至上一级处理`;
        const up = await escalate(tx, deps, SYSTEM, row as CaseRow, reason);
        if (up) return;
        // Nowhere to go: stop the level clock but keep the fact on record for supervisors.
        await touchCase(tx, deps.clock, SYSTEM, row, { levelDueAt: null }, { type: 'case.escalation_unavailable', data: { reason } });
      });
      escalated++;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      skipped++;
    }
  }
  return { reassigned, escalated, skipped };
}
