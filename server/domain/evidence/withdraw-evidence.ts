import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { cases, evidence } from '../../../schema';
import { recordEvent } from '../audit/record-event';
import { requireUser } from '../auth/policy';
import type { Actor, Deps } from '../context';
import { ConflictError, ForbiddenError, InvalidTransitionError } from '../errors';
import { parseInput } from '../validate';
import { loadVisibleEvidence, type EvidenceWithFile } from './evidence-access';
import { EVIDENCE_OPEN_STATUSES } from './upload-evidence';

/** The uploader withdraws an item: the row and the bytes stay in the case file, marked withdrawn. */
export async function withdrawEvidence(
  deps: Deps,
  actor: Actor,
  input: { evidenceId: string; reason?: string | null },
): Promise<EvidenceWithFile> {
  const viewer = requireUser(actor);
  const data = parseInput(z.object({ evidenceId: z.string().uuid(), reason: z.string().trim().max(1000).nullish() }), input);
  const current = await loadVisibleEvidence(deps.db, viewer, data.evidenceId, deps.clock.now());
  if (current.evidence.uploadedBy !== viewer.userId) throw new ForbiddenError('Only the person who added this evidence may withdraw it.');
  if (!EVIDENCE_OPEN_STATUSES.includes(current.case.status)) throw new InvalidTransitionError(current.case.status, 'WITHDRAW_EVIDENCE');
  if (current.evidence.withdrawnAt) throw new ConflictError('This evidence has already been withdrawn.');
  return deps.db.transaction(async (tx) => {
    await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, current.case.id)).for('update');
    // Conditional update: two withdrawals cannot both be recorded.
    const [row] = await tx
      .update(evidence)
      .set({ withdrawnAt: deps.clock.now(), withdrawnReason: data.reason ?? null })
      .where(and(eq(evidence.id, current.evidence.id), isNull(evidence.withdrawnAt)))
      .returning();
    if (!row) throw new ConflictError('This evidence has already been withdrawn.');
    await recordEvent(tx, deps.clock, actor, {
      subjectType: 'case',
      subjectId: current.case.id,
      type: 'evidence.withdrawn',
      beforeStatus: current.case.status,
      afterStatus: current.case.status,
      // As on upload, a confidential item's details stay off the timeline every party reads.
      data: {
        evidenceId: row.id,
        sha256: current.file.sha256,
        visibility: row.visibility,
        ...(row.visibility === 'SHARED' ? { reason: data.reason ?? null } : {}),
      },
    });
    return { evidence: row, file: current.file, uploaderName: current.uploaderName };
  });
}
