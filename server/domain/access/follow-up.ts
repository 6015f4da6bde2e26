import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import { cases, followUpAnswers, followUps, mediationRatings, mediators, organizations, users } from '../../../schema';
import type { Executor } from '../../db';
import { visibleCases } from '../cases/case-access';
import type { UserViewer, Viewer } from '../context';
import { ForbiddenError, NotFoundError } from '../errors';
import { loadParties, loadVisibleCase, partiesOfViewer, type CaseRow, type PartyRow } from './case';
import type { RegionScope } from './region-scope';

export type FollowUpRow = typeof followUps.$inferSelect;
export type RatingRow = typeof mediationRatings.$inferSelect;
export type FollowUpAnswerRow = typeof followUpAnswers.$inferSelect;

/**
 * Who sees a follow-up: whoever may see its case (parties, mediator, organisation, platform admins),
 * its assignee, and grid workers of the case's village (they may be sent to do it).
 */
export function visibleFollowUps(viewer: Viewer | null, scope: RegionScope): SQL {
  if (viewer?.kind !== 'user') return sql`false`;
  const conditions: SQL[] = [
    sql`exists (select 1 from ${cases} where ${cases.id} = ${followUps.caseId} and ${visibleCases(viewer)})`,
    eq(followUps.assigneeUserId, viewer.userId),
  ];
  if (viewer.role === 'GRID_WORKER' && scope) {
    conditions.push(sql`exists (select 1 from ${cases} where ${cases.id} = ${followUps.caseId} and ${cases.regionCode} like (${scope}::text || '%'))`);
  }
  return or(...conditions)!;
}

/**
 * Who records a follow-up of a case: its mediator, a grid worker of its village, the assignee,
 * an admin of the case's organisation, or a platform admin.
 */
export function mayRecordFollowUp(
  viewer: UserViewer,
  scope: RegionScope,
  c: { regionCode: string; organizationId: string | null; mediatorUserId: string | null },
  assigneeUserIds: (string | null)[],
): boolean {
  if (viewer.role === 'PLATFORM_ADMIN') return true;
  if (c.mediatorUserId === viewer.userId) return true;
  if (assigneeUserIds.includes(viewer.userId)) return true;
  if (viewer.role === 'GRID_WORKER' && scope !== null && scope.length >= 9 && c.regionCode.startsWith(scope)) return true;
  if (viewer.role === 'ORG_ADMIN' && viewer.organizationId && viewer.organizationId === c.organizationId) return true;
  return false;
}

/** Loads a case for follow-up work with its mediator's user; NotFoundError when the viewer may not do it. */
export async function loadCaseForFollowUp(db: Executor, viewer: UserViewer, scope: RegionScope, caseId: string) {
  const [row] = await db
    .select({ c: cases, mediatorUserId: mediators.userId })
    .from(cases)
    .leftJoin(mediators, eq(mediators.id, cases.mediatorId))
    .where(eq(cases.id, caseId))
    .limit(1);
  if (!row) throw new NotFoundError('Case');
  const assignees = (await db.select({ u: followUps.assigneeUserId }).from(followUps).where(eq(followUps.caseId, caseId))).map((r) => r.u);
  if (!mayRecordFollowUp(viewer, scope, { regionCode: row.c.regionCode, organizationId: row.c.organizationId, mediatorUserId: row.mediatorUserId }, assignees)) {
    throw new NotFoundError('Case');
  }
  return { theCase: row.c, mediatorUserId: row.mediatorUserId };
}

/**
 * Ratings are never shown to the other party: a party sees only the ratings of its own party rows;
 * the case's mediator, organisation admins and platform admins see all of the case's ratings.
 */
