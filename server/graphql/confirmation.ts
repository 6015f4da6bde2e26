import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { preparedPerShape } from '../db-prepared';
import { shapeOf, type ViewerShape } from '../domain/access/viewer-shape';
import { agreements, caseParties, cases, confirmationApplications, confirmationSupplements, enforcementApplications } from '../../schema';
import type { ConfirmationApplicant, ConfirmationMaterials } from '../../schema/confirmation';
import { visibleCases, type CaseRow } from '../domain/cases/case-access';
import {
  acceptanceLate,
  applicationOverdue,
  beyondStatutoryCap,
  caseStanding,
  courtReadsMaterials,
  partyFieldAccess,
  readField,
  supplementOverdue,
  visibleApplications,
} from '../domain/access';
import { maskPhone } from '../domain/validation';
import { acceptConfirmationApplication } from '../domain/confirmation/accept-confirmation-application';
import {
  CONFIRMATION_STATUSES,
  NOT_ACCEPTED_GROUNDS,
  REJECTION_GROUNDS,
  type ApplicationRow,
} from '../domain/confirmation/application-access';
import { applyForEnforcement, type EnforcementRow } from '../domain/confirmation/apply-for-enforcement';
import { applyForJudicialConfirmation } from '../domain/confirmation/apply-for-judicial-confirmation';
import { declineConfirmationApplication } from '../domain/confirmation/decline-confirmation-application';
import { assessJurisdiction, type EligibleCourt, type IneligibleCourt } from '../domain/confirmation/eligible-courts';
import { localDate } from '../domain/clock/calendar';
import { extendConfirmationReview } from '../domain/confirmation/extend-confirmation-review';
import { requestSupplement } from '../domain/confirmation/request-supplement';
import { ruleOnConfirmation } from '../domain/confirmation/rule-on-confirmation';
import { submitSupplement } from '../domain/confirmation/submit-supplement';
import { treatAsWithdrawn } from '../domain/confirmation/treat-as-withdrawn';
import { withdrawConfirmationApplication } from '../domain/confirmation/withdraw-confirmation-application';
import { AgreementRef } from './agreement';
import { CASE_RECORDS, groupedLoader, partiesByCase } from './batch';
import { builder } from './builder';
import { newestFirstConnection, olderThanCursor, pageSize } from './keyset';
import { caseHead, CaseRef } from './case';
import type { GraphQLContext } from './context';
import { localId } from './ids';
import { OrganizationRef } from './organization';

type SupplementRow = typeof confirmationSupplements.$inferSelect;

export const ConfirmationStatusEnum = builder.enumType('ConfirmationStatus', { values: CONFIRMATION_STATUSES });
export const NotAcceptedGroundEnum = builder.enumType('NotAcceptedGround', {
  description: 'INT 355: why a court does not accept an application (不予受理).',
  values: NOT_ACCEPTED_GROUNDS,
});
export const RejectionGroundEnum = builder.enumType('RejectionGround', {
  description: 'INT 358 (and OMR 23 for sham mediation): why a court rejects an application (驳回).',
  values: REJECTION_GROUNDS,
});
const ConfirmationOutcomeEnum = builder.enumType('ConfirmationOutcome', { values: ['CONFIRMED', 'REJECTED'] as const });

