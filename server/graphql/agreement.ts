import { and, asc, inArray } from 'drizzle-orm';
import { preparedPerShape } from '../db-prepared';
import { shapeOf, type ViewerShape } from '../domain/access/viewer-shape';
import { agreementSignatures, agreements } from '../../schema';
import { visibleAgreements, type SignatureRow } from '../domain/agreements/agreement-access';
import { contentOf, verificationUrl, type AgreementRow, type StoredTerm } from '../domain/agreements/agreement-content';
import { draftAgreement } from '../domain/agreements/draft-agreement';
import { previewAgreement } from '../domain/agreements/preview-agreement';
import { signAgreement } from '../domain/agreements/sign-agreement';
import { verifyAgreement, type AgreementVerification } from '../domain/agreements/verify-agreement';
import { CASE_RECORDS, groupedLoader } from './batch';
import { builder } from './builder';
import { CaseRef } from './case';
import type { GraphQLContext } from './context';
import { localId } from './ids';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const AgreementStatusEnum = builder.enumType('AgreementStatus', {
  values: {
    DRAFT: { description: 'Being written; not yet shown for signatures.' },
    SIGNING: { description: 'Ready for signatures; the draft PDF is what signers are shown.' },
    EFFECTIVE: { description: 'Every party, the mediator and the seal are on it (PML 29): never changed again.' },
    SUPERSEDED: { description: 'Replaced by a later version (a redraft or a correction); kept unchanged on file.' },
  } as const,
});
const SignerRoleEnum = builder.enumType('AgreementSignerRole', { values: ['PARTY', 'MEDIATOR'] as const });

/** Agreements load through the case's visibility rule: a stranger's id does not exist for them. */
export const AgreementRef = builder.loadableNodeRef('Agreement', {
  id: { resolve: (a: AgreementRow) => a.id },
  load: async (ids: string[], ctx: GraphQLContext) => {
    const rows = await visibleAgreements(ctx.deps.db, ctx.viewer, ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null) as AgreementRow[];
  },
});

/** Every version of the agreements of a page of cases, oldest first, in one query. */
const agreementsOfCases = preparedPerShape((db, s: ViewerShape, ids) =>
  db
    .select()
    .from(agreements)
    .where(and(ids(agreements.caseId), CASE_RECORDS.agreements.rule(s)))
    .orderBy(asc(agreements.version))
    .prepare('agreements_by_case'),
);
const agreementsByCase = groupedLoader(
  (ctx, caseIds) => agreementsOfCases.byIds(ctx.deps.db, shapeOf(ctx.viewer), caseIds),
  (a) => a.caseId,
  'agreements',
);
/** The signatures of a page of agreements in one query. */
const signaturesByAgreement = groupedLoader(
  (ctx, ids) =>
    ctx.deps.db.select().from(agreementSignatures).where(inArray(agreementSignatures.agreementId, ids)).orderBy(asc(agreementSignatures.signedAt), asc(agreementSignatures.id)),
  (s) => s.agreementId,
);

const AgreementSignatureRef = builder.objectRef<SignatureRow>('AgreementSignature').implement({
  description: 'Signature evidence: who signed, in what role, when, over which exact bytes.',
  fields: (t) => ({
    role: t.field({ type: SignerRoleEnum, resolve: (s) => s.role as 'PARTY' | 'MEDIATOR' }),
    name: t.exposeString('name'),
    partyId: t.exposeID('partyId', { nullable: true, description: 'The CaseParty id; null for the mediator.' }),
    agentName: t.exposeString('agentName', { nullable: true, description: 'The agent with special authority who signed for the party (INT 351); null when the party signed.' }),
    signedAt: t.field({ type: 'DateTime', resolve: (s) => s.signedAt }),
    shownSha256: t.exposeString('shownSha256', { description: 'SHA-256 of the PDF bytes the signer was shown.' }),
  }),
});

const AgreementTermRef = builder.objectRef<StoredTerm>('AgreementTerm').implement({
  fields: (t) => ({
    text: t.exposeString('text'),
    obligorPartyId: t.exposeID('obligorPartyId', { nullable: true }),
    obligorName: t.exposeString('obligorName', { nullable: true }),
    amount: t.field({ type: 'Money', nullable: true, resolve: (x) => x.amount }),
    dueDate: t.field({ type: 'Date', nullable: true, resolve: (x) => x.dueDate }),
  }),
});

