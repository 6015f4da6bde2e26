import { and, eq, inArray, isNotNull, isNull, lt, lte, sql } from 'drizzle-orm';
import { caseAssignments, cases, deadlines, mediators, users } from '../../../schema';
import type { Actor, Deps } from '../context';
import { ConflictError } from '../errors';
import { closeDeadlines, partyPhones } from '../clock/deadline-records';
import { enqueue } from '../outbox/enqueue';
import { touchCase } from './apply-transition';
import type { CaseRow } from './case-access';
import { escalate } from './escalate';
import { mediationLimit } from './mediation-limit';
import { reassign } from './reassign';
import { ASSIGNMENT_DECISION_TEXT } from './state-machine';

const SYSTEM: Actor = { viewer: null, ip: null, userAgent: 'jiefen-scheduler', requestId: null };
const LEVEL_NAMES = { VILLAGE: '村级', TOWNSHIP: '乡镇级', COUNTY: '县级', PREFECTURE: '州市级' } as const;
const DAY_MS = 86_400_000;

/** Reminders before the mediation limit runs out (OMR 24, 26): 5 days and 1 day ahead. */
export const MEDIATION_REMINDERS = [
  { key: '5d', ms: 5 * DAY_MS, label: '5日' },
  { key: '1d', ms: 1 * DAY_MS, label: '1日' },
] as const;

export interface DeadlineRunResult {
  reassigned: number;
  escalated: number;
  reminded: number;
  expired: number;
  contactOverdue: number;
  choiceClosed: number;
  skipped: number;
  /** Cases whose handling failed this tick: logged, and tried again on the next tick. */
  failed: number;
}

/**
 * The case clocks, each case handled on its own: a case that fails is logged and retried on the
 * next tick and never stops the others. Every action is a conditional update in its own
 * transaction, so a user acting at the same moment wins or loses cleanly and nothing is done twice.
 */
