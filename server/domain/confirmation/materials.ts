import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { agreements, evidence, mediationSessions, mediators, organizations, storedFiles, users } from '../../../schema';
import type { ConfirmationMaterials } from '../../../schema/confirmation';
import type { Executor } from '../../db';
import type { CaseRow, PartyRow } from '../cases/case-access';

type AgreementRow = typeof agreements.$inferSelect;

/**
 * The materials of INT 354 as they stand now: the signed agreement (file and hash), each party's
 * identity, domicile and contact, the organisation that presided, the minutes and the shared
 * evidence. ID numbers are kept masked here; the court reads them in full on the case's parties.
 */
export async function buildMaterials(db: Executor, c: CaseRow, parties: PartyRow[], agreement: AgreementRow): Promise<ConfirmationMaterials> {
  const [org] = c.organizationId ? await db.select().from(organizations).where(eq(organizations.id, c.organizationId)) : [];
  const [mediator] = c.mediatorId
    ? await db.select({ name: users.name }).from(mediators).innerJoin(users, eq(users.id, mediators.userId)).where(eq(mediators.id, c.mediatorId))
    : [];
  const minutes = await db
    .select({ id: mediationSessions.id, sha256: mediationSessions.minutesSha256, lockedAt: mediationSessions.minutesLockedAt })
    .from(mediationSessions)
    .where(and(eq(mediationSessions.caseId, c.id), gt(mediationSessions.minutesVersion, 0)))
    .orderBy(asc(mediationSessions.startsAt));
  const shared = await db
    .select({ id: evidence.id, title: evidence.title, fileId: evidence.fileId, sha256: storedFiles.sha256 })
    .from(evidence)
    .leftJoin(storedFiles, eq(storedFiles.id, evidence.fileId))
    // Mediator-only (背对背) material stays confidential; withdrawn items are not offered to the court.
    .where(and(eq(evidence.caseId, c.id), eq(evidence.visibility, 'SHARED'), isNull(evidence.withdrawnAt)))
    .orderBy(asc(evidence.createdAt));
  return {
    agreement: {
      id: agreement.id,
      number: agreement.number,
      version: agreement.version,
      fileId: agreement.finalFileId,
      sha256: agreement.finalSha256,
      verificationCode: agreement.verificationCode,
      effectiveAt: agreement.effectiveAt?.toISOString() ?? null,
    },
    parties: parties.map((p) => ({
      partyId: p.id,
      role: p.role,
      kind: p.kind,
      name: p.name,
      idNumberMasked: p.idNumberMasked,
      creditCode: p.creditCode,
      domicile: p.address,
      phone: p.phone,
      agents: p.agents.map((a) => ({ name: a.name, authority: a.authority })),
    })),
    organization: org
      ? { id: org.id, name: org.name, kind: org.kind, creditCode: org.creditCode, regionCode: org.regionCode, address: org.address }
      : null,
    mediatorName: mediator?.name ?? null,
    minutes: minutes.map((m) => ({ sessionId: m.id, sha256: m.sha256, lockedAt: m.lockedAt?.toISOString() ?? null })),
    evidence: shared.map((e) => ({ evidenceId: e.id, title: e.title, fileId: e.fileId, sha256: e.sha256 })),
  };
}