export const ConfirmationApplicationRef = builder.loadableNodeRef('ConfirmationApplication', {
  id: { resolve: (a: ApplicationRow) => a.id },
  load: async (ids: string[], ctx: GraphQLContext) => {
    const rows = await ctx.deps.db
      .select()
      .from(confirmationApplications)
      .where(and(inArray(confirmationApplications.id, ids), visibleApplications(ctx.viewer)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null) as ApplicationRow[];
  },
});

const ApplicantRef = builder.objectRef<ConfirmationApplicant>('ConfirmationApplicant').implement({
  fields: (t) => ({
    partyId: t.exposeID('partyId', { description: 'The CaseParty id.' }),
    name: t.exposeString('name'),
    role: t.exposeString('role'),
    appliedAt: t.field({ type: 'DateTime', resolve: (a) => new Date(a.appliedAt) }),
  }),
});

const SupplementRef = builder.objectRef<SupplementRow>('ConfirmationSupplement').implement({
  description: 'A court’s request for further materials (INT 354, 356) and the parties’ answer.',
  fields: (t) => ({
    id: t.exposeID('id'),
    items: t.exposeStringList('items'),
    dueAt: t.field({ type: 'DateTime', resolve: (s) => s.dueAt }),
    requestedAt: t.field({ type: 'DateTime', resolve: (s) => s.requestedAt }),
    answer: t.exposeString('answer', { nullable: true }),
    answeredAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.answeredAt }),
    answeredLate: t.boolean({ resolve: (s) => s.answeredLate === true }),
    overdue: t.boolean({ description: 'Unanswered past the deadline (INT 357).', resolve: (s, _a, ctx) => supplementOverdue(s, ctx.deps.clock.now()) }),
  }),
});

type Materials = ConfirmationMaterials;
const MaterialsAgreementRef = builder.objectRef<Materials['agreement']>('ConfirmationMaterialsAgreement').implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Database id of the agreement version.' }),
    number: t.exposeString('number'),
    version: t.exposeInt('version'),
    fileId: t.exposeID('fileId', { nullable: true }),
    sha256: t.exposeString('sha256', { nullable: true, description: 'SHA-256 of the signed PDF.' }),
    verificationCode: t.exposeString('verificationCode'),
    effectiveAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => (a.effectiveAt ? new Date(a.effectiveAt) : null) }),
  }),
});
const MaterialsAgentRef = builder.objectRef<Materials['parties'][number]['agents'][number]>('ConfirmationMaterialsAgent').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    authority: t.exposeString('authority'),
    specialAuthority: t.boolean({ resolve: (a) => a.special === true }),
    phone: t.string({ nullable: true, resolve: (a) => a.phone ?? null }),
  }),
});
const MaterialsPartyRef = builder.objectRef<Materials['parties'][number]>('ConfirmationMaterialsParty').implement({
  fields: (t) => ({
    partyId: t.exposeID('partyId'),
    role: t.exposeString('role'),
    kind: t.exposeString('kind'),
    name: t.exposeString('name'),
    idNumberMasked: t.exposeString('idNumberMasked', { nullable: true }),
    idNumber: t.string({
      nullable: true,
      description: 'The full resident ID number (INT 354), for the court the application was made to; masked for anyone else.',
      // Until the access policy module answers for materials, only a court client reads the full number.
      resolve: (p, _a, ctx) => (ctx.viewer?.kind === 'apiClient' ? (p.idNumber ?? null) : p.idNumberMasked),
    }),
    creditCode: t.exposeString('creditCode', { nullable: true }),
    domicile: t.exposeString('domicile', { nullable: true }),
    phone: t.exposeString('phone'),
    agents: t.stringList({ resolve: (p) => p.agents.map((a) => `${a.name}（${a.special ? '特别授权：' : ''}${a.authority}）`) }),
    agentDetails: t.field({
      type: [MaterialsAgentRef],
      description: 'Agents with their authority; specialAuthority: may sign and apply on the party’s behalf (INT 351).',
      resolve: (p) => p.agents,
    }),
    appliedByAgent: t.exposeString('appliedByAgent', { nullable: true, description: 'The agent with special authority who applied for this party, if any.' }),
  }),
});
const MaterialsOrgRef = builder.objectRef<NonNullable<Materials['organization']>>('ConfirmationMaterialsOrganization').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    kind: t.exposeString('kind'),
    creditCode: t.exposeString('creditCode', { nullable: true }),
    regionCode: t.exposeString('regionCode'),
    address: t.exposeString('address', { nullable: true }),
  }),
});
const MaterialsMinutesRef = builder.objectRef<Materials['minutes'][number]>('ConfirmationMaterialsMinutes').implement({
  fields: (t) => ({
    sessionId: t.exposeID('sessionId'),
    sha256: t.exposeString('sha256', { nullable: true }),
    lockedAt: t.field({ type: 'DateTime', nullable: true, resolve: (m) => (m.lockedAt ? new Date(m.lockedAt) : null) }),
  }),
});
const MaterialsEvidenceRef = builder.objectRef<Materials['evidence'][number]>('ConfirmationMaterialsEvidence').implement({
  fields: (t) => ({
    evidenceId: t.exposeID('evidenceId'),
    title: t.exposeString('title'),
    fileId: t.exposeID('fileId'),
    sha256: t.exposeString('sha256', { nullable: true }),
  }),
});
const MaterialsRef = builder.objectRef<Materials & { caseId: string }>('ConfirmationMaterials').implement({
  description: 'INT 354: what the application carries, as frozen when the parties applied.',
  fields: (t) => ({
    agreement: t.field({ type: MaterialsAgreementRef, resolve: (m) => m.agreement }),
    parties: t.field({
      type: [MaterialsPartyRef],
      // Read through the same party rule as Case.parties: the same field reads the same way wherever reached.
      // The case heads and party rows of a whole page are read in one statement each.
      resolve: async (m, _x, ctx) => {
        const c = await caseHead(ctx, m.caseId);
        const standing = await caseStanding(ctx.deps.db, ctx.viewer, c ?? { id: m.caseId, mediatorId: null }, ctx.deps.clock.now());
        const rows = await partiesByCase(ctx).load(m.caseId);
        return m.parties.map((p) => {
          const row = rows.find((r) => r.id === p.partyId);
          const access = partyFieldAccess(standing, { userId: row?.userId ?? null, phone: row?.phone ?? p.phone });
          return { ...p, phone: readField(access.phone, p.phone, maskPhone(p.phone)) ?? maskPhone(p.phone), domicile: readField(access.address, p.domicile, null) };
        });
      },
    }),
    organization: t.field({ type: MaterialsOrgRef, nullable: true, resolve: (m) => m.organization }),
    mediatorName: t.exposeString('mediatorName', { nullable: true }),
    minutes: t.field({ type: [MaterialsMinutesRef], resolve: (m) => m.minutes }),
    evidence: t.field({ type: [MaterialsEvidenceRef], resolve: (m) => m.evidence }),
  }),
});

