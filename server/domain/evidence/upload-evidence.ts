import { and, eq, ne } from 'drizzle-orm';
import { z } from 'zod';
import { caseParties, cases, evidence, mediators, users } from '../../../schema';
import type { Tx } from '../../db';
import { recordEvent } from '../audit/record-event';
import { requireUser } from '../auth/policy';
import { loadParties, loadVisibleCase, mediatorOfUser, partiesOfViewer } from '../cases/case-access';
import type { CaseStatus } from '../cases/state-machine';
import type { Actor, Deps } from '../context';
import { ForbiddenError, InvalidTransitionError, ValidationError } from '../errors';
import { enqueue, type OutboxMessage } from '../outbox/enqueue';
import { parseInput } from '../validate';
import { recordStoredFile } from '../files/record-stored-file';
import type { EvidenceWithFile } from './evidence-access';
import { EVIDENCE_VISIBILITIES, FileTooLargeError, UnsupportedFileTypeError, cleanFileName, sniffContentType } from './rules';

/** Evidence is added while the case is still being mediated; afterwards the file is closed to new material. */
export const EVIDENCE_OPEN_STATUSES: readonly CaseStatus[] = ['SUBMITTED', 'AWAITING_RESPONDENT', 'ASSIGNING', 'MEDIATING', 'AGREEMENT_SIGNING'];

const inputSchema = z.object({
  caseId: z.string().uuid(),
  title: z.string().trim().min(1, 'is required').max(200),
  description: z.string().trim().max(2000).nullish(),
  visibility: z.enum(EVIDENCE_VISIBILITIES).default('SHARED'),
  fileName: z.string().max(1000).nullish(),
});

export interface UploadEvidenceInput {
  caseId: string;
  title: string;
  description?: string | null;
  visibility?: string | null;
  fileName?: string | null;
  bytes: Uint8Array;
}

/** A party or the case's mediator adds a file to the case: type from the bytes, SHA-256 recorded. */
export async function uploadEvidence(deps: Deps, actor: Actor, input: UploadEvidenceInput): Promise<EvidenceWithFile> {
  const viewer = requireUser(actor);
  const data = parseInput(inputSchema, { ...input, bytes: undefined, visibility: input.visibility ?? undefined });
  const bytes = input.bytes;
  if (bytes.byteLength > deps.config.evidenceMaxBytes) throw new FileTooLargeError(deps.config.evidenceMaxBytes);
  if (bytes.byteLength === 0) throw ValidationError.field('file', 'is empty');

  const current = await loadVisibleCase(deps.db, viewer, data.caseId);
  const mediator = await mediatorOfUser(deps.db, viewer.userId);
  const parties = await loadParties(deps.db, current.id);
  const own = partiesOfViewer(parties, viewer);
  const role = mediator && mediator.id === current.mediatorId ? 'MEDIATOR' : own[0]?.role;
  if (!role) throw new ForbiddenError('Only the parties and the case’s mediator may add evidence.');
  if (!EVIDENCE_OPEN_STATUSES.includes(current.status)) throw new InvalidTransitionError(current.status, 'UPLOAD_EVIDENCE');
  const contentType = sniffContentType(bytes);
  if (!contentType) throw new UnsupportedFileTypeError();
  const fileName = cleanFileName(data.fileName);

  // Before the transaction: storage is content-addressed, so bytes left by a failed transaction
  // are harmless and a retry reuses them.
  const stored = await deps.storage.put(bytes);
  const now = deps.clock.now();

  return deps.db.transaction(async (tx) => {
    // Serialises appends to the case's audit chain without failing a concurrent upload by the other side.
    const [locked] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, current.id)).for('update');
    if (!locked) throw new InvalidTransitionError(current.status, 'UPLOAD_EVIDENCE');
    const file = await recordStoredFile(tx, stored, { contentType, fileName, caseId: current.id, createdAt: now, createdBy: viewer.userId });
    const [row] = await tx
      .insert(evidence)
      .values({
        caseId: current.id,
        fileId: file.id,
        title: data.title,
        description: data.description ?? null,
        visibility: data.visibility,
        uploadedBy: viewer.userId,
        role,
        createdAt: now,
      })
      .returning();
    const shared = data.visibility === 'SHARED';
    await recordEvent(tx, deps.clock, actor, {
      subjectType: 'case',
      subjectId: current.id,
      type: 'evidence.uploaded',
      beforeStatus: current.status,
      afterStatus: current.status,
      // Every party reads the case timeline: a confidential item shows only that it exists.
      data: {
        evidenceId: row!.id,
        fileId: file.id,
        sha256: stored.sha256,
        size: stored.size,
        contentType,
        visibility: data.visibility,
        role,
        ...(shared ? { title: data.title, fileName } : {}),
      },
    });
    await enqueue(tx, deps.clock, await recipients(tx, current, viewer.userId, viewer.phone, role, shared, row!.id));
    return { evidence: row!, file, uploaderName: viewer.name };
  });
}

/** Who hears of new evidence: the mediator, and for shared items the parties other than the uploader. */
async function recipients(
  tx: Tx,
  c: typeof cases.$inferSelect,
  uploaderId: string,
  uploaderPhone: string,
  role: string,
  shared: boolean,
  evidenceId: string,
): Promise<OutboxMessage[]> {
  const phones = new Set<string>();
  if (role !== 'MEDIATOR' && c.mediatorId) {
    const [m] = await tx.select({ phone: users.phone }).from(mediators).innerJoin(users, eq(users.id, mediators.userId)).where(eq(mediators.id, c.mediatorId));
    if (m) phones.add(m.phone);
  }
  if (shared) {
    const others = await tx
      .select({ phone: caseParties.phone, userId: caseParties.userId })
      .from(caseParties)
      .where(and(eq(caseParties.caseId, c.id), ne(caseParties.phone, uploaderPhone)));
    for (const p of others) if (p.userId !== uploaderId) phones.add(p.phone);
  }
  return [...phones].map((phone) => ({
    kind: 'NOTIFICATION' as const,
    topic: 'evidence.added',
    recipient: phone,
    caseId: c.id,
    payload: { caseNumber: c.number, evidenceId },
  }));
}
