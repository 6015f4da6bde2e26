import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { preparedPerShape, unlessNeverVisible } from '../db-prepared';
import { shapeOf, type ViewerShape } from '../domain/access/viewer-shape';
import { caseParties, followUpAnswers, followUpTermResults, followUps, mediationRatings } from '../../schema';
import { visibleFollowUpAnswers, visibleFollowUps, visibleRatings, type FollowUpAnswerRow, type FollowUpRow, type RatingRow } from '../domain/access/follow-up';
import { CASE_RECORDS, groupedLoader, regionScope } from './batch';
import type { CaseRow } from '../domain/cases/case-access';
import { addFollowUp } from '../domain/follow-up/add-follow-up';
import { answerFollowUp, type AnsweredFollowUp } from '../domain/follow-up/answer-follow-up';
import { recordFollowUp, type RecordedFollowUp } from '../domain/follow-up/record-follow-up';
import { PERFORMANCE_ROUTES } from '../domain/follow-up/routes';
import { FOLLOW_UP_KINDS, FOLLOW_UP_METHODS, FOLLOW_UP_STATUSES, PARTY_TERM_PERFORMANCES, TERM_PERFORMANCES, type PartyTermAnswer } from '../domain/follow-up/types';
import { builder } from './builder';
import { CaseRef } from './case';
import type { GraphQLContext } from './context';
import { localId, optionalLocalId } from './ids';

const FollowUpKindEnum = builder.enumType('FollowUpKind', { values: FOLLOW_UP_KINDS });
const FollowUpStatusEnum = builder.enumType('FollowUpStatus', { values: FOLLOW_UP_STATUSES });
const FollowUpMethodEnum = builder.enumType('FollowUpMethod', { values: FOLLOW_UP_METHODS });
const TermPerformanceEnum = builder.enumType('TermPerformance', { values: TERM_PERFORMANCES });
const PartyTermPerformanceEnum = builder.enumType('PartyTermPerformance', {
  description: 'What a party says of a term when it answers a follow-up itself.',
  values: PARTY_TERM_PERFORMANCES,
});
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

type AnswerWithRating = { answer: FollowUpAnswerRow; rating: Pick<RatingRow, 'score' | 'comment'>; ratingVisible: boolean };

const PartyTermAnswerRef = builder.objectRef<PartyTermAnswer>('FollowUpAnswerTerm').implement({
  fields: (t) => ({
    termNo: t.exposeInt('termNo'),
    performance: t.field({ type: PartyTermPerformanceEnum, resolve: (r) => r.performance }),
    note: t.exposeString('note', { nullable: true }),
  }),
});

const FollowUpAnswerRef = builder.objectRef<AnswerWithRating>('FollowUpAnswer').implement({
  description: 'A party’s own answer to a follow-up: its account of each term, its satisfaction and comment. Never shown to the other party.',
  fields: (t) => ({
    id: t.id({ resolve: (a) => a.answer.id }),
    partyId: t.id({ resolve: (a) => a.answer.partyId }),
    terms: t.field({ type: [PartyTermAnswerRef], resolve: (a) => a.answer.terms }),
    satisfaction: t.int({
      nullable: true,
      description: '1 to 5. Read under the ratings’ rule: null for a follow-up’s assignee or a grid worker who may not read ratings.',
      resolve: (a) => (a.ratingVisible ? a.rating.score : null),
    }),
    comment: t.string({ nullable: true, resolve: (a) => (a.ratingVisible ? a.rating.comment : null) }),
    answeredAt: t.field({ type: 'DateTime', resolve: (a) => a.answer.answeredAt }),
  }),
});

/** The answers of a page of follow-ups the viewer may read, in one query, in the parties' order. */
const answersByFollowUp = groupedLoader(
  async (ctx, followUpIds): Promise<AnswerWithRating[]> =>
    ctx.deps.db
      .select({
        answer: followUpAnswers,
        rating: { score: mediationRatings.score, comment: mediationRatings.comment },
        // The satisfaction and comment are the party's rating: they read as ratings do.
        ratingVisible: sql<boolean>`${visibleRatings(ctx.viewer)}`.mapWith(Boolean),
      })
      .from(followUpAnswers)
      .innerJoin(mediationRatings, eq(mediationRatings.id, followUpAnswers.ratingId))
      .innerJoin(caseParties, eq(caseParties.id, followUpAnswers.partyId))
      .where(and(inArray(followUpAnswers.followUpId, followUpIds), visibleFollowUpAnswers(ctx.viewer, await regionScope(ctx))))
      // In the order of the parties on the case: the applicant first.
      .orderBy(asc(caseParties.position), asc(followUpAnswers.id)),
  (a) => a.answer.followUpId,
);

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
    answers: t.field({
      type: [FollowUpAnswerRef],
      description: 'The parties’ own answers: a party reads only its own; who records the follow-up reads all.',
      resolve: (f, _a, ctx) => answersByFollowUp(ctx).load(f.id),
    }),
    terms: t.field({
      type: [TermResultRef],
      resolve: (f, _a, ctx) => ctx.deps.db.select().from(followUpTermResults).where(eq(followUpTermResults.followUpId, f.id)).orderBy(asc(followUpTermResults.termNo)),
    }),
  }),
});

/** The follow-ups of a page of cases the viewer may see, in one query. */
const followUpsOfCases = preparedPerShape((db, s: ViewerShape, ids) => {
  const rule = CASE_RECORDS.followUps.rule(s);
  return unlessNeverVisible(rule, () =>
    db.select().from(followUps).where(and(ids(followUps.caseId), rule)).orderBy(asc(followUps.dueAt), asc(followUps.id)).prepare('follow_ups_by_case'),
  );
});
const followUpsByCase = groupedLoader(
  async (ctx, caseIds) => followUpsOfCases.byIds(ctx.deps.db, shapeOf(ctx.viewer, await regionScope(ctx)), caseIds),
  (f) => f.caseId,
  'followUps',
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
const AnswerTermInput = builder.inputType('FollowUpAnswerTermInput', {
  fields: (t) => ({
    termNo: t.int({ required: true, description: 'The term’s position in the agreement, from 1.' }),
    performance: t.field({ type: PartyTermPerformanceEnum, required: true }),
    note: t.string({ description: 'A short note, at most 200 characters.' }),
  }),
});
const AnswerInput = builder.inputType('AnswerFollowUpInput', {
  fields: (t) => ({
    followUpId: t.id({ required: true, description: 'A scheduled follow-up of a case of the viewer’s.' }),
    terms: t.field({ type: [AnswerTermInput], required: true, description: 'Every term of the agreement, once.' }),
    satisfaction: t.int({ required: true, description: '1 to 5.' }),
    comment: t.string(),
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
  answerFollowUp: t.field({
    description: 'A party answers a scheduled follow-up itself (once); the mediator still records the follow-up.',
    type: builder.objectRef<AnsweredFollowUp>('AnswerFollowUpSuccess').implement({
      fields: (f) => ({
        // The answering party reads its own rating.
        answer: f.field({ type: FollowUpAnswerRef, resolve: (p) => ({ answer: p.answer, rating: p.rating, ratingVisible: true }) }),
        followUp: f.field({ type: FollowUpRef, resolve: (p) => p.followUp }),
      }),
    }),
    errors: { union: { name: 'AnswerFollowUpResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: AnswerInput, required: true }) },
    resolve: (_p, { input }, ctx) =>
      answerFollowUp(ctx.deps, ctx.actor, {
        followUpId: localId(String(input.followUpId), 'FollowUp', 'followUpId'),
        terms: input.terms,
        satisfaction: input.satisfaction,
        comment: input.comment,
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
