import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { listVisibleEvidenceOfCases, loadVisibleEvidenceMany, type CaseRow, type EvidenceWithFile } from '../domain/access';
import { EVIDENCE_VISIBILITIES, evidenceDownloadUrl } from '../domain/evidence/rules';
import { withdrawEvidence } from '../domain/evidence/withdraw-evidence';
import { builder } from './builder';
import { CaseRef } from './case';
import type { GraphQLContext } from './context';
import { localId } from './ids';

export const EvidenceVisibilityEnum = builder.enumType('EvidenceVisibility', {
  values: {
    SHARED: { description: 'Seen by every party and the mediator side.' },
    MEDIATOR_ONLY: { description: 'Kept to the mediator side and the uploader (背对背 material).' },
  } satisfies Record<(typeof EVIDENCE_VISIBILITIES)[number], unknown>,
});

/** Evidence loads through the case's visibility and its own: what the viewer may not see does not exist for them. */
export const EvidenceRef = builder.loadableNodeRef('Evidence', {
  id: { resolve: (e: EvidenceWithFile) => e.evidence.id },
  load: async (ids: string[], ctx: GraphQLContext) => (await loadVisibleEvidenceMany(ctx.deps.db, ctx.viewer, ids, ctx.deps.clock.now())) as EvidenceWithFile[],
});

EvidenceRef.implement({
  description: '证据材料: a file a party or the mediator put on the case; fetch the bytes at downloadUrl with the same Authorization header.',
  fields: (t) => ({
    title: t.string({ resolve: (e) => e.evidence.title }),
    description: t.string({ nullable: true, resolve: (e) => e.evidence.description }),
    fileName: t.string({ resolve: (e) => e.file.fileName }),
    contentType: t.string({ description: 'Decided from the bytes, not from what the uploader declared.', resolve: (e) => e.file.contentType }),
    size: t.int({ description: 'Bytes.', resolve: (e) => e.file.size }),
    sha256: t.string({ description: 'SHA-256 of the bytes (hex), recorded at upload.', resolve: (e) => e.file.sha256 }),
    visibility: t.field({ type: EvidenceVisibilityEnum, resolve: (e) => e.evidence.visibility }),
    uploadedAt: t.field({ type: 'DateTime', resolve: (e) => e.evidence.createdAt }),
    uploaderName: t.string({ resolve: (e) => e.uploaderName }),
    uploaderRole: t.string({ description: 'APPLICANT, RESPONDENT or MEDIATOR.', resolve: (e) => e.evidence.role }),
    uploadedByMe: t.boolean({ resolve: (e, _a, ctx) => ctx.viewer?.kind === 'user' && ctx.viewer.userId === e.evidence.uploadedBy }),
    withdrawnAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => e.evidence.withdrawnAt }),
    withdrawnReason: t.string({ nullable: true, resolve: (e) => e.evidence.withdrawnReason }),
    downloadUrl: t.string({ resolve: (e, _a, ctx) => evidenceDownloadUrl(ctx.deps.config.publicUrl, e.evidence.id) }),
    case: t.field({ type: CaseRef, resolve: (e) => e.evidence.caseId }),
  }),
});

/** The evidence of a page of cases, each read as the viewer may, in one query. */
const evidenceOfCases = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<CaseRow, EvidenceWithFile[], string>(
      async (cs) => {
        const byCase = await listVisibleEvidenceOfCases(ctx.deps.db, ctx.viewer, [...cs], ctx.deps.clock.now());
        return cs.map((c) => byCase.get(c.id) ?? []);
      },
      { cacheKeyFn: (c) => c.id },
    ),
);

builder.objectFields(CaseRef, (t) => ({
  evidence: t.field({
    type: [EvidenceRef],
    description:
      'Evidence the viewer may see, oldest first (withdrawn items only for their uploader and the mediator side). Upload with POST /cases/{caseId}/evidence (multipart: file, title, description, visibility).',
    resolve: (c, _a, ctx) => evidenceOfCases(ctx).load(c),
  }),
}));

const WithdrawEvidenceInput = builder.inputType('WithdrawEvidenceInput', {
  fields: (t) => ({ evidenceId: t.id({ required: true }), reason: t.string() }),
});
const WithdrawEvidenceSuccess = builder.objectRef<{ evidence: EvidenceWithFile }>('WithdrawEvidenceSuccess').implement({
  fields: (t) => ({ evidence: t.field({ type: EvidenceRef, resolve: (p) => p.evidence }) }),
});

builder.mutationFields((t) => ({
  withdrawEvidence: t.field({
    type: WithdrawEvidenceSuccess,
    description: 'The uploader withdraws an item; it stays in the case file, marked withdrawn.',
    errors: { union: { name: 'WithdrawEvidenceResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: WithdrawEvidenceInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      evidence: await withdrawEvidence(ctx.deps, ctx.actor, {
        evidenceId: localId(String(input.evidenceId), 'Evidence', 'evidenceId'),
        reason: input.reason,
      }),
    }),
  }),
}));
