import { delegateMediation } from '../domain/litigation/delegate-mediation';
import { and, desc, inArray, type SQL } from 'drizzle-orm';
import { litigationTransfers } from '../../schema';
import { transferOverdue, visibleTransfers, type CaseRow } from '../domain/access';
import { acknowledgeLitigationTransfer } from '../domain/litigation/acknowledge-litigation-transfer';
import { transferToLitigation, type TransferRow } from '../domain/litigation/transfer-to-litigation';
import { groupedLoader } from './batch';
import { builder } from './builder';
import { newestFirstConnection, olderThanCursor, pageSize } from './keyset';
import { CaseRef } from './case';
import type { GraphQLContext } from './context';
import { localId, optionalLocalId } from './ids';
import { OrganizationRef } from './organization';

const TRANSFER_STATUSES = ['PENDING', 'ACKNOWLEDGED', 'DELEGATED'] as const;
export const LitigationTransferStatusEnum = builder.enumType('LitigationTransferStatus', {
  description: 'PENDING: the court has yet to decide on filing (CPL 126); ACKNOWLEDGED: filed under a docket number; DELEGATED: the court delegated it to court-invited mediation before filing (委派).',
  values: TRANSFER_STATUSES,
});

export const LitigationTransferRef = builder.loadableNodeRef('LitigationTransfer', {
  id: { resolve: (t: TransferRow) => t.id },
  load: async (ids: string[], ctx: GraphQLContext) => {
    const rows = await ctx.deps.db.select().from(litigationTransfers).where(and(inArray(litigationTransfers.id, ids), visibleTransfers(ctx.viewer)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null) as TransferRow[];
  },
});

const FailureReportRef = builder.objectRef<TransferRow['failureReport']>('FailureReport').implement({
  description: 'Why mediation failed and what the court should know (OMR 21).',
  fields: (t) => ({
    why: t.exposeString('why'),
    undisputedFacts: t.exposeStringList('undisputedFacts'),
    notesForCourt: t.exposeString('notesForCourt', { nullable: true }),
    routes: t.exposeStringList('routes'),
  }),
});

LitigationTransferRef.implement({
  description: '转立案: a case sent to a court for filing with its failure report (OMR 21, CPL 126).',
  fields: (t) => ({
    status: t.field({ type: LitigationTransferStatusEnum, resolve: (x) => x.status as (typeof TRANSFER_STATUSES)[number] }),
    court: t.field({ type: OrganizationRef, resolve: (x) => x.courtId }),
    case: t.field({ type: CaseRef, resolve: (x) => x.caseId }),
    fromStatus: t.exposeString('fromStatus'),
    docketNumber: t.exposeString('docketNumber', { nullable: true }),
    undisputedFacts: t.exposeStringList('undisputedFacts', { description: 'Facts the parties confirmed as undisputed (OMR 18, 22).' }),
    failureReport: t.field({ type: FailureReportRef, resolve: (x) => x.failureReport }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (x) => x.createdAt }),
    filingDueAt: t.field({ type: 'DateTime', description: 'CPL 126: filing decided within 7 days.', resolve: (x) => x.filingDueAt }),
    acknowledgedAt: t.field({ type: 'DateTime', nullable: true, resolve: (x) => x.acknowledgedAt }),
    overdue: t.boolean({
      description: 'Not filed by filingDueAt (still pending past it, or acknowledged after it).',
      resolve: (x, _a, ctx) => transferOverdue(x, ctx.deps.clock.now()),
    }),
  }),
});

/** The transfers of a page of cases the viewer may see, in one query. */
const transfersByCase = groupedLoader(
  (ctx, caseIds) => ctx.deps.db.select().from(litigationTransfers).where(and(inArray(litigationTransfers.caseId, caseIds), visibleTransfers(ctx.viewer))),
  (r) => r.caseId,
);

builder.objectFields(CaseRef, (t) => ({
  litigationTransfer: t.field({
    type: LitigationTransferRef,
    nullable: true,
    resolve: async (c: CaseRow, _a, ctx) => (await transfersByCase(ctx).load(c.id))[0] ?? null,
  }),
}));


const TransferConnection = builder.connectionObject({ type: LitigationTransferRef, name: 'LitigationTransferConnection' });