const ExtensionRef = builder.objectRef<ApplicationRow>('ConfirmationExtension').implement({
  description: 'JC2011 5: the 10-day extension and the president who approved it.',
  fields: (t) => ({
    approvedBy: t.string({ resolve: (a) => a.extensionApprovedBy ?? '' }),
    reason: t.string({ resolve: (a) => a.extensionReason ?? '' }),
    extendedAt: t.field({ type: 'DateTime', resolve: (a) => a.extendedAt! }),
  }),
});


/** Supplements of every application on a page, in one statement (the application's access was checked when it was read). */
const supplementsByApplication = groupedLoader(
  (ctx, ids) =>
    ctx.deps.db
      .select()
      .from(confirmationSupplements)
      .where(inArray(confirmationSupplements.applicationId, ids))
      .orderBy(asc(confirmationSupplements.requestedAt), asc(confirmationSupplements.id)),
  (s) => s.applicationId,
);
/** Applicants' names for a page of enforcement applications, in one statement. */
const partyNames = groupedLoader(
  (ctx, ids) => ctx.deps.db.select({ id: caseParties.id, name: caseParties.name }).from(caseParties).where(inArray(caseParties.id, ids)),
  (p) => p.id,
);

ConfirmationApplicationRef.implement({
  description: '司法确认申请 (CPL 205): joint, to one court, with the materials of INT 354.',
  fields: (t) => ({
    status: t.field({ type: ConfirmationStatusEnum, resolve: (a) => a.status as (typeof CONFIRMATION_STATUSES)[number] }),
    court: t.field({ type: OrganizationRef, resolve: (a) => a.courtId }),
    agreement: t.field({ type: AgreementRef, resolve: (a) => a.agreementId }),
    case: t.field({ type: CaseRef, resolve: (a) => a.caseId }),
    applicants: t.field({ type: [ApplicantRef], resolve: (a) => a.applicants }),
    materials: t.field({
      type: MaterialsRef,
      nullable: true,
      description: 'For a court: only the court it was made to, while the application is with it (access policy).',
      resolve: (a, _x, ctx) => (courtReadsMaterials(ctx.viewer, a) ? { ...a.materials, caseId: a.caseId } : null),
    }),
    supplements: t.field({
      type: [SupplementRef],
      resolve: (a, _x, ctx) => supplementsByApplication(ctx).load(a.id),
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (a) => a.createdAt }),
    submittedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.submittedAt }),
    acceptanceDueAt: t.field({ type: 'DateTime', nullable: true, description: 'JC2011 4: acceptance decided within 3 days of submission.', resolve: (a) => a.acceptanceDueAt }),
    acceptanceLate: t.boolean({
      description: 'Accepted (or still undecided) after the 3 days of JC2011 4.',
      resolve: (a, _x, ctx) => acceptanceLate(a, ctx.deps.clock.now()),
    }),
    acceptedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.acceptedAt }),
    decisionDueAt: t.field({ type: 'DateTime', nullable: true, description: 'JC2011 5: 15 days after acceptance, +10 with the president’s approval.', resolve: (a) => a.decisionDueAt }),
    statutoryCapAt: t.field({ type: 'DateTime', nullable: true, description: 'CPL 187: 30 days after acceptance.', resolve: (a) => a.statutoryCapAt }),
    beyondStatutoryCap: t.boolean({
      description: 'The decision is due, or was made, after the 30-day cap of CPL 187.',
      resolve: (a, _x, ctx) => beyondStatutoryCap(a, ctx.deps.clock.now()),
    }),
    overdue: t.boolean({
      description: 'No ruling yet and the decision is past due.',
      resolve: (a, _x, ctx) => applicationOverdue(a, ctx.deps.clock.now()),
    }),
    extension: t.field({ type: ExtensionRef, nullable: true, resolve: (a) => (a.extendedAt ? a : null) }),
    rulingNumber: t.exposeString('rulingNumber', { nullable: true }),
    rulingDate: t.field({ type: 'Date', nullable: true, resolve: (a) => a.rulingDate }),
    rejectionGround: t.field({ type: RejectionGroundEnum, nullable: true, resolve: (a) => a.rejectionGround as (typeof REJECTION_GROUNDS)[number] | null }),
    notAcceptedGround: t.field({ type: NotAcceptedGroundEnum, nullable: true, resolve: (a) => a.notAcceptedGround as (typeof NOT_ACCEPTED_GROUNDS)[number] | null }),
    decisionNote: t.exposeString('decisionNote', { nullable: true }),
    decidedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.decidedAt }),
    servedAt: t.field({ type: 'DateTime', nullable: true, description: 'When the ruling was served on the parties.', resolve: (a) => a.servedAt }),
    objectionDueAt: t.field({ type: 'DateTime', nullable: true, description: 'INT 372: a party may object within 15 days of service.', resolve: (a) => a.objectionDueAt }),
    thirdPartyObjectionDueAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'INT 372: an interested person within 6 months of knowing of the ruling; counted here from service, the earliest knowledge.',
      resolve: (a) => a.thirdPartyObjectionDueAt,
    }),
    withdrawnAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.withdrawnAt }),
    withdrawalReason: t.exposeString('withdrawalReason', { nullable: true }),
  }),
});

