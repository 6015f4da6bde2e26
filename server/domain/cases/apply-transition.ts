import { and, eq } from 'drizzle-orm';
import { cases } from '../../../schema';
import type { Tx } from '../../db';
import { recordEvent } from '../audit/record-event';
import type { Actor, Clock } from '../context';
import { ConflictError } from '../errors';
import type { CaseRow } from './case-access';
import { transition, type CaseAction } from './state-machine';

/**
 * Moves a case by `action` inside the caller's transaction: checks the transition table, then a
 * conditional update on (id, status, version) so that two concurrent requests can never both
 * proceed (zero rows = ConflictError), then the audit event in the same transaction.
 */
export async function applyTransition(
  tx: Tx,
  clock: Clock,
  actor: Actor,
  current: CaseRow,
  action: CaseAction,
  patch: Partial<typeof cases.$inferInsert>,
  event: { type: string; data?: Record<string, unknown> },
): Promise<CaseRow> {
  const next = transition(current.status, action);
  const [updated] = await tx
    .update(cases)
    .set({ ...patch, status: next, version: current.version + 1, updatedAt: clock.now() })
    .where(and(eq(cases.id, current.id), eq(cases.status, current.status), eq(cases.version, current.version)))
    .returning();
  if (!updated) throw new ConflictError();
  await recordEvent(tx, clock, actor, {
    subjectType: 'case',
    subjectId: current.id,
    type: event.type,
    beforeStatus: current.status,
    afterStatus: next,
    data: { action, ...event.data },
  });
  return updated;
}

/** Same guarantees as applyTransition for changes that keep the status (e.g. a party's consent). */
export async function touchCase(
  tx: Tx,
  clock: Clock,
  actor: Actor,
  current: CaseRow,
  patch: Partial<typeof cases.$inferInsert>,
  event: { type: string; data?: Record<string, unknown> },
): Promise<CaseRow> {
  const [updated] = await tx
    .update(cases)
    .set({ ...patch, version: current.version + 1, updatedAt: clock.now() })
    .where(and(eq(cases.id, current.id), eq(cases.status, current.status), eq(cases.version, current.version)))
    .returning();
  if (!updated) throw new ConflictError();
  await recordEvent(tx, clock, actor, {
    subjectType: 'case',
    subjectId: current.id,
    type: event.type,
    beforeStatus: current.status,
    afterStatus: current.status,
    data: event.data ?? {},
  });
  return updated;
}