export async function processCaseDeadlines(deps: Deps, opts: { batch?: number; onlyCaseIds?: string[] } = {}): Promise<DeadlineRunResult> {
  const now = deps.clock.now();
  const batch = opts.batch ?? 100;
  // Scoping to given cases lets an operator (or a test on a shared database) process just those.
  const only = opts.onlyCaseIds ? inArray(cases.id, opts.onlyCaseIds) : undefined;
  const onlyDeadlines = opts.onlyCaseIds ? inArray(deadlines.caseId, opts.onlyCaseIds) : undefined;
  const result: DeadlineRunResult = { reassigned: 0, escalated: 0, reminded: 0, expired: 0, contactOverdue: 0, choiceClosed: 0, skipped: 0, failed: 0 };

  async function each<T extends { id: string }>(rows: T[], what: string, counter: keyof DeadlineRunResult, work: (row: T) => Promise<boolean | void>) {
    for (const row of rows) {
      try {
        const done = await work(row);
        if (done !== false) result[counter]++;
      } catch (err) {
        if (err instanceof ConflictError) {
          result.skipped++;
          continue;
        }
        result.failed++;
        deps.log.error({ err, caseId: row.id, clock: what }, 'case deadline failed; retried on the next tick');
      }
    }
  }

  // OMR 12: assignments not confirmed within 3 working days are reassigned.
  const expired = await deps.db
    .select()
    .from(cases)
    .where(and(eq(cases.status, 'ASSIGNING'), isNotNull(cases.dueAt), lt(cases.dueAt, now), only))
    .orderBy(cases.dueAt)
    .limit(batch);
  await each(expired, 'ASSIGNMENT_RESPONSE', 'reassigned', (row) =>
    deps.db.transaction(async (tx) => {
      const [pending] = await tx
        .update(caseAssignments)
        .set({ status: 'EXPIRED', decidedAt: now, decisionReason: ASSIGNMENT_DECISION_TEXT.EXPIRED })
        .where(and(eq(caseAssignments.caseId, row.id), eq(caseAssignments.status, 'PENDING'), lt(caseAssignments.dueAt, now)))
        .returning();
      if (!pending) throw new ConflictError();
      await reassign(tx, deps, SYSTEM, row, 'DISPATCH', `OMR 12：调解员未在3个工作日内确认（期限 ${pending.dueAt.toISOString()}），自动改派`);
    }),
  );

  // People's mediation that outlives its level's dispatch time limit escalates one level up.
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
  await each(overLevel, 'LEVEL_LIMIT', 'escalated', (row) =>
    deps.db.transaction(async (tx) => {
      const reason = `${LEVEL_NAMES[row.level!]}调处时限已过（${row.levelDueAt!.toISOString()}），升级至上一级处理`;
      const up = await escalate(tx, deps, SYSTEM, row as CaseRow, reason);
      if (up) return;
      // Nowhere to go: stop the level clock but keep the fact on record for supervisors.
      await touchCase(tx, deps.clock, SYSTEM, row, { levelDueAt: null }, { type: 'case.escalation_unavailable', data: { reason } });
    }),
  );

  // OMR 10: the window for the parties' joint choice closes; the organisation's proposal stands.
  const choices = await deps.db
    .select()
    .from(cases)
    .where(and(eq(cases.status, 'ASSIGNING'), isNotNull(cases.mediatorChoiceDueAt), lt(cases.mediatorChoiceDueAt, now), only))
    .limit(batch);
  await each(choices, 'MEDIATOR_CHOICE', 'choiceClosed', (row) =>
    deps.db.transaction(async (tx) => {
      await touchCase(tx, deps.clock, SYSTEM, row, { mediatorChoiceDueAt: null }, {
        type: 'case.mediator_choice_closed',
        data: { dueAt: row.mediatorChoiceDueAt!.toISOString(), rule: 'OMR 10: 当事人未在2个工作日内共同选定调解员，由调解组织指定', proposedMediatorId: row.mediatorId },
      });
      await closeDeadlines(tx, deps.clock, { caseId: row.id, kinds: ['MEDIATOR_CHOICE'] });
    }),
  );

  // OMR 15: no contact with the other side within 3 working days: on record, and the county told.
  const uncontacted = await deps.db
    .select()
    .from(cases)
    .where(and(eq(cases.status, 'AWAITING_RESPONDENT'), isNull(cases.firstContactAt), isNotNull(cases.contactDueAt), lt(cases.contactDueAt, now), only))
    .limit(batch);
  await each(uncontacted, 'RESPONDENT_CONTACT', 'contactOverdue', (row) =>
    deps.db.transaction(async (tx) => {
      await touchCase(tx, deps.clock, SYSTEM, row, { contactDueAt: null }, {
        type: 'case.contact_overdue',
        data: { dueAt: row.contactDueAt!.toISOString(), rule: 'OMR 15: 应在3个工作日内联系对方当事人' },
      });
      await tx.update(deadlines).set({ expiredAt: now, open: false, updatedAt: now }).where(and(eq(deadlines.caseId, row.id), eq(deadlines.kind, 'RESPONDENT_CONTACT'), eq(deadlines.open, true)));
      await enqueue(tx, deps.clock, [
        { kind: 'ALERT', topic: 'case.contact_overdue', recipient: `intake:${row.countyCode}`, caseId: row.id, payload: { caseNumber: row.number, dueAt: row.contactDueAt!.toISOString() } },
      ]);
    }),
  );

  // OMR 24, 26: remind the mediator and the parties 5 days and 1 day before the mediation limit.
  for (const reminder of MEDIATION_REMINDERS) {
    const due = await deps.db
      .select({ id: deadlines.id, caseId: deadlines.caseId, dueAt: deadlines.dueAt })
      .from(deadlines)
      .innerJoin(cases, eq(cases.id, deadlines.caseId))
      .where(
        and(
          eq(deadlines.kind, 'MEDIATION_LIMIT'),
          eq(deadlines.open, true),
          eq(cases.status, 'MEDIATING'),
          lte(deadlines.dueAt, new Date(now.getTime() + reminder.ms)),
          sql`${deadlines.dueAt} > ${now.toISOString()}::timestamptz`,
          sql`not (${deadlines.reminders} ? ${reminder.key}::text)`,
          onlyDeadlines,
        ),
      )
      .limit(batch);
    await each(
      due.map((d) => ({ ...d, id: d.caseId, deadlineId: d.id })),
      `MEDIATION_LIMIT ${reminder.key}`,
      'reminded',
      (d) =>
        deps.db.transaction(async (tx) => {
          const [marked] = await tx
            .update(deadlines)
            .set({ reminders: sql`${deadlines.reminders} || ${JSON.stringify([reminder.key])}::jsonb`, updatedAt: now })
            .where(and(eq(deadlines.id, d.deadlineId), sql`not (${deadlines.reminders} ? ${reminder.key}::text)`))
            .returning();
          if (!marked) throw new ConflictError();
          const [c] = await tx.select().from(cases).where(eq(cases.id, d.caseId));
          await notifyCasePeople(tx, deps.clock, c!, 'mediation.limit_approaching', { caseNumber: c!.number, dueAt: d.dueAt.toISOString(), remaining: reminder.label });
        }),
    );
  }

  // At expiry the case shows as overdue until the parties all consent to an extension or the
  // mediator ends it with TIME_EXPIRED; the expiry itself is on record once.
  const lapsed = await deps.db
    .select({ id: deadlines.id, caseId: deadlines.caseId, dueAt: deadlines.dueAt })
    .from(deadlines)
    .innerJoin(cases, eq(cases.id, deadlines.caseId))
    .where(and(eq(deadlines.kind, 'MEDIATION_LIMIT'), eq(deadlines.open, true), eq(cases.status, 'MEDIATING'), isNull(deadlines.expiredAt), lt(deadlines.dueAt, now), onlyDeadlines))
    .limit(batch);
  await each(
    lapsed.map((d) => ({ ...d, id: d.caseId, deadlineId: d.id })),
    'MEDIATION_LIMIT expiry',
    'expired',
    (d) =>
      deps.db.transaction(async (tx) => {
        const [marked] = await tx
          .update(deadlines)
          .set({ expiredAt: now, updatedAt: now })
          .where(and(eq(deadlines.id, d.deadlineId), isNull(deadlines.expiredAt)))
          .returning();
        if (!marked) throw new ConflictError();
        const [c] = await tx.select().from(cases).where(eq(cases.id, d.caseId));
        const limit = mediationLimit(c!);
        await touchCase(tx, deps.clock, SYSTEM, c!, {}, {
          type: 'case.mediation_limit_expired',
          data: { dueAt: d.dueAt.toISOString(), rule: limit.rule, statutory: limit.statutory, needs: ['EXTENSION_WITH_EVERY_PARTY_CONSENT', 'TERMINATION_TIME_EXPIRED'] },
        });
        await notifyCasePeople(tx, deps.clock, c!, 'mediation.limit_expired', {
          caseNumber: c!.number,
          dueAt: d.dueAt.toISOString(),
          next: '经全体当事人同意延长调解期限，或以期限届满（TIME_EXPIRED）终止调解',
        });
      }),
  );
  return result;
}

/** One SMS notice to each party of a case and to its mediator, in the caller's transaction. */
async function notifyCasePeople(tx: Parameters<typeof partyPhones>[0], clock: Deps['clock'], c: CaseRow, topic: string, payload: Record<string, unknown>) {
  const recipients = [...(await partyPhones(tx, c.id)), ...(await mediatorPhone(tx, c.mediatorId))];
  await enqueue(
    tx,
    clock,
    recipients.map((phone) => ({ kind: 'NOTIFICATION' as const, topic, recipient: phone, caseId: c.id, payload })),
  );
}

async function mediatorPhone(db: Parameters<typeof partyPhones>[0], mediatorId: string | null): Promise<string[]> {
  if (!mediatorId) return [];
  const rows = await db.select({ phone: users.phone }).from(mediators).innerJoin(users, eq(users.id, mediators.userId)).where(eq(mediators.id, mediatorId));
  return rows.map((r) => r.phone);
}