const EligibleCourtRef = builder.objectRef<EligibleCourt>('EligibleCourt').implement({
  description: 'A court that may confirm the agreement (CPL 205, INT 352, SIM 19) and why.',
  fields: (t) => ({
    court: t.field({ type: OrganizationRef, resolve: (e) => e.court }),
    reasons: t.stringList({ resolve: (e) => e.reasons }),
  }),
});

const IneligibleCourtRef = builder.objectRef<IneligibleCourt>('IneligibleCourt').implement({
  description: 'A court that may not confirm the agreement, and why.',
  fields: (t) => ({
    court: t.field({ type: OrganizationRef, resolve: (e) => e.court }),
    reasons: t.stringList({ resolve: (e) => e.reasons }),
  }),
});

export const EnforcementApplicationRef = builder.loadableNodeRef('EnforcementApplication', {
  id: { resolve: (e: EnforcementRow) => e.id },
  load: async (ids: string[], ctx: GraphQLContext) => {
    const v = ctx.viewer;
    const where =
      v?.kind === 'apiClient'
        ? eq(enforcementApplications.courtId, v.organizationId)
        : sql`exists (select 1 from ${cases} where ${cases.id} = ${enforcementApplications.caseId} and ${visibleCases(v)})`;
    const rows = await ctx.deps.db.select().from(enforcementApplications).where(and(inArray(enforcementApplications.id, ids), where));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null) as EnforcementRow[];
  },
});
EnforcementApplicationRef.implement({
  description: '申请强制执行 of a confirmed agreement at the confirming court (CPL 206, 250).',
  fields: (t) => ({
    case: t.field({ type: CaseRef, resolve: (e) => e.caseId }),
    court: t.field({ type: OrganizationRef, resolve: (e) => e.courtId }),
    confirmation: t.field({ type: ConfirmationApplicationRef, resolve: (e) => e.confirmationId }),
    applicantName: t.string({
      resolve: async (e, _a, ctx) => (await partyNames(ctx).load(e.partyId))[0]?.name ?? '',
    }),
    note: t.exposeString('note', { nullable: true }),
    lastPerformanceDate: t.field({ type: 'Date', resolve: (e) => e.lastPerformanceDate }),
    limitationEndsAt: t.field({ type: 'DateTime', description: 'CPL 250: 2 years from the last performance date, the last day rolled past rest days.', resolve: (e) => e.limitationEndsAt }),
    late: t.exposeBoolean('late', { description: 'Filed after limitationEndsAt: accepted and flagged; the time bar is the respondent’s defence (INT 481).' }),
    createdAt: t.field({ type: 'DateTime', resolve: (e) => e.createdAt }),
  }),
});