AgreementRef.implement({
  description: '调解协议书: one version of a case’s mediation agreement.',
  fields: (t) => ({
    number: t.exposeString('number'),
    version: t.exposeInt('version'),
    status: t.field({ type: AgreementStatusEnum, resolve: (a) => a.status as 'DRAFT' | 'SIGNING' | 'EFFECTIVE' | 'SUPERSEDED' }),
    case: t.field({ type: CaseRef, resolve: (a) => a.caseId }),
    pdfUrl: t.string({
      description: 'The signed PDF once effective, otherwise the draft; fetched with the same Authorization header.',
      resolve: (a, _args, ctx) => `${ctx.deps.config.publicUrl}/files/agreements/${a.id}.pdf`,
    }),
    sha256: t.exposeString('finalSha256', { nullable: true, description: 'SHA-256 of the signed PDF; null until effective.' }),
    draftSha256: t.exposeString('draftSha256', { nullable: true, description: 'SHA-256 of the draft PDF the signers are shown.' }),
    verificationCode: t.exposeString('verificationCode'),
    verificationUrl: t.string({ resolve: (a, _args, ctx) => verificationUrl(ctx.deps.config.publicUrl, a.verificationCode) }),
    templateId: t.exposeString('templateId'),
    templateVersion: t.exposeInt('templateVersion'),
    signatures: t.field({ type: [AgreementSignatureRef], resolve: (a, _args, ctx) => signaturesByAgreement(ctx).load(a.id) }),
    effectiveAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.effectiveAt }),
    confirmationDeadline: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'PML 33, CPL 205: end of the 30th day after effect (moved past a rest day, CPL 85).',
      resolve: (a) => a.confirmationDeadline,
    }),
    facts: t.string({ resolve: (a) => contentOf(a).facts }),
    issues: t.string({ resolve: (a) => contentOf(a).issues }),
    responsibilities: t.string({ nullable: true, resolve: (a) => contentOf(a).responsibilities }),
    terms: t.field({ type: [AgreementTermRef], resolve: (a) => contentOf(a).terms }),
    performanceMethod: t.string({ resolve: (a) => contentOf(a).performance.method }),
    performancePlace: t.string({ nullable: true, resolve: (a) => contentOf(a).performance.place }),
    performanceDeadline: t.field({ type: 'Date', resolve: (a) => contentOf(a).performance.deadline }),
    breachClause: t.string({ resolve: (a) => contentOf(a).breach }),
    recorder: t.string({ resolve: (a) => contentOf(a).recorder }),
    mediators: t.stringList({ resolve: (a) => contentOf(a).mediators }),
    originals: t.int({ resolve: (a) => contentOf(a).originals }),
    organizationName: t.string({ resolve: (a) => contentOf(a).organizationName }),
    createdAt: t.field({ type: 'DateTime', resolve: (a) => a.createdAt }),
  }),
});

builder.objectFields(CaseRef, (t) => ({
  agreement: t.field({
    type: AgreementRef,
    nullable: true,
    description: 'The version that counts now (newest not superseded).',
    // The newest version not superseded (a correction in signing counts over the effective one).
    resolve: async (c, _a, ctx) => (await agreementsByCase(ctx).load(c.id)).findLast((a) => a.status !== 'SUPERSEDED') ?? null,
  }),
  agreements: t.field({
    type: [AgreementRef],
    description: 'Every version, oldest first.',
    resolve: (c, _a, ctx) => agreementsByCase(ctx).load(c.id),
  }),
}));

const AgreementVerificationRef = builder.objectRef<AgreementVerification>('AgreementVerification').implement({
  description: 'Public answer for a verification code: nothing about the people involved.',
  fields: (t) => ({
    status: t.field({ type: AgreementStatusEnum, resolve: (v) => v.status as 'DRAFT' | 'SIGNING' | 'EFFECTIVE' | 'SUPERSEDED' }),
    sha256: t.exposeString('sha256', { nullable: true, description: 'SHA-256 of the signed PDF; null until effective.' }),
    effectiveAt: t.field({ type: 'DateTime', nullable: true, resolve: (v) => v.effectiveAt }),
    confirmationDeadline: t.field({ type: 'DateTime', nullable: true, resolve: (v) => v.confirmationDeadline }),
    organizationName: t.exposeString('organizationName'),
    number: t.exposeString('number'),
    version: t.exposeInt('version'),
  }),
});