builder.queryFields((t) => ({
  litigationTransfers: t.field({
    type: TransferConnection,
    description: 'A court client: its own court’s transfers; anyone else: those of the cases they may see. Newest first.',
    args: { status: t.arg({ type: [LitigationTransferStatusEnum] }), first: t.arg.int({ defaultValue: 20 }), after: t.arg.string() },
    resolve: async (_p, args, ctx) => {
      const first = pageSize(args.first);
      const where: (SQL | undefined)[] = [visibleTransfers(ctx.viewer)];
      if (args.status?.length) where.push(inArray(litigationTransfers.status, args.status));
      where.push(olderThanCursor(litigationTransfers, args.after));
      const rows = await ctx.deps.db
        .select()
        .from(litigationTransfers)
        .where(and(...where))
        .orderBy(desc(litigationTransfers.createdAt), desc(litigationTransfers.id))
        .limit(first + 1);
      return newestFirstConnection(rows, first, args.after);
    },
  }),
}));

const TransferInput = builder.inputType('TransferToLitigationInput', {
  fields: (t) => ({ caseId: t.id({ required: true }), courtId: t.id({ required: true, description: 'The court the party chooses to sue in.' }), note: t.string() }),
});
const AckInput = builder.inputType('AcknowledgeLitigationTransferInput', {
  fields: (t) => ({
    transferId: t.id({ required: true }),
    docketNumber: t.string({ required: true, description: '(YEAR)<this court’s code>民初<serial>号, e.g. (2026)云0102民初456号.' }),
  }),
});
const DelegateInput = builder.inputType('DelegateMediationInput', {
  fields: (t) => ({
    caseId: t.id({ required: true, description: 'A case sent to this court for filing: pending (委派, before filing) or docketed (委托, after filing).' }),
    organizationId: t.id({ required: true, description: 'A court-invited (特邀) organisation on this court’s roster.' }),
    mediatorId: t.id({ description: 'One of its mediators; otherwise the organisation assigns one.' }),
    procedure: t.field({
      type: builder.enumType('CourtProcedure', { values: ['ORDINARY', 'SIMPLIFIED'] as const }),
      description: 'For a case already filed (委托): ORDINARY (15 days) or SIMPLIFIED (7 days), OMR 24. Leave out before filing (委派, 30 days).',
    }),
  }),
});
const DelegateSuccess = builder.objectRef<{ case: CaseRow }>('DelegateMediationSuccess').implement({
  fields: (t) => ({ case: t.field({ type: CaseRef, resolve: (p) => p.case }) }),
});

const transferSuccess = (name: string) =>
  builder.objectRef<{ transfer: TransferRow }>(name).implement({
    fields: (t) => ({ transfer: t.field({ type: LitigationTransferRef, resolve: (p) => p.transfer }) }),
  });

builder.mutationFields((t) => ({
  delegateMediation: t.field({
    type: DelegateSuccess,
    errors: { union: { name: 'DelegateMediationResult' } },
    authScopes: { apiClient: true },
    args: { input: t.arg({ type: DelegateInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      case: await delegateMediation(ctx.deps, ctx.actor, {
        caseId: localId(String(input.caseId), 'Case', 'caseId'),
        organizationId: localId(String(input.organizationId), 'Organization', 'organizationId'),
        mediatorId: optionalLocalId(input.mediatorId ? String(input.mediatorId) : null, 'Mediator', 'mediatorId'),
        procedure: input.procedure,
      }),
    }),
  }),
  transferToLitigation: t.field({
    type: transferSuccess('TransferToLitigationSuccess'),
    errors: { union: { name: 'TransferToLitigationResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: TransferInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      transfer: await transferToLitigation(ctx.deps, ctx.actor, {
        caseId: localId(String(input.caseId), 'Case', 'caseId'),
        courtId: localId(String(input.courtId), 'Organization', 'courtId'),
        note: input.note,
      }),
    }),
  }),
  acknowledgeLitigationTransfer: t.field({
    type: transferSuccess('AcknowledgeLitigationTransferSuccess'),
    errors: { union: { name: 'AcknowledgeLitigationTransferResult' } },
    authScopes: { apiClient: true },
    args: { input: t.arg({ type: AckInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      transfer: await acknowledgeLitigationTransfer(ctx.deps, ctx.actor, {
        transferId: localId(String(input.transferId), 'LitigationTransfer', 'transferId'),
        docketNumber: input.docketNumber,
      }),
    }),
  }),
}));