builder.objectFields(AgreementRef, (t) => ({
  eligibleCourts: t.field({
    type: [EligibleCourtRef],
    description: 'Courts the parties may apply to for judicial confirmation, with the reason for each.',
    resolve: async (a, _x, ctx) => (await jurisdictionOf(ctx, a.caseId))?.eligible ?? [],
  }),
  ineligibleCourts: t.field({
    type: [IneligibleCourtRef],
    description: 'Every other court on the platform, with the reason it may not confirm this agreement.',
    resolve: async (a, _x, ctx) => (await jurisdictionOf(ctx, a.caseId))?.notEligible ?? [],
  }),
  jurisdictionRule: t.string({
    nullable: true,
    description: 'The source of the intermediate-court thresholds applied (null for a court-delegated case).',
    resolve: async (a, _x, ctx) => (await jurisdictionOf(ctx, a.caseId))?.threshold?.source ?? null,
  }),
}));

/** The jurisdiction assessment of a case, once per request and case. */
function jurisdictionOf(ctx: GraphQLContext, caseId: string) {
  const memo = ((ctx as unknown as { jurisdictionMemo?: Map<string, ReturnType<typeof assessJurisdiction> | Promise<null>> }).jurisdictionMemo ??= new Map());
  let hit = memo.get(caseId);
  if (!hit) {
    hit = (async () => {
      const [c] = await ctx.deps.db.select().from(cases).where(eq(cases.id, caseId));
      if (!c) return null;
      const parties = await ctx.deps.db.select().from(caseParties).where(eq(caseParties.caseId, c.id)).orderBy(asc(caseParties.position));
      return assessJurisdiction(ctx.deps.db, c, parties, localDate(ctx.deps.clock.now()));
    })();
    memo.set(caseId, hit);
  }
  return hit;
}

