import { and, eq } from 'drizzle-orm';
import { cases } from '../../../schema';
import { recordCaseFacts } from '../statistics/record-case-facts';
import type { Tx } from '../../db';
import { recordEvent } from '../audit/record-event';
import type { Actor, Clock } from '../context';
import { closeDeadlines, type DeadlineKind } from '../clock/deadline-records';
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

/** The statuses in which each of the case's own clocks runs; leaving them stops the clock. */
const CLOCKS_RUN_IN: Partial<Record<DeadlineKind, CaseStatus[]>> = {
  RESPONDENT_CONTACT: ['AWAITING_RESPONDENT'],
  ASSIGNMENT_RESPONSE: ['ASSIGNING'],
  MEDIATOR_CHOICE: ['ASSIGNING'],
  LEVEL_LIMIT: ['ASSIGNING', 'MEDIATING'],
  MEDIATION_LIMIT: ['MEDIATING'],
};

/** Moves a case by `action` inside the caller's transaction; the transition table decides whether it may. */
export async function applyTransition(tx: Tx, clock: Clock, actor: Actor, current: CaseRow, action: CaseAction, patch: Patch, event: EventSpec): Promise<CaseRow> {
  const next = transition(current.status, action);
  const updated = await updateCase(tx, clock, actor, current, next, patch, { type: event.type, data: { action, ...event.data } });
  // A new case has no clock yet; otherwise the clocks that do not run in the new status stop.
  if (current.status !== 'SUBMITTED' && next !== current.status) {
    const stopped = (Object.keys(CLOCKS_RUN_IN) as DeadlineKind[]).filter((k) => !CLOCKS_RUN_IN[k]!.includes(next));
    await closeDeadlines(tx, clock, { caseId: current.id, kinds: stopped });
  }
  return updated;
}

/** Same guarantees as applyTransition for changes that keep the status (e.g. a party's consent). */
export function touchCase(tx: Tx, clock: Clock, actor: Actor, current: CaseRow, patch: Patch, event: EventSpec): Promise<CaseRow> {
  return updateCase(tx, clock, actor, current, current.status, patch, event);
}
