import { and, asc, eq, inArray } from 'drizzle-orm';
import { followUpTermResults, followUps } from '../../schema';
import { visibleFollowUps, type FollowUpRow } from '../domain/access/follow-up';
import { groupedLoader, regionScope } from './batch';
import type { CaseRow } from '../domain/cases/case-access';
import { addFollowUp } from '../domain/follow-up/add-follow-up';
import { recordFollowUp, type RecordedFollowUp } from '../domain/follow-up/record-follow-up';
import { PERFORMANCE_ROUTES } from '../domain/follow-up/routes';
import { FOLLOW_UP_KINDS, FOLLOW_UP_METHODS, FOLLOW_UP_STATUSES, TERM_PERFORMANCES } from '../domain/follow-up/types';
import { builder } from './builder';
import { CaseRef } from './case';
import type { GraphQLContext } from './context';
import { localId, optionalLocalId } from './ids';

const FollowUpKindEnum = builder.enumType('FollowUpKind', { values: FOLLOW_UP_KINDS });
const FollowUpStatusEnum = builder.enumType('FollowUpStatus', { values: FOLLOW_UP_STATUSES });
const FollowUpMethodEnum = builder.enumType('FollowUpMethod', { values: FOLLOW_UP_METHODS });
const TermPerformanceEnum = builder.enumType('TermPerformance', { values: TERM_PERFORMANCES });
const PerformanceRouteEnum = builder.enumType('PerformanceRoute', {
  description: 'What a party owed an unperformed term may do: ENFORCEMENT (confirmed agreements), JUDICIAL_CONFIRMATION (within its 30 days), NEW_MEDIATION, LITIGATION.',
  values: PERFORMANCE_ROUTES,
});

type TermResultRow = typeof followUpTermResults.$inferSelect;