/** The applications of a page of cases the viewer may see, newest first, in one query. */
const applicationsOfCases = preparedPerShape((db, s: ViewerShape, ids) =>
  db
    .select()
    .from(confirmationApplications)
    .where(and(ids(confirmationApplications.caseId), CASE_RECORDS.confirmations.rule(s)))
    .orderBy(desc(confirmationApplications.createdAt), desc(confirmationApplications.id))
    .prepare('applications_by_case'),
);
const applicationsByCase = groupedLoader(
  (ctx, caseIds) => applicationsOfCases.byIds(ctx.deps.db, shapeOf(ctx.viewer), caseIds),
  (a) => a.caseId,
  'confirmations',
);
/** The enforcement applications of a page of cases, oldest first, in one query (a court sees its own). */
const enforcementByCase = groupedLoader(
  (ctx, caseIds) => {
    const v = ctx.viewer;
    return ctx.deps.db
      .select()
      .from(enforcementApplications)
      .where(and(inArray(enforcementApplications.caseId, caseIds), v?.kind === 'apiClient' ? eq(enforcementApplications.courtId, v.organizationId) : undefined))
      .orderBy(asc(enforcementApplications.createdAt));
  },
  (e) => e.caseId,
);

builder.objectFields(CaseRef, (t) => ({
  confirmation: t.field({
    type: ConfirmationApplicationRef,
    nullable: true,
    description: 'The latest application for judicial confirmation.',
    resolve: async (c: CaseRow, _x, ctx) => (await applicationsByCase(ctx).load(c.id))[0] ?? null,
  }),
  enforcementApplications: t.field({
    type: [EnforcementApplicationRef],
    resolve: (c: CaseRow, _x, ctx) => enforcementByCase(ctx).load(c.id),
  }),
}));


const ApplicationConnection = builder.connectionObject({ type: ConfirmationApplicationRef, name: 'ConfirmationApplicationConnection' });

builder.queryFields((t) => ({
  confirmationApplications: t.field({
    type: ApplicationConnection,
    description: 'A court client: its own court’s applications; anyone else: those of the cases they may see. Newest first.',
    args: { status: t.arg({ type: [ConfirmationStatusEnum] }), first: t.arg.int({ defaultValue: 20 }), after: t.arg.string() },
    resolve: async (_p, args, ctx) => {
      const first = pageSize(args.first);
      const where: (SQL | undefined)[] = [visibleApplications(ctx.viewer)];
      if (args.status?.length) where.push(inArray(confirmationApplications.status, args.status));
      where.push(olderThanCursor(confirmationApplications, args.after));
      const rows = await ctx.deps.db
        .select()
        .from(confirmationApplications)
        .where(and(...where))
        .orderBy(desc(confirmationApplications.createdAt), desc(confirmationApplications.id))
        .limit(first + 1);
      return newestFirstConnection(rows, first, args.after);
    },
  }),
  eligibleCourts: t.field({
    type: [EligibleCourtRef],
    description: 'Same as Agreement.eligibleCourts, by agreement id; empty when the agreement is not visible.',
    authScopes: { loggedIn: true },
    args: { agreementId: t.arg.id({ required: true }) },
    resolve: async (_p, args, ctx) => {
      const id = localId(String(args.agreementId), 'Agreement', 'agreementId');
      const [a] = await ctx.deps.db.select({ caseId: agreements.caseId }).from(agreements).where(eq(agreements.id, id));
      if (!a) return [];
      const [c] = await ctx.deps.db.select().from(cases).where(and(eq(cases.id, a.caseId), visibleCases(ctx.viewer)));
      if (!c) return [];
      return (await jurisdictionOf(ctx, c.id))?.eligible ?? [];
    },
  }),
}));