builder.queryFields((t) => ({
  verifyAgreement: t.field({
    type: AgreementVerificationRef,
    nullable: true,
    description: 'Public, no login: status and fingerprint of the agreement carrying this code; null for an unknown code.',
    args: { code: t.arg.string({ required: true }) },
    resolve: (_p, { code }, ctx) => verifyAgreement(ctx.deps, code),
  }),
}));

const AgreementTermInput = builder.inputType('AgreementTermInput', {
  fields: (t) => ({
    text: t.string({ required: true }),
    obligorPartyId: t.id({ description: 'The CaseParty who must perform this term.' }),
    amount: t.field({ type: 'Money' }),
    dueDate: t.field({ type: 'Date' }),
  }),
});

const DraftAgreementInput = builder.inputType('DraftAgreementInput', {
  fields: (t) => ({
    caseId: t.id({ required: true }),
    facts: t.string({ required: true, description: 'Main facts of the dispute.' }),
    issues: t.string({ required: true, description: 'Issues in dispute.' }),
    terms: t.field({ type: [AgreementTermInput], required: true, description: 'The agreed terms, in order; printed numbered.' }),
    performanceMethod: t.string({ required: true }),
    performanceDeadline: t.field({ type: 'Date', required: true }),
    performancePlace: t.string(),
    responsibilities: t.string({ description: 'Each party’s responsibility.' }),
    breachClause: t.string({ description: 'What happens on breach; a standard clause (supervision, suit, enforcement after confirmation) when omitted.' }),
    recorder: t.string({ description: '记录人; the mediator when omitted.' }),
  }),
});

const SignAgreementInput = builder.inputType('SignAgreementInput', {
  fields: (t) => ({
    agreementId: t.id({ required: true }),
    password: t.string({ required: true, description: 'The signer’s password, re-entered as the act of signing.' }),
  }),
});

const agreementSuccess = (name: string) =>
  builder.objectRef<{ agreement: AgreementRow }>(name).implement({
    fields: (t) => ({ agreement: t.field({ type: AgreementRef, resolve: (p) => p.agreement }) }),
  });

/** CaseParty ids are exposed raw; a global id of type CaseParty is accepted too. */
function partyId(id: string | number | null | undefined, field: string): string | null {
  if (id === null || id === undefined || id === '') return null;
  const s = String(id);
  return UUID_RE.test(s) ? s : localId(s, 'CaseParty', field);
}

const AgreementPreviewRef = builder.objectRef<{ pdf: Uint8Array }>('AgreementPreviewSuccess').implement({
  description: 'The PDF a draft would produce, marked 草稿; nothing is stored.',
  fields: (t) => ({
    pdfBase64: t.string({ description: 'The PDF, base64-encoded.', resolve: (p) => Buffer.from(p.pdf).toString('base64') }),
    byteLength: t.int({ resolve: (p) => p.pdf.byteLength }),
  }),
});

const draftInputOf = (input: typeof DraftAgreementInput.$inferInput) => ({
  ...input,
  caseId: localId(String(input.caseId), 'Case', 'caseId'),
  terms: input.terms.map((term, i) => ({ ...term, obligorPartyId: partyId(term.obligorPartyId, `terms.${i}.obligorPartyId`) })),
});

builder.queryFields((t) => ({
  agreementPreview: t.field({
    type: AgreementPreviewRef,
    errors: { union: { name: 'AgreementPreviewResult' } },
    description: 'The case’s mediator reads the PDF of a draft before drafting it: the same input and checks as draftAgreement, nothing written.',
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: DraftAgreementInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ pdf: await previewAgreement(ctx.deps, ctx.actor, draftInputOf(input)) }),
  }),
}));

builder.mutationFields((t) => ({
  draftAgreement: t.field({
    type: agreementSuccess('DraftAgreementSuccess'),
    errors: { union: { name: 'DraftAgreementResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: DraftAgreementInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      agreement: await draftAgreement(ctx.deps, ctx.actor, draftInputOf(input)),
    }),
  }),
  signAgreement: t.field({
    type: agreementSuccess('SignAgreementSuccess'),
    errors: { union: { name: 'SignAgreementResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: SignAgreementInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      agreement: await signAgreement(ctx.deps, ctx.actor, {
        agreementId: localId(String(input.agreementId), 'Agreement', 'agreementId'),
        password: input.password,
      }),
    }),
  }),
}));
