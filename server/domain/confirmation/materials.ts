import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { agreements, evidence, mediationSessions, mediators, organizations, storedFiles, users } from '../../../schema';
import type { ConfirmationMaterials } from '../../../schema/confirmation';
import type { Executor } from '../../db';
import type { CaseRow, PartyRow } from '../cases/case-access';
import { contentOf } from '../agreements/agreement-content';
import { decrypt } from '../auth/crypto';

type AgreementRow = typeof agreements.$inferSelect;

/**
 * The materials of INT 354 as they stand now: the signed agreement (file and hash), each party's
 * full identity (name, ID number or credit code, domicile, phone, agents with their authority) as
 * printed on the agreement the parties signed, the organisation that presided, the minutes' hashes
 * and the shared evidence. `appliedByAgent` names, per party, an agent with special authority who
 * applied for it (INT 351).
 */
export async function buildMaterials(
  db: Executor,
  c: CaseRow,
  parties: PartyRow[],
  agreement: AgreementRow,
  opts: { dataKey: Buffer; appliedByAgent?: Map<string, string> },
): Promise<ConfirmationMaterials> {
  const printed = new Map(contentOf(agreement).parties.map((p) => [p.partyId, p]));
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
    parties: parties.map((p) => {
      const snap = printed.get(p.id);
      const idNumberEnc = snap?.idNumberEnc ?? p.idNumberEnc;
      return {
        partyId: p.id,
        role: p.role,
        kind: p.kind,
        name: snap?.name ?? p.name,
        idNumberMasked: p.idNumberMasked,
        idNumber: idNumberEnc ? decrypt(opts.dataKey, idNumberEnc) : null,
        creditCode: snap?.creditCode ?? p.creditCode,
        domicile: snap?.domicile || p.address,
        phone: snap?.phone || p.phone,
        agents: p.agents.map((a) => ({ name: a.name, authority: a.authority, special: a.special === true, phone: a.phone })),
        appliedByAgent: opts.appliedByAgent?.get(p.id) ?? null,
      };
    }),
    organization: org
      ? { id: org.id, name: org.name, kind: org.kind, creditCode: org.creditCode, regionCode: org.regionCode, address: org.address }
      : null,
    mediatorName: mediator?.name ?? null,
    minutes: minutes.map((m) => ({ sessionId: m.id, sha256: m.sha256, lockedAt: m.lockedAt?.toISOString() ?? null })),
    evidence: shared.map((e) => ({ evidenceId: e.id, title: e.title, fileId: e.fileId, sha256: e.sha256 })),
  };
}
