import { and, eq, gt } from 'drizzle-orm';
import { caseContentGrants } from '../../../schema';
import type { Executor } from '../../db';
import type { Viewer } from '../context';
import { viewerMediatorId, type CaseRow, type PartyRow } from './case';

/**
 * Where a viewer stands towards one case they can see: the facts the field rules need. Computed
 * once per viewer and case within a request (the viewer object is per request).
 */
export interface CaseStanding {
  viewer: Viewer | null;
  caseId: string;
  /** The viewer is the mediator the case is with now. */
  isCaseMediator: boolean;
  /** A platform admin holding a live, reasoned content grant (openCaseContent). */
  hasContentGrant: boolean;
}

const cache = new WeakMap<object, Map<string, Promise<CaseStanding>>>();
/** Per request viewer, what does not depend on the case: read once, however many cases a page holds. */
const viewerFacts = new WeakMap<object, { mediatorId?: Promise<string | null>; grants?: Promise<Set<string>> }>();

/** The viewer's standing on a case (cached per request viewer). */
export function caseStanding(db: Executor, viewer: Viewer | null, c: Pick<CaseRow, 'id' | 'mediatorId'>, now: Date): Promise<CaseStanding> {
  if (!viewer) return Promise.resolve({ viewer, caseId: c.id, isCaseMediator: false, hasContentGrant: false });
  let perViewer = cache.get(viewer);
  if (!perViewer) {
    perViewer = new Map();
    cache.set(viewer, perViewer);
  }
  let found = perViewer.get(c.id);
  if (!found) {
    found = computeStanding(db, viewer, c, now);
    perViewer.set(c.id, found);
  }
  return found;
}

function factsOf(viewer: Viewer) {
  let facts = viewerFacts.get(viewer);
  if (!facts) viewerFacts.set(viewer, (facts = {}));
  return facts;
}

async function computeStanding(db: Executor, viewer: Viewer, c: Pick<CaseRow, 'id' | 'mediatorId'>, now: Date): Promise<CaseStanding> {
  const standing: CaseStanding = { viewer, caseId: c.id, isCaseMediator: false, hasContentGrant: false };
  if (viewer.kind !== 'user') return standing;
  if (viewer.role === 'MEDIATOR' && c.mediatorId) {
    const facts = factsOf(viewer);
    facts.mediatorId ??= viewerMediatorId(db, viewer);
    standing.isCaseMediator = (await facts.mediatorId) === c.mediatorId;
  }
  if (viewer.role === 'PLATFORM_ADMIN') {
    // The admin's live grants, all at once: a page of cases asks about each, and grants are few.
    const facts = factsOf(viewer);
    facts.grants ??= db
      .select({ caseId: caseContentGrants.caseId })
      .from(caseContentGrants)
      .where(and(eq(caseContentGrants.userId, viewer.userId), gt(caseContentGrants.expiresAt, now)))
      .then((rows) => new Set(rows.map((r) => r.caseId)));
    standing.hasContentGrant = (await facts.grants).has(c.id);
  }
  return standing;
}

/** Whether a platform admin holds a live content grant on the case. */
export async function hasContentGrant(db: Executor, userId: string, caseId: string, now: Date): Promise<boolean> {
  const [g] = await db
    .select({ id: caseContentGrants.id })
    .from(caseContentGrants)
    .where(and(eq(caseContentGrants.caseId, caseId), eq(caseContentGrants.userId, userId), gt(caseContentGrants.expiresAt, now)))
    .limit(1);
  return !!g;
}

/** The viewer is this party (by account, or by a phone they proved). */
export function isPartySelf(viewer: Viewer | null, p: Pick<PartyRow, 'userId' | 'phone'>): boolean {
  return viewer?.kind === 'user' && (viewer.userId === p.userId || (viewer.verifiedPhone !== null && viewer.verifiedPhone === p.phone));
}
