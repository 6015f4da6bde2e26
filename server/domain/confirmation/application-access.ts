import { and, desc, eq, isNull } from 'drizzle-orm';
import { cases, confirmationApplications, confirmationSupplements } from '../../../schema';
import type { Executor, Tx } from '../../db';
import { loadParties, loadVisibleCase, partiesOfViewer, type CaseRow, type PartyRow } from '../cases/case-access';
import type { ApiClientViewer, Clock, UserViewer } from '../context';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { visibleApplications } from '../access/application';
import { enqueue } from '../outbox/enqueue';

export type ApplicationRow = typeof confirmationApplications.$inferSelect;

export const CONFIRMATION_STATUSES = [
  'AWAITING_CO_APPLICANT',
  'SUBMITTED',
  'ACCEPTED',
  'SUPPLEMENT_REQUESTED',
  'NOT_ACCEPTED',
  'CONFIRMED',
  'REJECTED',
  'WITHDRAWN',
] as const;
export type ConfirmationStatus = (typeof CONFIRMATION_STATUSES)[number];

/** Statuses in which the application is still open (no decision, not withdrawn). */
export const OPEN_CONFIRMATION_STATUSES: ConfirmationStatus[] = ['AWAITING_CO_APPLICANT', 'SUBMITTED', 'ACCEPTED', 'SUPPLEMENT_REQUESTED'];

/** INT 355: grounds on which a court does not accept an application (不予受理). */
export const NOT_ACCEPTED_GROUNDS = [
  'OUTSIDE_COURT_JURISDICTION',
  'NOT_THIS_COURT',
  'PERSONAL_STATUS',
  'OTHER_SPECIAL_PROCEDURE',
  'OWNERSHIP_OF_REAL_RIGHT_OR_IP',
] as const;

/** INT 358 (and OMR 23 for sham mediation): grounds on which a court rejects an application (驳回). */
export const REJECTION_GROUNDS = [
  'VIOLATES_MANDATORY_LAW',
  'HARMS_STATE_PUBLIC_OR_OTHERS',
  'VIOLATES_PUBLIC_ORDER',
  'NOT_VOLUNTARY',
  'CONTENT_UNCLEAR',
  'SHAM_MEDIATION',
  'OTHER',
] as const;

/**
 * An application as its court's API client sees it: only its own court's, and only once every
 * party has applied (before that there is nothing before the court). Anything else is not found.
 */
export async function loadApplicationForCourt(db: Executor, client: ApiClientViewer, applicationId: string): Promise<ApplicationRow> {
  const [row] = await db
    .select()
    .from(confirmationApplications)
    .where(
      and(
        eq(confirmationApplications.id, applicationId),
        visibleApplications(client),
      ),
    );
  if (!row) throw new NotFoundError('ConfirmationApplication');
  return row;
}

/**
 * An application acted on by a party: the case must be visible (else not found) and the viewer one
 * of its parties (a mediator or admin who sees the case may not act for the parties).
 */
export async function loadApplicationForParty(
  db: Executor,
  viewer: UserViewer,
  applicationId: string,
): Promise<{ application: ApplicationRow; case: CaseRow; parties: PartyRow[]; mine: PartyRow[] }> {
  const [application] = await db.select().from(confirmationApplications).where(eq(confirmationApplications.id, applicationId));
  if (!application) throw new NotFoundError('ConfirmationApplication');
  let c: CaseRow;
  try {
    c = await loadVisibleCase(db, viewer, application.caseId);
  } catch {
    throw new NotFoundError('ConfirmationApplication');
  }
  const parties = await loadParties(db, c.id);
  const mine = partiesOfViewer(parties, viewer);
  if (mine.length === 0) throw new ForbiddenError('Only a party of the case may do this.');
  return { application, case: c, parties, mine };
}

/** Conditional update on (id, status, lock version): of two concurrent changes only one proceeds. */
export async function updateApplication(
  tx: Tx,
  clock: Clock,
  current: ApplicationRow,
  patch: Partial<typeof confirmationApplications.$inferInsert>,
): Promise<ApplicationRow> {
  const [row] = await tx
    .update(confirmationApplications)
    .set({ ...patch, lockVersion: current.lockVersion + 1, updatedAt: clock.now() })
    .where(
      and(
        eq(confirmationApplications.id, current.id),
        eq(confirmationApplications.status, current.status),
        eq(confirmationApplications.lockVersion, current.lockVersion),
      ),
    )
    .returning();
  if (!row) throw new ConflictError();
  return row;
}

/** Tells every party of the case by SMS (through the outbox, after commit). */
export async function notifyParties(
  tx: Executor,
  clock: Clock,
  parties: PartyRow[],
  topic: string,
  caseId: string,
  payload: Record<string, unknown>,
): Promise<void> {
  await enqueue(
    tx,
    clock,
    parties.map((p) => ({ kind: 'NOTIFICATION' as const, topic, recipient: p.phone, caseId, payload })),
  );
}

/** The case of an application, without a visibility check (callers have already checked access). */
export async function caseOfApplication(db: Executor, application: ApplicationRow): Promise<CaseRow> {
  const [c] = await db.select().from(cases).where(eq(cases.id, application.caseId));
  if (!c) throw new NotFoundError('Case');
  return c;
}

/** The court's newest request for materials on an application that is still unanswered, if any. */
export async function openSupplementRequest(db: Executor, applicationId: string) {
  const [open] = await db
    .select()
    .from(confirmationSupplements)
    .where(and(eq(confirmationSupplements.applicationId, applicationId), isNull(confirmationSupplements.answeredAt)))
    .orderBy(desc(confirmationSupplements.requestedAt))
    .limit(1);
  return open ?? null;
}
