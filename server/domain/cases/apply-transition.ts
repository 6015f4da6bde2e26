import { and, eq } from 'drizzle-orm';
import { cases } from '../../../schema';
import { recordCaseFacts } from '../statistics/record-case-facts';
import type { Tx } from '../../db';
import { recordEvent } from '../audit/record-event';
import type { Actor, Clock } from '../context';
import { ConflictError } from '../errors';
import type { CaseRow } from './case-access';
import { transition, type CaseAction, type CaseStatus } from './state-machine';

type Patch = Partial<typeof cases.$inferInsert>;
type EventSpec = { type: string; data?: Record<string, unknown> };

/**
 * The one way a case row changes: a conditional update on (id, status, version), so two concurrent
 * requests can never both proceed (zero rows = ConflictError), and the audit event in the same transaction.
 */
async function updateCase(tx: Tx, clock: Clock, actor: Actor, current: CaseRow, next: CaseStatus, patch: Patch, event: EventSpec): Promise<CaseRow> {
  const [updated] = await tx
    .update(cases)
    .set({ ...patch, status: next, version: current.version + 1, updatedAt: clock.now() })
    .where(and(eq(cases.id, current.id), eq(cases.status, current.status), eq(cases.version, current.version)))
    .returning();
  if (!updated) throw new ConflictError();
  await recordCaseFacts(tx, current, updated, event.data?.action as CaseAction | undefined, clock.now());
  await recordEvent(tx, clock, actor, {
    subjectType: 'case',
    subjectId: current.id,
    type: event.type,
    beforeStatus: current.status,
    afterStatus: next,
    data: event.data ?? {},
  });
  return updated;
}

/** Moves a case by `action` inside the caller's transaction; the transition table decides whether it may. */
export function applyTransition(tx: Tx, clock: Clock, actor: Actor, current: CaseRow, action: CaseAction, patch: Patch, event: EventSpec): Promise<CaseRow> {
  const next = transition(current.status, action);
  return updateCase(tx, clock, actor, current, next, patch, { type: event.type, data: { action, ...event.data } });
}

/** Same guarantees as applyTransition for changes that keep the status (e.g. a party's consent). */
export function touchCase(tx: Tx, clock: Clock, actor: Actor, current: CaseRow, patch: Patch, event: EventSpec): Promise<CaseRow> {
  return updateCase(tx, clock, actor, current, current.status, patch, event);
}