const applicationSuccess = (name: string) =>
  builder.objectRef<{ application: ApplicationRow }>(name).implement({
    fields: (t) => ({ application: t.field({ type: ConfirmationApplicationRef, resolve: (p) => p.application }) }),
  });

const appId = (id: string | number) => localId(String(id), 'ConfirmationApplication', 'applicationId');

const ApplyInput = builder.inputType('ApplyForJudicialConfirmationInput', {
  fields: (t) => ({ agreementId: t.id({ required: true }), courtId: t.id({ required: true, description: 'One of Agreement.eligibleCourts.' }) }),
});
const AppIdInput = (name: string) => builder.inputType(name, { fields: (t) => ({ applicationId: t.id({ required: true }) }) });
const DeclineInput = builder.inputType('DeclineConfirmationApplicationInput', {
  fields: (t) => ({ applicationId: t.id({ required: true }), ground: t.field({ type: NotAcceptedGroundEnum, required: true }), note: t.string() }),
});
const ExtendInput = builder.inputType('ExtendConfirmationReviewInput', {
  fields: (t) => ({
    applicationId: t.id({ required: true }),
    approvedBy: t.string({ required: true, description: 'Name of the court president who approved (JC2011 5).' }),
    reason: t.string({ required: true }),
  }),
});
const SupplementInput = builder.inputType('RequestSupplementInput', {
  fields: (t) => ({ applicationId: t.id({ required: true }), items: t.stringList({ required: true }), dueAt: t.field({ type: 'DateTime', required: true }), note: t.string() }),
});
const SubmitSupplementInput = builder.inputType('SubmitSupplementInput', {
  fields: (t) => ({ applicationId: t.id({ required: true }), text: t.string({ required: true }), items: t.stringList({ description: 'One answer per requested item, in order.' }) }),
});
const TreatInput = builder.inputType('TreatAsWithdrawnInput', { fields: (t) => ({ applicationId: t.id({ required: true }), note: t.string() }) });
const RuleInput = builder.inputType('RuleOnConfirmationInput', {
  fields: (t) => ({
    applicationId: t.id({ required: true }),
    outcome: t.field({ type: ConfirmationOutcomeEnum, required: true }),
    rulingNumber: t.string({ required: true, description: '（YEAR）<this court’s code>民特<serial>号 with the year of acceptance, e.g. （2026）云0102民特123号.' }),
    rejectionGround: t.field({ type: RejectionGroundEnum, description: 'When REJECTED: a ground of INT 358 (or notAcceptedGround).' }),
    notAcceptedGround: t.field({ type: NotAcceptedGroundEnum, description: 'When REJECTED on an INT 355 ground found after acceptance (驳回).' }),
    rulingDate: t.field({ type: 'Date', description: 'Today (China time) when omitted.' }),
    note: t.string(),
  }),
});
const WithdrawInput = builder.inputType('WithdrawConfirmationApplicationInput', { fields: (t) => ({ applicationId: t.id({ required: true }), reason: t.string() }) });
const EnforcementInput = builder.inputType('ApplyForEnforcementInput', { fields: (t) => ({ caseId: t.id({ required: true }), note: t.string() }) });
const EnforcementSuccess = builder.objectRef<{ enforcement: EnforcementRow }>('ApplyForEnforcementSuccess').implement({
  fields: (t) => ({ enforcement: t.field({ type: EnforcementApplicationRef, resolve: (p) => p.enforcement }) }),
});

