import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { preparedPerShape, unlessNeverVisible } from '../db-prepared';
import { shapeOf, type ViewerShape } from '../domain/access/viewer-shape';
import { supervisionOrders, supervisionProposals } from '../../schema';
import { CASE_RECORDS, groupedLoader, regionScope } from './batch';
import { visibleSupervisionOrders, visibleSupervisionProposals, type SupervisionOrderRow, type SupervisionProposalRow } from '../domain/access/supervision';
import type { CaseRow } from '../domain/cases/case-access';
import { ValidationError } from '../domain/errors';
import { issueSupervisionOrder } from '../domain/supervision/issue-supervision-order';
import { respondToSupervision } from '../domain/supervision/respond-to-supervision';
import { SUPERVISION_ORDER_STATUSES, SUPERVISION_PROPOSAL_REASONS, SUPERVISION_PROPOSAL_STATUSES, SUPERVISION_SUBJECTS } from '../domain/supervision/types';
import { builder } from './builder';
import { CaseLevelEnum, OrganizationRef } from './organization';
import { CaseRef } from './case';
import type { GraphQLContext } from './context';
import { localId, optionalLocalId } from './ids';
import { LeadRef } from './lead';

const SubjectEnum = builder.enumType('SupervisionSubject', { values: SUPERVISION_SUBJECTS });
const OrderStatusEnum = builder.enumType('SupervisionOrderStatus', {
  description: 'OPEN, ANSWERED, or ESCALATED (unanswered by its due date: the next level up took it over).',
  values: SUPERVISION_ORDER_STATUSES,
});
const ProposalReasonEnum = builder.enumType('SupervisionProposalReason', { values: SUPERVISION_PROPOSAL_REASONS });
const ProposalStatusEnum = builder.enumType('SupervisionProposalStatus', { values: SUPERVISION_PROPOSAL_STATUSES });

export const SupervisionOrderRef = builder.loadableNodeRef('SupervisionOrder', {
  id: { resolve: (o: SupervisionOrderRow) => o.id },
  load: async (ids: string[], ctx: GraphQLContext) => {
    const scope = await regionScope(ctx);
    const rows = await ctx.deps.db.select().from(supervisionOrders).where(and(inArray(supervisionOrders.id, ids), visibleSupervisionOrders(ctx.viewer, scope)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null) as SupervisionOrderRow[];
  },
});

SupervisionOrderRef.implement({
  description: '督办: an order from a higher organisation to act on a case or lead by a due date.',
  fields: (t) => ({
    subjectType: t.field({ type: SubjectEnum, resolve: (o) => o.subjectType }),
    case: t.field({ type: CaseRef, nullable: true, resolve: (o) => o.caseId }),
    lead: t.field({ type: LeadRef, nullable: true, resolve: (o) => o.leadId }),
    regionCode: t.exposeString('regionCode'),
    issuingOrganization: t.field({ type: OrganizationRef, nullable: true, resolve: (o) => o.issuingOrganizationId }),
    receivingOrganization: t.field({ type: OrganizationRef, resolve: (o) => o.receivingOrganizationId }),
    receivingLevel: t.field({ type: CaseLevelEnum, resolve: (o) => o.receivingLevel }),
    reason: t.exposeString('reason'),
    requiredAction: t.exposeString('requiredAction'),
    dueAt: t.field({ type: 'DateTime', resolve: (o) => o.dueAt }),
    status: t.field({ type: OrderStatusEnum, resolve: (o) => o.status }),
    measures: t.exposeString('measures', { nullable: true }),
    result: t.exposeString('result', { nullable: true }),
    answeredAt: t.field({ type: 'DateTime', nullable: true, resolve: (o) => o.answeredAt }),
    escalatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (o) => o.escalatedAt }),
    escalatedFrom: t.field({ type: SupervisionOrderRef, nullable: true, resolve: (o) => o.escalatedFromId }),
    escalatedTo: t.field({ type: SupervisionOrderRef, nullable: true, resolve: (o) => o.escalatedToId }),
    createdAt: t.field({ type: 'DateTime', resolve: (o) => o.createdAt }),
  }),
});

const ProposalRef = builder.objectRef<SupervisionProposalRow>('SupervisionProposal').implement({
  description: 'A matter proposed for supervision automatically (overdue case, open HIGH-risk case or lead).',
  fields: (t) => ({
    id: t.exposeID('id'),
    subjectType: t.field({ type: SubjectEnum, resolve: (p) => p.subjectType }),
    case: t.field({ type: CaseRef, nullable: true, resolve: (p) => p.caseId }),
    lead: t.field({ type: LeadRef, nullable: true, resolve: (p) => p.leadId }),
    reason: t.field({ type: ProposalReasonEnum, resolve: (p) => p.reason }),
    detail: t.exposeString('detail'),
    status: t.field({ type: ProposalStatusEnum, resolve: (p) => p.status }),
    proposedAt: t.field({ type: 'DateTime', resolve: (p) => p.proposedAt }),
    order: t.field({ type: SupervisionOrderRef, nullable: true, resolve: (p) => p.orderId }),
  }),
});

