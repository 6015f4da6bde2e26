import { and, asc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { evidence, storedFiles, users } from '../../../schema';
import type { Executor } from '../../db';
import { loadVisibleCase, mediatorOfUser, withinCourtWindow, type CaseRow } from './case';
import { hasContentGrant } from './standing';
import type { Viewer } from '../context';
import { NotFoundError } from '../errors';

export type EvidenceRow = typeof evidence.$inferSelect;
export type StoredFileRow = typeof storedFiles.$inferSelect;
export interface EvidenceWithFile {
  evidence: EvidenceRow;
  file: StoredFileRow;
  uploaderName: string;
}

/**
 * The mediator side of a case: its own mediator, the admins of the organisation handling it, and
 * a platform admin only through a reasoned content grant (openCaseContent). A court sees the case
 * file it was sent, but not material kept to the mediator.
 */
export async function isMediatorSide(db: Executor, viewer: Viewer | null, c: CaseRow, now: Date): Promise<boolean> {
  if (viewer?.kind !== 'user') return false;
  if (viewer.role === 'PLATFORM_ADMIN') return hasContentGrant(db, viewer.userId, c.id, now);
  if (viewer.role === 'ORG_ADMIN') return c.organizationId !== null && viewer.organizationId === c.organizationId;
  if (viewer.role === 'MEDIATOR' && c.mediatorId) {
    const m = await mediatorOfUser(db, viewer.userId);
    return m?.id === c.mediatorId;
  }
  return false;
}

/**
 * Which evidence of a case (already visible to the viewer) the viewer may see: shared items that are
 * not withdrawn, their own uploads, and everything for the mediator side. A withdrawn item stays in
 * the record for its uploader and the mediator side only.
 */
export function visibleEvidence(viewer: Viewer | null, mediatorSide: boolean): SQL {
  if (mediatorSide) return sql`true`;
  // Platform admins do not read mediation content by default: only through a content grant.
  if (viewer?.kind === 'user' && viewer.role === 'PLATFORM_ADMIN') return sql`false`;
  const shared = and(eq(evidence.visibility, 'SHARED'), isNull(evidence.withdrawnAt))!;
  // A court sees nothing uploaded after the matter left it.
  if (viewer?.kind === 'apiClient') return and(shared, withinCourtWindow(viewer, evidence.caseId, evidence.createdAt))!;
  if (viewer?.kind !== 'user') return shared;
  return or(shared, eq(evidence.uploadedBy, viewer.userId))!;
}

/** Loads one item with its file if the viewer may see both the case and the item; else NotFoundError. */
export async function loadVisibleEvidence(db: Executor, viewer: Viewer | null, evidenceId: string, now: Date): Promise<EvidenceWithFile & { case: CaseRow }> {
  const [head] = await db.select({ caseId: evidence.caseId }).from(evidence).where(eq(evidence.id, evidenceId)).limit(1);
  if (!head) throw new NotFoundError('Evidence');
  let c: CaseRow;
  try {
    c = await loadVisibleCase(db, viewer, head.caseId);
  } catch (e) {
    // The same answer as for an id that does not exist.
    if (e instanceof NotFoundError) throw new NotFoundError('Evidence');
    throw e;
  }
  const side = await isMediatorSide(db, viewer, c, now);
  const [row] = await db
    .select({ evidence, file: storedFiles, uploaderName: users.name })
    .from(evidence)
    .innerJoin(storedFiles, eq(storedFiles.id, evidence.fileId))
    .innerJoin(users, eq(users.id, evidence.uploadedBy))
    .where(and(eq(evidence.id, evidenceId), visibleEvidence(viewer, side)))
    .limit(1);
  if (!row) throw new NotFoundError('Evidence');
  return { ...row, case: c };
}

/** The evidence of a case the viewer may see, oldest first (the case itself is already visible to them). */
export async function listVisibleEvidence(db: Executor, viewer: Viewer | null, c: CaseRow, now: Date): Promise<EvidenceWithFile[]> {
  const side = await isMediatorSide(db, viewer, c, now);
  return db
    .select({ evidence, file: storedFiles, uploaderName: users.name })
    .from(evidence)
    .innerJoin(storedFiles, eq(storedFiles.id, evidence.fileId))
    .innerJoin(users, eq(users.id, evidence.uploadedBy))
    .where(and(eq(evidence.caseId, c.id), visibleEvidence(viewer, side)))
    .orderBy(asc(evidence.createdAt), asc(evidence.id));
}

/**
 * Several items at once (a page of node lookups): for each id the item with its file, or null when
 * the viewer may not see it or it does not exist. One query for the items, then the case's
 * visibility once per case rather than once per item.
 */
export async function loadVisibleEvidenceMany(db: Executor, viewer: Viewer | null, evidenceIds: readonly string[], now: Date): Promise<(EvidenceWithFile | null)[]> {
  if (evidenceIds.length === 0) return [];
  const heads = await db.select({ id: evidence.id, caseId: evidence.caseId }).from(evidence).where(inArray(evidence.id, [...evidenceIds]));
  const idsByCase = new Map<string, string[]>();
  for (const h of heads) idsByCase.set(h.caseId, [...(idsByCase.get(h.caseId) ?? []), h.id]);
  const found = new Map<string, EvidenceWithFile>();
  for (const [caseId, ids] of idsByCase) {
    let c: CaseRow;
    try {
      c = await loadVisibleCase(db, viewer, caseId);
    } catch (e) {
      if (e instanceof NotFoundError) continue;
      throw e;
    }
    const side = await isMediatorSide(db, viewer, c, now);
    const rows = await db
      .select({ evidence, file: storedFiles, uploaderName: users.name })
      .from(evidence)
      .innerJoin(storedFiles, eq(storedFiles.id, evidence.fileId))
      .innerJoin(users, eq(users.id, evidence.uploadedBy))
      .where(and(inArray(evidence.id, ids), visibleEvidence(viewer, side)));
    for (const r of rows) found.set(r.evidence.id, r);
  }
  return evidenceIds.map((id) => found.get(id) ?? null);
}
