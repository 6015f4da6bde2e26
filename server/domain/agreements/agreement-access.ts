import { and, asc, desc, eq, inArray, ne } from 'drizzle-orm';
import { agreementSignatures, agreements, cases, storedFiles } from '../../../schema';
import type { Executor } from '../../db';
import { visibleCases } from '../cases/case-access';
import { visibleAgreementVersions } from '../access/agreement';
import type { Viewer } from '../context';
import { NotFoundError } from '../errors';
import type { AgreementRow } from './agreement-content';

export type SignatureRow = typeof agreementSignatures.$inferSelect;

/**
 * Agreements by id that the viewer may see: those of cases they may see; for a court, only versions
 * that became effective within its content window (`visibleAgreementVersions`).
 */
export async function visibleAgreements(db: Executor, viewer: Viewer | null, ids: string[]): Promise<AgreementRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ agreement: agreements })
    .from(agreements)
    .innerJoin(cases, eq(cases.id, agreements.caseId))
    .where(and(inArray(agreements.id, ids), visibleCases(viewer), visibleAgreementVersions(viewer)));
  return rows.map((r) => r.agreement);
}

/** One agreement the viewer may see, else NotFoundError (never a different answer). */
export async function loadVisibleAgreement(db: Executor, viewer: Viewer | null, id: string): Promise<AgreementRow> {
  const [row] = await visibleAgreements(db, viewer, [id]);
  if (!row) throw new NotFoundError('Agreement');
  return row;
}

/** All versions of a case's agreement, oldest first. */
export function agreementsOfCase(db: Executor, caseId: string): Promise<AgreementRow[]> {
  return db.select().from(agreements).where(eq(agreements.caseId, caseId)).orderBy(asc(agreements.version));
}

/** The version that counts now: the newest one not superseded (a correction in signing counts over the effective one). */
export async function currentAgreement(db: Executor, caseId: string): Promise<AgreementRow | null> {
  const [row] = await db
    .select()
    .from(agreements)
    .where(and(eq(agreements.caseId, caseId), ne(agreements.status, 'SUPERSEDED')))
    .orderBy(desc(agreements.version))
    .limit(1);
  return row ?? null;
}

export function signaturesOf(db: Executor, agreementId: string): Promise<SignatureRow[]> {
  return db.select().from(agreementSignatures).where(eq(agreementSignatures.agreementId, agreementId)).orderBy(asc(agreementSignatures.signedAt), asc(agreementSignatures.id));
}

/** The PDF to hand out: the signed one once effective, otherwise the draft the signers are shown. */
export async function agreementFile(db: Executor, row: AgreementRow) {
  const fileId = row.finalFileId ?? row.draftFileId;
  if (!fileId) return null;
  const [file] = await db.select().from(storedFiles).where(eq(storedFiles.id, fileId));
  return file ?? null;
}