export const FollowUpRef = builder.loadableNodeRef('FollowUp', {
  id: { resolve: (f: FollowUpRow) => f.id },
  load: async (ids: string[], ctx: GraphQLContext) => {
    const scope = await regionScope(ctx);
    const rows = await ctx.deps.db.select().from(followUps).where(and(inArray(followUps.id, ids), visibleFollowUps(ctx.viewer, scope)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null) as FollowUpRow[];
  },
});

const TermResultRef = builder.objectRef<TermResultRow>('FollowUpTermResult').implement({
  fields: (t) => ({
    termNo: t.exposeInt('termNo'),
    performance: t.field({ type: TermPerformanceEnum, resolve: (r) => r.performance }),
    amountPerformed: t.field({ type: 'Money', nullable: true, resolve: (r) => r.amountPerformed }),
    note: t.exposeString('note', { nullable: true }),
    routesOffered: t.field({ type: [PerformanceRouteEnum], nullable: true, resolve: (r) => r.routesOffered as (typeof PERFORMANCE_ROUTES)[number][] | null }),
  }),
});

FollowUpRef.implement({
  description: '回访: a visit to learn whether an effective agreement is performed and stop relapse.',
  fields: (t) => ({
    case: t.field({ type: CaseRef, nullable: true, resolve: (f) => f.caseId }),
    kind: t.field({ type: FollowUpKindEnum, resolve: (f) => f.kind }),
    termNo: t.exposeInt('termNo', { nullable: true }),
    dueAt: t.field({ type: 'DateTime', resolve: (f) => f.dueAt }),
    dueRule: t.exposeString('dueRule'),
    assigneeId: t.exposeID('assigneeUserId', { nullable: true }),
    status: t.field({ type: FollowUpStatusEnum, resolve: (f) => f.status }),
    method: t.field({ type: FollowUpMethodEnum, nullable: true, resolve: (f) => f.method }),
    relapsed: t.exposeBoolean('relapsed', { nullable: true }),
    relapseCase: t.field({ type: CaseRef, nullable: true, description: 'The new case opened on relapse.', resolve: (f) => f.relapseCaseId }),
    note: t.exposeString('note', { nullable: true }),
    recordedAt: t.field({ type: 'DateTime', nullable: true, resolve: (f) => f.recordedAt }),
    terms: t.field({
      type: [TermResultRef],
      resolve: (f, _a, ctx) => ctx.deps.db.select().from(followUpTermResults).where(eq(followUpTermResults.followUpId, f.id)).orderBy(asc(followUpTermResults.termNo)),
    }),
  }),
});

/** The follow-ups of a page of cases the viewer may see, in one query. */
const followUpsByCase = groupedLoader(
  async (ctx, caseIds) =>
    ctx.deps.db
      .select()
      .from(followUps)
      .where(and(inArray(followUps.caseId, caseIds), visibleFollowUps(ctx.viewer, await regionScope(ctx))))
      .orderBy(asc(followUps.dueAt), asc(followUps.id)),
  (f) => f.caseId,
);

builder.objectFields(CaseRef, (t) => ({
  followUps: t.field({
    type: [FollowUpRef],
    resolve: (c: CaseRow, _a, ctx) => followUpsByCase(ctx).load(c.id),
  }),
}));

const PartyRouteRef = builder.objectRef<RecordedFollowUp['routesOffered'][number]['parties'][number]>('PartyRoutes').implement({
  fields: (t) => ({
    partyId: t.exposeID('partyId'),
    name: t.exposeString('name'),
    routes: t.field({ type: [PerformanceRouteEnum], resolve: (p) => p.routes }),
  }),
});
const TermRoutesRef = builder.objectRef<RecordedFollowUp['routesOffered'][number]>('TermRoutes').implement({
  fields: (t) => ({ termNo: t.exposeInt('termNo'), parties: t.field({ type: [PartyRouteRef], resolve: (r) => r.parties }) }),
});

const TermInput = builder.inputType('FollowUpTermInput', {
  fields: (t) => ({
    termNo: t.int({ required: true, description: 'The term’s position in the agreement, from 1.' }),
    performance: t.field({ type: TermPerformanceEnum, required: true }),
    amountPerformed: t.field({ type: 'Money', description: 'PARTLY_PERFORMED: the amount performed so far.' }),
    note: t.string(),
  }),
});
const SatisfactionInput = builder.inputType('SatisfactionInput', {
  fields: (t) => ({ partyId: t.id({ required: true }), score: t.int({ required: true, description: '1 to 5.' }), comment: t.string() }),
});
const RecordInput = builder.inputType('RecordFollowUpInput', {
  fields: (t) => ({
    caseId: t.id({ required: true }),
    method: t.field({ type: FollowUpMethodEnum, required: true }),
    terms: t.field({ type: [TermInput], required: true }),
    relapsed: t.boolean({ required: true }),
    followUpId: t.id({ description: 'Default: the earliest follow-up still scheduled.' }),
    satisfaction: t.field({ type: [SatisfactionInput] }),
    relapseDescription: t.string({ description: 'Required when relapsed: the new case’s description.' }),
    note: t.string(),
  }),
});
const AddInput = builder.inputType('AddFollowUpInput', {
  fields: (t) => ({ caseId: t.id({ required: true }), dueAt: t.field({ type: 'DateTime', required: true }), assigneeId: t.id(), note: t.string() }),
});

builder.mutationFields((t) => ({
  recordFollowUp: t.field({
    type: builder.objectRef<RecordedFollowUp>('RecordFollowUpSuccess').implement({
      fields: (f) => ({
        followUp: f.field({ type: FollowUpRef, resolve: (p) => p.followUp }),
        routesOffered: f.field({ type: [TermRoutesRef], resolve: (p) => p.routesOffered }),
        relapseCase: f.field({ type: CaseRef, nullable: true, resolve: (p) => p.relapseCaseId }),
      }),
    }),
    errors: { union: { name: 'RecordFollowUpResult' } },
    authScopes: { staff: true },
    args: { input: t.arg({ type: RecordInput, required: true }) },
    resolve: (_p, { input }, ctx) =>
      recordFollowUp(ctx.deps, ctx.actor, {
        caseId: localId(String(input.caseId), 'Case', 'caseId'),
        followUpId: optionalLocalId(input.followUpId ? String(input.followUpId) : null, 'FollowUp', 'followUpId'),
        method: input.method,
        terms: input.terms,
        satisfaction: input.satisfaction?.map((s) => ({ ...s, partyId: String(s.partyId) })),
        relapsed: input.relapsed,
        relapseDescription: input.relapseDescription,
        note: input.note,
      }),
  }),
  addFollowUp: t.field({
    type: builder.objectRef<{ followUp: FollowUpRow }>('AddFollowUpSuccess').implement({
      fields: (f) => ({ followUp: f.field({ type: FollowUpRef, resolve: (p) => p.followUp }) }),
    }),
    errors: { union: { name: 'AddFollowUpResult' } },
    authScopes: { staff: true },
    args: { input: t.arg({ type: AddInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      followUp: await addFollowUp(ctx.deps, ctx.actor, {
        caseId: localId(String(input.caseId), 'Case', 'caseId'),
        dueAt: input.dueAt,
        assigneeUserId: optionalLocalId(input.assigneeId ? String(input.assigneeId) : null, 'User', 'assigneeId'),
        note: input.note,
      }),
    }),
  }),
}));