/** The supervision orders of a page of cases the viewer may see, in one query. */
const ordersOfCases = preparedPerShape((db, s: ViewerShape, ids) => {
  const rule = CASE_RECORDS.supervisionOrders.rule(s);
  return unlessNeverVisible(rule, () =>
    db.select().from(supervisionOrders).where(and(ids(supervisionOrders.caseId), rule)).orderBy(asc(supervisionOrders.createdAt)).prepare('supervision_orders_by_case'),
  );
});
const ordersByCase = groupedLoader(
  async (ctx, caseIds) => ordersOfCases.byIds(ctx.deps.db, shapeOf(ctx.viewer, await regionScope(ctx)), caseIds),
  // Orders on a lead have no case; those read here are all on a case.
  (o) => o.caseId ?? '',
  'supervisionOrders',
);

builder.objectFields(CaseRef, (t) => ({
  supervisionOrders: t.field({
    type: [SupervisionOrderRef],
    resolve: (c: CaseRow, _a, ctx) => ordersByCase(ctx).load(c.id),
  }),
}));

builder.queryFields((t) => ({
  supervisionOrders: t.field({
    type: [SupervisionOrderRef],
    authScopes: { staff: true },
    description: 'Orders the viewer’s organisation issued or received (and, for admins, those in its area); newest first.',
    args: { status: t.arg({ type: [OrderStatusEnum] }), received: t.arg.boolean({ description: 'Only orders received by the viewer’s organisation.' }) },
    resolve: async (_p, args, ctx) => {
      const scope = await regionScope(ctx);
      const where: (SQL | undefined)[] = [visibleSupervisionOrders(ctx.viewer, scope)];
      if (args.status?.length) where.push(inArray(supervisionOrders.status, args.status));
      if (args.received) {
        const org = ctx.viewer?.kind === 'user' ? ctx.viewer.organizationId : null;
        if (!org) throw ValidationError.field('received', 'you belong to no organisation');
        where.push(eq(supervisionOrders.receivingOrganizationId, org));
      }
      return ctx.deps.db.select().from(supervisionOrders).where(and(...where)).orderBy(desc(supervisionOrders.createdAt), desc(supervisionOrders.id)).limit(500);
    },
  }),
  supervisionQueue: t.field({
    type: [ProposalRef],
    authScopes: { staff: true },
    description: 'Matters proposed for supervision to the viewer’s organisation, oldest first.',
    args: { status: t.arg({ type: [ProposalStatusEnum] }) },
    resolve: (_p, args, ctx) =>
      ctx.deps.db
        .select()
        .from(supervisionProposals)
        .where(and(visibleSupervisionProposals(ctx.viewer), inArray(supervisionProposals.status, args.status?.length ? args.status : ['PROPOSED'])))
        .orderBy(asc(supervisionProposals.proposedAt), asc(supervisionProposals.id))
        .limit(500),
  }),
}));

const IssueInput = builder.inputType('IssueSupervisionOrderInput', {
  fields: (t) => ({
    reason: t.string({ required: true }),
    requiredAction: t.string({ required: true, description: 'What must be done.' }),
    dueAt: t.field({ type: 'DateTime', required: true }),
    caseId: t.id(),
    leadId: t.id(),
    proposalId: t.id({ description: 'The queue entry this order acts on.' }),
  }),
});
const RespondInput = builder.inputType('RespondToSupervisionInput', {
  fields: (t) => ({ orderId: t.id({ required: true }), measures: t.string({ required: true }), result: t.string() }),
});
const orderSuccess = (name: string) =>
  builder.objectRef<{ order: SupervisionOrderRow }>(name).implement({ fields: (t) => ({ order: t.field({ type: SupervisionOrderRef, resolve: (p) => p.order }) }) });

builder.mutationFields((t) => ({
  issueSupervisionOrder: t.field({
    type: orderSuccess('IssueSupervisionOrderSuccess'),
    errors: { union: { name: 'IssueSupervisionOrderResult' } },
    authScopes: { staff: true },
    args: { input: t.arg({ type: IssueInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      order: await issueSupervisionOrder(ctx.deps, ctx.actor, {
        caseId: optionalLocalId(input.caseId ? String(input.caseId) : null, 'Case', 'caseId'),
        leadId: optionalLocalId(input.leadId ? String(input.leadId) : null, 'DisputeLead', 'leadId'),
        proposalId: input.proposalId ? String(input.proposalId) : null,
        reason: input.reason,
        requiredAction: input.requiredAction,
        dueAt: input.dueAt,
      }),
    }),
  }),
  respondToSupervision: t.field({
    type: orderSuccess('RespondToSupervisionSuccess'),
    errors: { union: { name: 'RespondToSupervisionResult' } },
    authScopes: { staff: true },
    args: { input: t.arg({ type: RespondInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      order: await respondToSupervision(ctx.deps, ctx.actor, {
        orderId: localId(String(input.orderId), 'SupervisionOrder', 'orderId'),
        measures: input.measures,
        result: input.result,
      }),
    }),
  }),
}));
