import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { caseAssignments, caseCourtAccess, caseParties, cases, caseTerminations, deadlines, mediationExtensions, mediators, supervisionOrders, supervisionProposals, undisputedFactConfirmations, undisputedFacts } from '../../../schema';
import type { PartyAgent } from '../../../schema/cases';
import type { Executor } from '../../db';
import type { UserViewer, Viewer } from '../context';
import { ForbiddenError, NotFoundError } from '../errors';

export type CaseRow = typeof cases.$inferSelect;
export type PartyRow = typeof caseParties.$inferSelect;

/**
 * The SQL condition for "this viewer may see this case" (SIM 2, INT 146: mediation is confidential):
 * its parties (by account or by phone, so people who register later see their case), whoever filed
 * it, its mediator, its organisation's admins, the admins of an organisation supervising it, the
 * courts it was sent to, and platform admins.
 */
export function visibleCases(viewer: Viewer | null): SQL {
  if (!viewer) return sql`false`;
  if (viewer.kind === 'apiClient') {
    return sql`exists (select 1 from ${caseCourtAccess} where ${caseCourtAccess.caseId} = ${cases.id} and ${caseCourtAccess.courtId} = ${viewer.organizationId})`;
  }
  if (viewer.role === 'PLATFORM_ADMIN') return sql`true`;
  const asParty = sql`exists (select 1 from ${caseParties} where ${caseParties.caseId} = ${cases.id} and (${caseParties.userId} = ${viewer.userId} or ${caseParties.phone} = ${viewer.verifiedPhone}))`;
  // A party's agent (代理人), recognised by the phone they proved, sees the case they act in.
  const asAgent = viewer.verifiedPhone
    ? sql`exists (select 1 from ${caseParties} where ${caseParties.caseId} = ${cases.id} and ${caseParties.agents} @> jsonb_build_array(jsonb_build_object('phone', ${viewer.verifiedPhone}::text)))`
    : sql`false`;
  const conditions: SQL[] = [asParty, asAgent, eq(cases.filedByUserId, viewer.userId)];
  if (viewer.role === 'MEDIATOR') {
    const myMediator = sql`(select ${mediators.id} from ${mediators} where ${mediators.userId} = ${viewer.userId})`;
    conditions.push(sql`${cases.mediatorId} = ${myMediator}`);
    // A case sent to the organisation without a named mediator is open to all its mediators.
    if (viewer.organizationId) {
      conditions.push(
        and(eq(cases.organizationId, viewer.organizationId), sql`${cases.mediatorId} is null`, eq(cases.status, 'ASSIGNING'))!,
      );
    }
  }
  // An organisation's admins see its cases while the case is with the organisation; once it has
  // been transferred away they lose it, and regain it if it comes back.
  if (viewer.role === 'ORG_ADMIN' && viewer.organizationId) {
    conditions.push(eq(cases.organizationId, viewer.organizationId));
    // A supervising organisation (督办) sees the case record of a matter it supervises: one it issued
    // or received an order on, or one proposed to its queue. The record only: mediation content
    // (minutes, messages, evidence kept to the mediator, personal data in full) stays with the
    // mediator side (see isMediatorSide and partyFieldAccess).
    conditions.push(
      sql`exists (select 1 from ${supervisionOrders} where ${supervisionOrders.caseId} = ${cases.id} and (${supervisionOrders.issuingOrganizationId} = ${viewer.organizationId} or ${supervisionOrders.receivingOrganizationId} = ${viewer.organizationId}))`,
      sql`exists (select 1 from ${supervisionProposals} where ${supervisionProposals.caseId} = ${cases.id} and ${supervisionProposals.supervisingOrganizationId} = ${viewer.organizationId})`,
    );
  }
  return or(...conditions)!;
}

/**
 * For a court client, the rows of a case recorded after the matter left the court (its application
 * not accepted or withdrawn, its transfer acknowledged): the court keeps what it was sent and sees
 * nothing new. `caseId` and `at` are the row's case and the instant it was recorded. True for
 * everyone else (their own rules apply).
 */
export function withinCourtWindow(viewer: Viewer | null, caseId: SQL | AnyPgColumn, at: SQL | AnyPgColumn): SQL {
  if (viewer?.kind !== 'apiClient') return sql`true`;
  return sql`not exists (select 1 from ${caseCourtAccess} where ${caseCourtAccess.caseId} = ${caseId} and ${caseCourtAccess.courtId} = ${viewer.organizationId} and ${caseCourtAccess.contentUntil} is not null and ${at} > ${caseCourtAccess.contentUntil})`;
}

/**
 * The undisputed facts of a case a viewer may read. Whoever else sees the case reads all of them,
 * with who confirmed each. A court client reads only the facts every party of the case confirmed
 * (OMR 22), the only admissions that may go to a court (OMR 18; `confirmedFacts` applies the same
 * rule to a litigation transfer), and of those only what was recorded and confirmed within its window.
 */