export function visibleRatings(viewer: Viewer | null): SQL {
  if (viewer?.kind !== 'user') return sql`false`;
  if (viewer.role === 'PLATFORM_ADMIN') return sql`true`;
  // Only a phone its owner proved is matched to a party (as in visibleCases).
  const own = sql`exists (select 1 from case_parties p where p.id = ${mediationRatings.partyId} and (p.user_id = ${viewer.userId} or p.phone = ${viewer.verifiedPhone}))`;
  const staff: SQL[] = [];
  if (viewer.role === 'MEDIATOR') {
    staff.push(sql`${mediationRatings.mediatorId} = (select ${mediators.id} from ${mediators} where ${mediators.userId} = ${viewer.userId})`);
  }
  if (viewer.role === 'ORG_ADMIN' && viewer.organizationId) staff.push(eq(mediationRatings.organizationId, viewer.organizationId));
  return or(own, ...staff)!;
}

/** A grid worker of the village of `regionCode`, for follow-ups of cases without a mediator. */
export async function gridWorkerOf(db: Executor, regionCode: string): Promise<string | null> {
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(users.role, 'GRID_WORKER'), sql`${regionCode} like ${organizations.regionCode} || '%'`, sql`length(${organizations.regionCode}) >= 9`))
    .orderBy(sql`length(${organizations.regionCode}) desc`, users.id)
    .limit(1);
  return u?.id ?? null;
}

/**
 * A party answering a follow-up itself: the follow-up with its case and the viewer's own party row.
 * Whoever cannot see the case is told the follow-up does not exist (NotFoundError, as for a missing
 * id); who sees the case but is not one of its parties (its mediator, an admin) is refused. A
 * party's agent does not answer: the answer is the party's own account and satisfaction.
 */
export async function loadFollowUpForParty(db: Executor, viewer: UserViewer, followUpId: string): Promise<{ followUp: FollowUpRow; theCase: CaseRow; party: PartyRow }> {
  const [followUp] = await db.select().from(followUps).where(eq(followUps.id, followUpId)).limit(1);
  if (!followUp) throw new NotFoundError('FollowUp');
  let theCase: CaseRow;
  try {
    theCase = await loadVisibleCase(db, viewer, followUp.caseId);
  } catch (e) {
    // The same answer as for an id that does not exist.
    if (e instanceof NotFoundError) throw new NotFoundError('FollowUp');
    throw e;
  }
  const [party] = partiesOfViewer(await loadParties(db, theCase.id), viewer);
  if (!party) throw new ForbiddenError('Only a party of the case answers its follow-up itself.');
  return { followUp, theCase, party };
}

/**
 * Who reads a party's own follow-up answer: the party itself, and those who record the case's
 * follow-ups (its mediator, the follow-up's assignee, its organisation's admins, grid workers of the
 * village, platform admins). Never the other party: like a rating, an answer is not shown across.
 */
export function visibleFollowUpAnswers(viewer: Viewer | null, scope: RegionScope): SQL {
  if (viewer?.kind !== 'user') return sql`false`;
  if (viewer.role === 'PLATFORM_ADMIN') return sql`true`;
  // Only a phone its owner proved is matched to a party (as in visibleCases).
  const conditions: SQL[] = [
    sql`exists (select 1 from case_parties p where p.id = ${followUpAnswers.partyId} and (p.user_id = ${viewer.userId} or p.phone = ${viewer.verifiedPhone}))`,
    sql`exists (select 1 from ${followUps} where ${followUps.id} = ${followUpAnswers.followUpId} and ${followUps.assigneeUserId} = ${viewer.userId})`,
  ];
  if (viewer.role === 'MEDIATOR') {
    conditions.push(sql`exists (select 1 from ${cases} where ${cases.id} = ${followUpAnswers.caseId} and ${cases.mediatorId} = (select ${mediators.id} from ${mediators} where ${mediators.userId} = ${viewer.userId}))`);
  }
  if (viewer.role === 'ORG_ADMIN' && viewer.organizationId) {
    conditions.push(sql`exists (select 1 from ${cases} where ${cases.id} = ${followUpAnswers.caseId} and ${cases.organizationId} = ${viewer.organizationId})`);
  }
  if (viewer.role === 'GRID_WORKER' && scope !== null && scope.length >= 9) {
    conditions.push(sql`exists (select 1 from ${cases} where ${cases.id} = ${followUpAnswers.caseId} and ${cases.regionCode} like (${scope}::text || '%'))`);
  }
  return or(...conditions)!;
}
