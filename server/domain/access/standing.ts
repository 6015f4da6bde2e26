import { and, eq, gt } from 'drizzle-orm';
import { caseContentGrants, mediators } from '../../../schema';
import type { Executor } from '../../db';
import type { Viewer } from '../context';
import type { CaseRow, PartyRow } from './case';

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

async function computeStanding(db: Executor, viewer: Viewer, c: Pick<CaseRow, 'id' | 'mediatorId'>, now: Date): Promise<CaseStanding> {
  const standing: CaseStanding = { viewer, caseId: c.id, isCaseMediator: false, hasContentGrant: false };
  if (viewer.kind !== 'user') return standing;
  if (viewer.role === 'MEDIATOR' && c.mediatorId) {
    const [m] = await db.select({ id: mediators.id }).from(mediators).where(eq(mediators.userId, viewer.userId)).limit(1);
    standing.isCaseMediator = m?.id === c.mediatorId;
  }
  if (viewer.role === 'PLATFORM_ADMIN') standing.hasContentGrant = await hasContentGrant(db, viewer.userId, c.id, now);
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
