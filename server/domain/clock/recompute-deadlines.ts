import { and, eq } from 'drizzle-orm';
import { cases, deadlines } from '../../../schema';
import type { Tx } from '../../db';
import { touchCase } from '../cases/apply-transition';
import type { Actor, Clock } from '../context';
import { enqueue } from '../outbox/enqueue';
import type { HolidayCalendar } from './calendar';
import { computeDeadline, type DeadlineRule } from './deadline';
import { KIND_SPECS, partyPhones, type DeadlineKind } from './deadline-records';

export interface MovedDeadline {
  caseId: string;
  kind: DeadlineKind;
  from: Date;
  to: Date;
  protects: 'PARTY' | 'DUTY';
}

/**
 * Recomputes every open deadline that rested on provisional days against `calendar`. A window that
 * protects a party only ever moves later; a duty follows the new result. Each move is an audit event
 * on the case, and the parties are told when their own window moved.
 */
export async function recomputeProvisionalDeadlines(tx: Tx, clock: Clock, actor: Actor, calendar: HolidayCalendar): Promise<{ moved: MovedDeadline[]; confirmed: number; closed: number }> {
  const rows = await tx
    .select()
    .from(deadlines)
    .where(and(eq(deadlines.open, true), eq(deadlines.basis, 'PROVISIONAL')))
    .orderBy(deadlines.caseId, deadlines.createdAt);
  const moved: MovedDeadline[] = [];
  let confirmed = 0;
  let closed = 0;
  const now = clock.now();
  for (const r of rows) {
    const kind = r.kind as DeadlineKind;
    const spec = KIND_SPECS[kind];
    const close = async () => {
      closed++;
      await tx.update(deadlines).set({ open: false, updatedAt: now }).where(eq(deadlines.id, r.id));
    };
    if (!spec || !(await spec.running(tx, r))) {
      await close();
      continue;
    }
    const next = computeDeadline(calendar, { rule: r.rule as DeadlineRule, amount: r.amount, startAt: r.startAt });
    let due = next.dueAt;
    // A party's window never comes earlier than what the party was told.
    if (spec.protects === 'PARTY' && due < r.dueAt) due = r.dueAt;
    if (due.getTime() === r.dueAt.getTime()) {
      if (next.basis !== r.basis) {
        confirmed++;
        await tx.update(deadlines).set({ basis: next.basis, updatedAt: now }).where(eq(deadlines.id, r.id));
      }
      continue;
    }
    if (spec.store && !(await spec.store(tx, r, due))) {
      await close(); // the stored value moved on since: this record no longer describes it
      continue;
    }
    const [c] = await tx.select().from(cases).where(eq(cases.id, r.caseId));
    if (!c) {
      await close();
      continue;
    }
    const patch: Partial<typeof cases.$inferInsert> = {};
    if (spec.caseColumn && c[spec.caseColumn]?.getTime() === r.dueAt.getTime()) patch[spec.caseColumn] = due;
    if (!spec.store && Object.keys(patch).length === 0) {
      await close();
      continue;
    }
    await touchCase(tx, clock, actor, c, patch, {
      type: 'deadline.recomputed',
      data: {
        deadlineId: r.id,
        kind,
        protects: spec.protects,
        rule: r.rule,
        amount: r.amount,
        startAt: r.startAt.toISOString(),
        previousDueAt: r.dueAt.toISOString(),
        dueAt: due.toISOString(),
        previousBasis: r.basis,
        basis: next.basis,
        years: next.years,
      },
    });
    await tx.update(deadlines).set({ dueAt: due, basis: next.basis, updatedAt: now }).where(eq(deadlines.id, r.id));
    moved.push({ caseId: r.caseId, kind, from: r.dueAt, to: due, protects: spec.protects });
    if (spec.protects === 'PARTY') {
      const phones = await partyPhones(tx, r.caseId);
      await enqueue(
        tx,
        clock,
        phones.map((phone) => ({
          kind: 'NOTIFICATION' as const,
          topic: 'deadline.moved',
          recipient: phone,
          caseId: r.caseId,
          payload: { caseNumber: c.number, kind, previousDueAt: r.dueAt.toISOString(), dueAt: due.toISOString() },
        })),
      );
    }
  }
  return { moved, confirmed, closed };
}