builder.mutationFields((t) => ({
  applyForJudicialConfirmation: t.field({
    type: applicationSuccess('ApplyForJudicialConfirmationSuccess'),
    errors: { union: { name: 'ApplyForJudicialConfirmationResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: ApplyInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      application: await applyForJudicialConfirmation(ctx.deps, ctx.actor, {
        agreementId: localId(String(input.agreementId), 'Agreement', 'agreementId'),
        courtId: localId(String(input.courtId), 'Organization', 'courtId'),
      }),
    }),
  }),
  withdrawConfirmationApplication: t.field({
    type: applicationSuccess('WithdrawConfirmationApplicationSuccess'),
    errors: { union: { name: 'WithdrawConfirmationApplicationResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: WithdrawInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      application: await withdrawConfirmationApplication(ctx.deps, ctx.actor, { applicationId: appId(input.applicationId), reason: input.reason }),
    }),
  }),
  submitSupplement: t.field({
    type: applicationSuccess('SubmitSupplementSuccess'),
    errors: { union: { name: 'SubmitSupplementResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: SubmitSupplementInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      application: await submitSupplement(ctx.deps, ctx.actor, { applicationId: appId(input.applicationId), text: input.text, items: input.items }),
    }),
  }),
  acceptConfirmationApplication: t.field({
    type: applicationSuccess('AcceptConfirmationApplicationSuccess'),
    errors: { union: { name: 'AcceptConfirmationApplicationResult' } },
    authScopes: { apiClient: true },
    args: { input: t.arg({ type: AppIdInput('AcceptConfirmationApplicationInput'), required: true }) },
    resolve: async (_p, { input }, ctx) => ({ application: await acceptConfirmationApplication(ctx.deps, ctx.actor, { applicationId: appId(input.applicationId) }) }),
  }),
  extendConfirmationReview: t.field({
    type: applicationSuccess('ExtendConfirmationReviewSuccess'),
    errors: { union: { name: 'ExtendConfirmationReviewResult' } },
    authScopes: { apiClient: true },
    args: { input: t.arg({ type: ExtendInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ application: await extendConfirmationReview(ctx.deps, ctx.actor, { ...input, applicationId: appId(input.applicationId) }) }),
  }),
  declineConfirmationApplication: t.field({
    type: applicationSuccess('DeclineConfirmationApplicationSuccess'),
    errors: { union: { name: 'DeclineConfirmationApplicationResult' } },
    authScopes: { apiClient: true },
    args: { input: t.arg({ type: DeclineInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ application: await declineConfirmationApplication(ctx.deps, ctx.actor, { ...input, applicationId: appId(input.applicationId) }) }),
  }),
  requestSupplement: t.field({
    type: applicationSuccess('RequestSupplementSuccess'),
    errors: { union: { name: 'RequestSupplementResult' } },
    authScopes: { apiClient: true },
    args: { input: t.arg({ type: SupplementInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ application: await requestSupplement(ctx.deps, ctx.actor, { ...input, applicationId: appId(input.applicationId) }) }),
  }),
  treatAsWithdrawn: t.field({
    type: applicationSuccess('TreatAsWithdrawnSuccess'),
    errors: { union: { name: 'TreatAsWithdrawnResult' } },
    authScopes: { apiClient: true },
    args: { input: t.arg({ type: TreatInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ application: await treatAsWithdrawn(ctx.deps, ctx.actor, { ...input, applicationId: appId(input.applicationId) }) }),
  }),
  ruleOnConfirmation: t.field({
    type: applicationSuccess('RuleOnConfirmationSuccess'),
    errors: { union: { name: 'RuleOnConfirmationResult' } },
    authScopes: { apiClient: true },
    args: { input: t.arg({ type: RuleInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ application: await ruleOnConfirmation(ctx.deps, ctx.actor, { ...input, applicationId: appId(input.applicationId) }) }),
  }),
  applyForEnforcement: t.field({
    type: EnforcementSuccess,
    errors: { union: { name: 'ApplyForEnforcementResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: EnforcementInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      enforcement: await applyForEnforcement(ctx.deps, ctx.actor, { caseId: localId(String(input.caseId), 'Case', 'caseId'), note: input.note }),
    }),
  }),
}));