export function visibleUndisputedFacts(viewer: Viewer | null): SQL {
  if (viewer?.kind !== 'apiClient') return sql`true`;
  // Each party's confirmation counts only if given within the window: a fact confirmed after the
  // matter left the court is new to it.
  const confirmedInWindow = withinCourtWindow(viewer, undisputedFacts.caseId, undisputedFactConfirmations.confirmedAt);
  const everyPartyConfirmed = sql`not exists (select 1 from ${caseParties} where ${caseParties.caseId} = ${undisputedFacts.caseId} and not exists (select 1 from ${undisputedFactConfirmations} where ${undisputedFactConfirmations.factId} = ${undisputedFacts.id} and ${undisputedFactConfirmations.partyId} = ${caseParties.id} and ${confirmedInWindow}))`;
  return and(everyPartyConfirmed, withinCourtWindow(viewer, undisputedFacts.caseId, undisputedFacts.createdAt))!;
}

/** The termination of a case's mediation a viewer may read: a court client, only one recorded within its window. */
export function visibleTerminations(viewer: Viewer | null): SQL {
  return withinCourtWindow(viewer, caseTerminations.caseId, caseTerminations.terminatedAt);
}

/** The hand-offs (派单) of a case a viewer may read: a court client, only those made within its window. */
export function visibleAssignments(viewer: Viewer | null): SQL {
  return withinCourtWindow(viewer, caseAssignments.caseId, caseAssignments.createdAt);
}

/** The deadlines of a case a viewer may read: a court client, only those computed within its window. */
export function visibleDeadlines(viewer: Viewer | null): SQL {
  return withinCourtWindow(viewer, deadlines.caseId, deadlines.createdAt);
}

/** The requests to extend a case's mediation a viewer may read: a court client, only those made within its window. */
export function visibleExtensions(viewer: Viewer | null): SQL {
  return withinCourtWindow(viewer, mediationExtensions.caseId, mediationExtensions.requestedAt);
}

/**
 * Whether a viewer reads what was written during a case's mediation: a termination's note and its
 * notes for the court, and the reasons given for a hand-off, a request to extend or a cancelled
 * session. Everyone who sees the case does, except a court client: what is said in mediation stays
 * with the mediation (OMR 18), as a litigation transfer already leaves it out.
 */
export function readsMediationNotes(viewer: Viewer | null): boolean {
  return viewer?.kind !== 'apiClient';
}

/** Loads a case the viewer may see; anything else is NotFoundError, never a different answer. */
export async function loadVisibleCase(db: Executor, viewer: Viewer | null, caseId: string): Promise<CaseRow> {
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.id, caseId), visibleCases(viewer)))
    .limit(1);
  if (!row) throw new NotFoundError('Case');
  return row;
}

export async function loadParties(db: Executor, caseId: string): Promise<PartyRow[]> {
  return db.select().from(caseParties).where(eq(caseParties.caseId, caseId)).orderBy(caseParties.position);
}

/** The parties of the case that the viewer is (matched by account or phone). */
export function partiesOfViewer(parties: PartyRow[], viewer: Viewer | null): PartyRow[] {
  if (viewer?.kind !== 'user') return [];
  return parties.filter((p) => p.userId === viewer.userId || (viewer.verifiedPhone !== null && p.phone === viewer.verifiedPhone));
}

/** The parties for whom the viewer acts as agent (matched by the phone they proved), with that agent entry. */
export function partiesRepresentedBy(parties: PartyRow[], viewer: Viewer | null): { party: PartyRow; agent: PartyAgent }[] {
  if (viewer?.kind !== 'user' || !viewer.verifiedPhone) return [];
  return parties.flatMap((p) => p.agents.filter((a) => a.phone === viewer.verifiedPhone).map((agent) => ({ party: p, agent })));
}

/**
 * Whom the viewer may act for in a party's act that needs special authority (signing the agreement,
 * applying for judicial confirmation, INT 351): the parties they are, or else the parties whose
 * agent with special authority they are. An agent with general authority only is refused.
 */
export function actingFor(parties: PartyRow[], viewer: Viewer | null, act: string): { party: PartyRow; agent: PartyAgent | null }[] {
  const own = partiesOfViewer(parties, viewer);
  if (own.length > 0) return own.map((party) => ({ party, agent: null }));
  const represented = partiesRepresentedBy(parties, viewer);
  const special = represented.filter((r) => r.agent.special === true);
  if (represented.length > 0 && special.length === 0) {
    throw new ForbiddenError(`An agent with general authority may not ${act} for the party; it needs special authority (特别授权, INT 351).`);
  }
  return special;
}

/** The mediator row of a user, if they are one. */
export async function mediatorOfUser(db: Executor, userId: string) {
  const [m] = await db.select().from(mediators).where(eq(mediators.userId, userId)).limit(1);
  return m ?? null;
}

/**
 * The id of the viewer's own mediator row (null: none): the one read with their login when the
 * viewer came from one, else read with `mediatorOfUser`.
 */
export async function viewerMediatorId(db: Executor, viewer: UserViewer): Promise<string | null> {
  if (viewer.mediatorId !== undefined) return viewer.mediatorId;
  return (await mediatorOfUser(db, viewer.userId))?.id ?? null;
}
