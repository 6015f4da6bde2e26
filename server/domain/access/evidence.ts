import { and, asc, eq, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { cases, evidence, storedFiles, users } from '../../../schema';
import type { Database, Executor } from '../../db';
import { anyOfIds, preparedPerDatabase, preparedPerShape } from '../../db-prepared';
import { loadVisibleCase, visibleCases, withinCourtWindow, type CaseRow } from './case';
import { caseStanding } from './standing';
import { shapeOf, type ViewerShape } from './viewer-shape';
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
  if (viewer.role === 'ORG_ADMIN') return c.organizationId !== null && viewer.organizationId === c.organizationId;
  if (viewer.role !== 'PLATFORM_ADMIN' && viewer.role !== 'MEDIATOR') return false;
  // The standing is cached per request viewer: a page of cases reads the viewer's mediator row or grants once.
  const standing = await caseStanding(db, viewer, c, now);
  return viewer.role === 'PLATFORM_ADMIN' ? standing.hasContentGrant : standing.isCaseMediator;
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

/** Which of several visible cases the viewer reads from the mediator side, and which not. */
async function sidesOf(db: Executor, viewer: Viewer | null, cs: CaseRow[], now: Date): Promise<{ side: string[]; other: string[] }> {
  const sides = await Promise.all(cs.map((c) => isMediatorSide(db, viewer, c, now)));
  return { side: cs.filter((_c, i) => sides[i]).map((c) => c.id), other: cs.filter((_c, i) => !sides[i]).map((c) => c.id) };
}

/** The condition for the evidence of several visible cases, each read as its viewer may (mediator side or not). */
async function evidenceOfCases(db: Executor, viewer: Viewer | null, cs: CaseRow[], now: Date): Promise<SQL> {
  const { side, other } = await sidesOf(db, viewer, cs, now);
  const parts: SQL[] = [];
  if (side.length) parts.push(inArray(evidence.caseId, side));
  if (other.length) parts.push(and(inArray(evidence.caseId, other), visibleEvidence(viewer, false))!);
  return parts.length ? or(...parts)! : sql`false`;
}

/** Evidence with its file and its uploader's name: what the reads below select. */
const evidenceWithFiles = (db: Database) =>
  db
    .select({ evidence, file: storedFiles, uploaderName: users.name })
    .from(evidence)
    .innerJoin(storedFiles, eq(storedFiles.id, evidence.fileId))
    .innerJoin(users, eq(users.id, evidence.uploadedBy))
    .$dynamic();
const oldestFirst = [asc(evidence.createdAt), asc(evidence.id)];

/**
 * The condition of `evidenceOfCases` as three prepared statements, by what a page holds: only cases
 * read from the mediator side, only cases read from the other side, or both (two lists of cases).
 * One statement per page whatever it holds, each with a single plan (a statement that can drop one
 * of its branches for the values given is planned again at every run).
 */
const evidenceKeptToSide = preparedPerDatabase((db, ids) => evidenceWithFiles(db).where(ids(evidence.caseId)).orderBy(...oldestFirst).prepare('evidence_mediator_side'));
const evidenceSharedWith = preparedPerShape((db, s: ViewerShape, ids) =>
  evidenceWithFiles(db).where(and(ids(evidence.caseId), visibleEvidence(s.viewer, false))).orderBy(...oldestFirst).prepare('evidence_other_side'),
);
const evidenceOfBothSides = preparedPerShape((db, s: ViewerShape) =>
  evidenceWithFiles(db)
    .where(or(anyOfIds(evidence.caseId, 'side'), and(anyOfIds(evidence.caseId, 'other'), visibleEvidence(s.viewer, false))))
    .orderBy(...oldestFirst)
    .prepare('evidence_both_sides'),
);

/**
 * The evidence of several cases (already visible to the viewer) that the viewer may see, oldest
 * first, by case: one query for a whole page of cases.
 */
export async function listVisibleEvidenceOfCases(db: Database, viewer: Viewer | null, cs: CaseRow[], now: Date): Promise<Map<string, EvidenceWithFile[]>> {
  const out = new Map<string, EvidenceWithFile[]>(cs.map((c) => [c.id, []]));
  if (cs.length === 0) return out;
  const { side, other } = await sidesOf(db, viewer, cs, now);
  const shape = shapeOf(viewer);
  const rows =
    other.length === 0
      ? await evidenceKeptToSide.byIds(db, side)
      : side.length === 0
        ? await evidenceSharedWith.byIds(db, shape, other)
        : await evidenceOfBothSides(db, shape).execute({ ...shape.values, side, other });
  for (const r of rows) out.get(r.evidence.caseId)?.push(r);
  return out;
}

/**
 * Several items at once (a page of node lookups): for each id the item with its file, or null when
 * the viewer may not see it or it does not exist. A fixed number of queries however many ids and
 * cases: the items' cases, those the viewer may see, then the items they may see.
 */
export async function loadVisibleEvidenceMany(db: Executor, viewer: Viewer | null, evidenceIds: readonly string[], now: Date): Promise<(EvidenceWithFile | null)[]> {
  if (evidenceIds.length === 0) return [];
  const heads = await db.select({ caseId: evidence.caseId }).from(evidence).where(inArray(evidence.id, [...evidenceIds]));
  const caseIds = [...new Set(heads.map((h) => h.caseId))];
  const visible = caseIds.length ? await db.select().from(cases).where(and(inArray(cases.id, caseIds), visibleCases(viewer))) : [];
  const found = new Map<string, EvidenceWithFile>();
  if (visible.length) {
    const rows = await db
      .select({ evidence, file: storedFiles, uploaderName: users.name })
      .from(evidence)
      .innerJoin(storedFiles, eq(storedFiles.id, evidence.fileId))
      .innerJoin(users, eq(users.id, evidence.uploadedBy))
      .where(and(inArray(evidence.id, [...evidenceIds]), await evidenceOfCases(db, viewer, visible, now)));
    for (const r of rows) found.set(r.evidence.id, r);
  }
  return evidenceIds.map((id) => found.get(id) ?? null);
}
