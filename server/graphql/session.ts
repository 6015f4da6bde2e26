import { encodeGlobalID } from '@pothos/plugin-relay';
import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { and, asc, eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import {
  caseTerminations,
  cases,
  mediationExtensions,
  mediationSessions,
  sessionMinutesConfirmations,
  undisputedFactConfirmations,
  undisputedFacts,
} from '../../schema';
import { partiesOfViewer, viewerMediatorId, visibleCases, withinCourtWindow, type CaseRow } from '../domain/cases/case-access';
import { addUndisputedFact, type UndisputedFactRow } from '../domain/sessions/add-undisputed-fact';
import { cancelSession } from '../domain/sessions/cancel-session';
import { confirmMinutes } from '../domain/sessions/confirm-minutes';
import { confirmUndisputedFact } from '../domain/sessions/confirm-undisputed-fact';
import { consentToExtension } from '../domain/sessions/consent-to-extension';
import { consentToSeparateSessions } from '../domain/sessions/consent-to-separate-sessions';
import { discloseConflict } from '../domain/sessions/disclose-conflict';
import { joinSession, type JoinResult } from '../domain/sessions/join-session';
import { postSessionMessage } from '../domain/sessions/post-session-message';
import { requestAnotherMediator } from '../domain/sessions/request-another-mediator';
import { requestExtension, type ExtensionRow } from '../domain/sessions/request-extension';
import { rescheduleSession } from '../domain/sessions/reschedule-session';
import { scheduleSession, SESSION_KINDS, SESSION_MODES } from '../domain/sessions/schedule-session';
import {
  participantRole,
  participantStanding,
  roomMessagesAfter,
  roomMessagesAfterMany,
  type MessageRow,
  type SessionRow,
} from '../domain/sessions/session-access';
import { terminateMediation, TERMINATION_GROUNDS } from '../domain/sessions/terminate-mediation';
import { updateMinutes } from '../domain/sessions/update-minutes';
import { updatePresence } from '../domain/sessions/update-presence';
import { rowOf, type Database } from '../db';
import { sessionIsLive } from '../domain/auth/sessions';
import { requireUser } from '../domain/auth/policy';
import { preparedPerDatabase, preparedPerShape } from '../db-prepared';
import { shapeOf, type ViewerShape } from '../domain/access/viewer-shape';
import { visibleExtensions, visibleTerminations } from '../domain/access/case';
import { cancelReasonAsSeenBy, extensionReasonAsSeenBy, terminationAsSeenBy } from '../domain/litigation/court-view';
import { CASE_RECORDS, groupedLoader, partiesByCase, visibleCaseHeads } from './batch';
import { builder } from './builder';
import { CaseRef } from './case';
import type { GraphQLContext } from './context';
import { localId } from './ids';
import { publishRoomMessage, roomPubSub, toRoomEvent, type RoomEvent } from './pubsub';

export const SessionModeEnum = builder.enumType('SessionMode', { values: SESSION_MODES });
export const SessionKindEnum = builder.enumType('SessionKind', {
  description: 'The "four consultations" (四诊疗法): OFFICE_HOURS 坐班门诊, VILLAGE_VISIT 进村出诊, JOINT 集体会诊, HOME_FOLLOW_UP 上门复诊.',
  values: SESSION_KINDS,
});
const SessionStatusEnum = builder.enumType('SessionStatus', { values: ['SCHEDULED', 'CANCELLED'] as const });
export const TerminationGroundEnum = builder.enumType('TerminationGround', { values: TERMINATION_GROUNDS });
const SessionMessageKindEnum = builder.enumType('SessionMessageKind', { values: ['CHAT', 'PROPOSAL', 'PRESENCE', 'MINUTES'] as const });
const PostableMessageKindEnum = builder.enumType('PostableMessageKind', { values: ['CHAT', 'PROPOSAL'] as const });
const ExtensionStatusEnum = builder.enumType('ExtensionStatus', { values: ['PENDING', 'GRANTED', 'REFUSED'] as const });
const IdentityCheckMethodEnum = builder.enumType('IdentityCheckMethod', { values: ['PASSWORD', 'ID_NUMBER_LAST4', 'NONE'] as const });

/** The viewer's mediator row id, read once per request (null for anyone not a mediator). */
const myMediatorId = createContextCache((ctx: GraphQLContext): Promise<string | null> => {
  const v = ctx.viewer;
  if (v?.kind !== 'user' || v.role !== 'MEDIATOR') return Promise.resolve(null);
  return viewerMediatorId(ctx.deps.db, v);
});

/**
 * The viewer's participant role in a session, or null (also for anyone who cannot see it). The
 * standing it rests on is read for a whole page at once: the visible cases, their parties and the
 * viewer's mediator row, each in one query per request, however many sessions and fields ask.
 */
async function roleIn(ctx: GraphQLContext, s: SessionRow): Promise<'MEDIATOR' | 'PARTY' | null> {
  if (ctx.viewer?.kind !== 'user') return null;
  const [head, parties, mediatorId] = await Promise.all([visibleCaseHeads(ctx).load(s.caseId), partiesByCase(ctx).load(s.caseId), myMediatorId(ctx)]);
  if (!head) return null;
  const standing = { myParties: partiesOfViewer(parties, ctx.viewer), isMediator: head.mediatorId !== null && head.mediatorId === mediatorId };
  return participantRole(standing, s).role;
}

/** Room messages of a page of sessions in one query, per distinct (after, first) arguments. */
const roomMessageLoaders = createContextCache((_ctx: GraphQLContext) => new Map<string, DataLoader<string, MessageRow[]>>());
function roomMessages(ctx: GraphQLContext, after: number, first: number): DataLoader<string, MessageRow[]> {
  const loaders = roomMessageLoaders(ctx);
  const key = `${after}:${first}`;
  let loader = loaders.get(key);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const bySession = await roomMessagesAfterMany(ctx.deps.db, ids, after, first);
      return ids.map((id) => bySession.get(id) ?? []);
    });
    loaders.set(key, loader);
  }
  return loader;
}

/** Who confirmed each undisputed fact, for every fact of a page in one query. */
const factConfirmations = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<string, { partyId: string }[]>(async (factIds) => {
      const rows = await ctx.deps.db
        .select({ factId: undisputedFactConfirmations.factId, partyId: undisputedFactConfirmations.partyId })
        .from(undisputedFactConfirmations)
        .where(inArray(undisputedFactConfirmations.factId, [...factIds]));
      return factIds.map((id) => rows.filter((r) => r.factId === id));
    }),
);

/** Sessions load through their case's visibility rule. */
export const SessionRef = builder.loadableNodeRef('Session', {
  id: { resolve: (s: SessionRow) => s.id },
  load: async (ids: string[], ctx: GraphQLContext) => {
    const rows = await ctx.deps.db
      .select({ session: mediationSessions })
      .from(mediationSessions)
      .innerJoin(cases, eq(cases.id, mediationSessions.caseId))
      .where(and(inArray(mediationSessions.id, ids), visibleCases(ctx.viewer), withinCourtWindow(ctx.viewer, mediationSessions.caseId, mediationSessions.createdAt)));
    const byId = new Map(rows.map((r) => [r.session.id, r.session]));
    return ids.map((id) => byId.get(id) ?? null) as SessionRow[];
  },
});

const SessionMessageRef = builder.objectRef<RoomEvent>('SessionMessage').implement({
  description: 'Something that happened in the live room, numbered per session (the `after` cursor).',
  fields: (t) => ({
    id: t.exposeID('id'),
    seq: t.exposeInt('seq'),
    kind: t.field({ type: SessionMessageKindEnum, resolve: (m) => m.kind as 'CHAT' }),
    body: t.exposeString('body', { description: 'Chat or proposal text; JOINED/LEFT for presence; the minutes text for MINUTES.' }),
    data: t.string({ description: 'Details as JSON, e.g. {"version":3} for MINUTES.', resolve: (m) => JSON.stringify(m.data) }),
    authorName: t.exposeString('authorName', { nullable: true }),
    authorRole: t.exposeString('authorRole', { nullable: true }),
    authorUserId: t.exposeString('authorUserId', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (m) => new Date(m.createdAt) }),
  }),
});

type ConfirmationRow = typeof sessionMinutesConfirmations.$inferSelect;
/** The order confirmations are read in: when they were given, then by party and version. */
const confirmationOrder = [sessionMinutesConfirmations.confirmedAt, sessionMinutesConfirmations.partyId, sessionMinutesConfirmations.version];
/** The minutes' confirmations of a page of sessions, in the order they were given. */
const confirmationsOfSessions = preparedPerDatabase((db, ids) =>
  db
    .select()
    .from(sessionMinutesConfirmations)
    .where(ids(sessionMinutesConfirmations.sessionId))
    .orderBy(...confirmationOrder.map((column) => asc(column)))
    .prepare('minutes_confirmations_by_session'),
);
const confirmationsBySession = groupedLoader((ctx, sessionIds) => confirmationsOfSessions.byIds(ctx.deps.db, sessionIds), (r) => r.sessionId);

/**
 * A session's minutes' confirmations as JSON rows (keyed by column name, as `rowOf` reads them), in
 * the order they were given: a column of the read of a case's sessions, so that the case page has
 * them without another round trip to the database. The subquery is a fragment of its own so that
 * drizzle writes its columns with their tables: in a read of one table it writes the columns of a
 * selected expression bare, and a column both tables have would then name the wrong one.
 */
const confirmationsColumn = (() => {
  const c = sessionMinutesConfirmations;
  const subquery = sql`(select coalesce(json_agg(${c} order by ${sql.join(confirmationOrder, sql`, `)}), '[]'::json) from ${c} where ${c.sessionId} = ${mediationSessions.id})`;
  return sql<Record<string, unknown>[]>`${subquery}`;
})();
/** A session read with its case's sessions: its minutes' confirmations come with it. */
type SessionWithConfirmations = SessionRow & { minutesConfirmations?: Record<string, unknown>[] };
const MinutesConfirmationRef = builder.objectRef<ConfirmationRow>('MinutesConfirmation').implement({
  fields: (t) => ({
    partyId: t.exposeID('partyId'),
    version: t.exposeInt('version'),
    confirmedAt: t.field({ type: 'DateTime', resolve: (c) => c.confirmedAt }),
  }),
});

const SessionMinutesRef = builder.objectRef<SessionRow>('SessionMinutes').implement({
  description: '调解笔录: kept by the mediator, confirmed by each participating party, then locked.',
  fields: (t) => ({
    text: t.exposeString('minutesText'),
    version: t.exposeInt('minutesVersion'),
    lockedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.minutesLockedAt }),
    sha256: t.exposeString('minutesSha256', { nullable: true, description: 'SHA-256 of the locked text, as recorded in the case events.' }),
    confirmations: t.field({
      type: [MinutesConfirmationRef],
      // Carried by a session read with its case's sessions; else read for every session of the page at once.
      resolve: (s: SessionWithConfirmations, _a, ctx) =>
        s.minutesConfirmations?.map((raw) => rowOf(sessionMinutesConfirmations, raw)) ?? confirmationsBySession(ctx).load(s.id),
    }),
  }),
});

SessionRef.implement({
  fields: (t) => ({
    case: t.field({ type: CaseRef, resolve: (s) => s.caseId }),
    kind: t.field({ type: SessionKindEnum, resolve: (s) => s.kind as (typeof SESSION_KINDS)[number] }),
    mode: t.field({ type: SessionModeEnum, resolve: (s) => s.mode as (typeof SESSION_MODES)[number] }),
    status: t.field({ type: SessionStatusEnum, resolve: (s) => s.status as 'SCHEDULED' | 'CANCELLED' }),
    startsAt: t.field({ type: 'DateTime', resolve: (s) => s.startsAt }),
    place: t.exposeString('place', { nullable: true }),
    meetingUrl: t.string({ nullable: true, description: 'Participants only.', resolve: async (s, _a, ctx) => ((await roleIn(ctx, s)) ? s.meetingUrl : null) }),
    participantPartyIds: t.idList({ description: 'CaseParty ids taking part.', resolve: (s) => s.participantPartyIds }),
    separate: t.boolean({ description: '背对背: only some of the parties take part.', resolve: async (s, _a, ctx) => s.participantPartyIds.length < (await partiesByCase(ctx).load(s.caseId)).length }),
    cancelReason: t.string({ nullable: true, description: 'Null for a court client: it reads that the session was cancelled, not why.', resolve: (s, _a, ctx) => cancelReasonAsSeenBy(ctx.viewer, s) }),
    minutes: t.field({
      type: SessionMinutesRef,
      nullable: true,
      description: 'Participants only.',
      resolve: async (s, _a, ctx) => ((await roleIn(ctx, s)) ? s : null),
    }),
    messages: t.field({
      type: [SessionMessageRef],
      description: 'The stored room, oldest first (participants only; empty for others).',
      args: { after: t.arg.int({ defaultValue: 0 }), first: t.arg.int({ defaultValue: 200 }) },
      resolve: async (s, args, ctx) => {
        if (!(await roleIn(ctx, s))) return [];
        const rows = await roomMessages(ctx, args.after ?? 0, Math.min(Math.max(args.first ?? 200, 1), 1000)).load(s.id);
        return rows.map(toRoomEvent);
      },
    }),
  }),
});

const UndisputedFactRef = builder.objectRef<UndisputedFactRow>('UndisputedFact').implement({
  description: 'A fact the parties do not dispute (OMR 22); only facts every party confirmed go to a court (OMR 18, 21).',
  fields: (t) => ({
    id: t.id({ resolve: (f) => encodeGlobalID('UndisputedFact', f.id) }),
    text: t.exposeString('text'),
    createdAt: t.field({ type: 'DateTime', resolve: (f) => f.createdAt }),
    confirmedPartyIds: t.idList({
      resolve: async (f, _a, ctx) => (await factConfirmations(ctx).load(f.id)).map((r) => r.partyId),
    }),
  }),
});

const ExtensionAnswerRef = builder.objectRef<ExtensionRow['answers'][number]>('ExtensionAnswer').implement({
  fields: (t) => ({
    partyId: t.exposeID('partyId'),
    consent: t.exposeBoolean('consent'),
    at: t.field({ type: 'DateTime', resolve: (a) => new Date(a.at) }),
  }),
});

const ExtensionRef = builder.objectRef<ExtensionRow>('MediationExtension').implement({
  description: 'A request to extend the mediation time limit: granted only with every party’s consent (OMR 26, SIM 27).',
  fields: (t) => ({
    id: t.id({ resolve: (e) => encodeGlobalID('MediationExtension', e.id) }),
    days: t.exposeInt('days'),
    reason: t.string({ description: 'A court client reads that an extension was asked, and for how long, not the words of the request.', resolve: (e, _a, ctx) => extensionReasonAsSeenBy(ctx.viewer, e) }),
    status: t.field({ type: ExtensionStatusEnum, resolve: (e) => e.status as 'PENDING' }),
    answers: t.field({ type: [ExtensionAnswerRef], resolve: (e) => e.answers }),
    previousDueAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => e.previousDueAt }),
    newDueAt: t.field({ type: 'DateTime', nullable: true, resolve: (e) => e.newDueAt }),
    requestedAt: t.field({ type: 'DateTime', resolve: (e) => e.requestedAt }),
  }),
});

type TerminationRow = typeof caseTerminations.$inferSelect;
const FailureReportRef = builder.objectRef<TerminationRow['failureReport']>('TerminationFailureReport').implement({
  fields: (t) => ({
    why: t.exposeString('why'),
    undisputedFacts: t.exposeStringList('undisputedFacts'),
    notesForCourt: t.exposeString('notesForCourt', { nullable: true }),
    routes: t.exposeStringList('routes', { description: 'The routes open to the parties (PML 26).' }),
  }),
});
const TerminationRef = builder.objectRef<TerminationRow>('CaseTermination').implement({
  fields: (t) => ({
    ground: t.field({ type: TerminationGroundEnum, resolve: (r) => r.ground as (typeof TERMINATION_GROUNDS)[number] }),
    note: t.exposeString('note', { nullable: true }),
    failureReport: t.field({ type: FailureReportRef, resolve: (r) => r.failureReport }),
    terminatedAt: t.field({ type: 'DateTime', resolve: (r) => r.terminatedAt }),
  }),
});

const IdentityCheckRef = builder.objectRef<JoinResult['identityCheck']>('IdentityCheck').implement({
  fields: (t) => ({
    method: t.field({ type: IdentityCheckMethodEnum, resolve: (c) => c.method }),
    passed: t.exposeBoolean('passed'),
  }),
});
const SessionJoinRef = builder.objectRef<JoinResult>('SessionJoin').implement({
  description: 'How to enter a video session: the URL and, with LiveKit, a short-lived access token.',
  fields: (t) => ({
    session: t.field({ type: SessionRef, resolve: (j) => j.session }),
    provider: t.string({ resolve: (j) => j.details.provider }),
    url: t.string({ resolve: (j) => j.details.url }),
    token: t.string({ nullable: true, resolve: (j) => j.details.token ?? null }),
    roomName: t.exposeString('roomName'),
    expiresAt: t.field({ type: 'DateTime', resolve: (j) => j.details.expiresAt }),
    identityCheck: t.field({ type: IdentityCheckRef, resolve: (j) => j.identityCheck }),
  }),
});

const factsOfCases = preparedPerShape((db, s: ViewerShape, ids) =>
  db
    .select()
    .from(undisputedFacts)
    .where(and(ids(undisputedFacts.caseId), CASE_RECORDS.undisputedFacts.rule(s)))
    .orderBy(asc(undisputedFacts.createdAt), asc(undisputedFacts.id))
    .prepare('facts_by_case'),
);
/** The facts of a page of cases, read only for the cases holding any the viewer may see (`casesHolding`). */
const factsByCase = groupedLoader((ctx, caseIds) => factsOfCases.byIds(ctx.deps.db, shapeOf(ctx.viewer), caseIds), (r) => r.caseId, 'undisputedFacts');
const extensionsOfCases = preparedPerShape((db, s: ViewerShape, ids) =>
  db.select().from(mediationExtensions).where(and(ids(mediationExtensions.caseId), visibleExtensions(s.viewer))).orderBy(asc(mediationExtensions.requestedAt), asc(mediationExtensions.id)).prepare('extensions_by_case'),
);
const sessionsOfCases = preparedPerShape((db, s: ViewerShape, ids) =>
  db
    .select({ ...getTableColumns(mediationSessions), minutesConfirmations: confirmationsColumn })
    .from(mediationSessions)
    .where(and(ids(mediationSessions.caseId), withinCourtWindow(s.viewer, mediationSessions.caseId, mediationSessions.createdAt)))
    .orderBy(asc(mediationSessions.startsAt))
    .prepare('sessions_by_case'),
);
/** The terminations of a page of cases in one query. */
const terminationsByCase = groupedLoader(
  (ctx, caseIds) => ctx.deps.db.select().from(caseTerminations).where(and(inArray(caseTerminations.caseId, caseIds), visibleTerminations(ctx.viewer))),
  (r) => r.caseId,
);

builder.objectFields(CaseRef, (t) => ({
  // List fields load for every case of a page in one query (grouped by case), not one per case.
  sessions: t.loadableGroup({
    type: SessionRef,
    load: (caseIds: string[], ctx: GraphQLContext) => sessionsOfCases.byIds(ctx.deps.db, shapeOf(ctx.viewer), caseIds),
    // The loader returns rows, never bare ids (the node ref's shape admits both).
    group: (r) => (r as SessionRow).caseId,
    resolve: (c: CaseRow) => c.id,
  }),
  termination: t.field({
    type: TerminationRef,
    nullable: true,
    resolve: async (c: CaseRow, _a, ctx) => {
      const termination = (await terminationsByCase(ctx).load(c.id))[0] ?? null;
      return termination && terminationAsSeenBy(ctx.viewer, termination);
    },
  }),
  undisputedFacts: t.field({
    type: [UndisputedFactRef],
    resolve: (c: CaseRow, _a, ctx) => factsByCase(ctx).load(c.id),
  }),
  extensions: t.loadableGroup({
    type: ExtensionRef,
    load: (caseIds: string[], ctx: GraphQLContext) => extensionsOfCases.byIds(ctx.deps.db, shapeOf(ctx.viewer), caseIds),
    group: (r) => r.caseId,
    resolve: (c: CaseRow) => c.id,
  }),
}));

// ---- mutations -------------------------------------------------------------------------------

const success = <T extends object, K extends string>(name: string, field: K, type: any) =>
  builder.objectRef<Record<K, T>>(name).implement({ fields: (t) => ({ [field]: t.field({ type, resolve: (p: Record<K, T>) => p[field] as any }) }) as any });

const caseId = (id: string | number) => localId(String(id), 'Case', 'caseId');
const sessionId = (id: string | number) => localId(String(id), 'Session', 'sessionId');

const ScheduleSessionInput = builder.inputType('ScheduleSessionInput', {
  fields: (t) => ({
    caseId: t.id({ required: true }),
    startsAt: t.field({ type: 'DateTime', required: true }),
    mode: t.field({ type: SessionModeEnum, required: true }),
    kind: t.field({ type: SessionKindEnum, description: 'Default OFFICE_HOURS.' }),
    place: t.string({ description: 'Required for ON_SITE.' }),
    participants: t.idList({ description: 'CaseParty ids; default all. Fewer than all is a separate session (背对背) and needs each participating party’s consent.' }),
    meetingUrl: t.string({ description: 'An https link to an external meeting (required for VIDEO without LiveKit).' }),
  }),
});
const RescheduleSessionInput = builder.inputType('RescheduleSessionInput', {
  fields: (t) => ({
    sessionId: t.id({ required: true }),
    startsAt: t.field({ type: 'DateTime', required: true }),
    reason: t.string({ required: true }),
    mode: t.field({ type: SessionModeEnum }),
    place: t.string(),
    meetingUrl: t.string(),
  }),
});
const CancelSessionInput = builder.inputType('CancelSessionInput', {
  fields: (t) => ({ sessionId: t.id({ required: true }), reason: t.string({ required: true }) }),
});
const CaseOnlyInput = (name: string) => builder.inputType(name, { fields: (t) => ({ caseId: t.id({ required: true }) }) });
const JoinSessionInput = builder.inputType('JoinSessionInput', {
  fields: (t) => ({
    sessionId: t.id({ required: true }),
    password: t.string({ description: 'A party re-enters their password (OMR 17 identity re-check)…' }),
    idNumberLast4: t.string({ description: '…or the last 4 characters of their ID number.' }),
  }),
});
const PostSessionMessageInput = builder.inputType('PostSessionMessageInput', {
  fields: (t) => ({ sessionId: t.id({ required: true }), body: t.string({ required: true }), kind: t.field({ type: PostableMessageKindEnum, description: 'Default CHAT.' }) }),
});
const UpdatePresenceInput = builder.inputType('UpdatePresenceInput', {
  fields: (t) => ({ sessionId: t.id({ required: true }), present: t.boolean({ required: true }) }),
});
const UpdateMinutesInput = builder.inputType('UpdateMinutesInput', {
  fields: (t) => ({ sessionId: t.id({ required: true }), text: t.string({ required: true }), expectedVersion: t.int({ description: 'The version edited; a different stored version is a ConflictError.' }) }),
});
const ConfirmMinutesInput = builder.inputType('ConfirmMinutesInput', {
  fields: (t) => ({ sessionId: t.id({ required: true }), version: t.int({ required: true, description: 'The version the party read.' }) }),
});
const AddUndisputedFactInput = builder.inputType('AddUndisputedFactInput', {
  fields: (t) => ({ caseId: t.id({ required: true }), text: t.string({ required: true }), sessionId: t.id() }),
});
const ConfirmUndisputedFactInput = builder.inputType('ConfirmUndisputedFactInput', { fields: (t) => ({ factId: t.id({ required: true }) }) });
const DiscloseConflictInput = builder.inputType('DiscloseConflictInput', {
  fields: (t) => ({ caseId: t.id({ required: true }), description: t.string({ required: true }) }),
});
const RequestAnotherMediatorInput = builder.inputType('RequestAnotherMediatorInput', {
  fields: (t) => ({ caseId: t.id({ required: true }), reason: t.string({ required: true }) }),
});
const RequestExtensionInput = builder.inputType('RequestExtensionInput', {
  fields: (t) => ({ caseId: t.id({ required: true }), days: t.int({ required: true }), reason: t.string({ required: true }) }),
});
const ConsentToExtensionInput = builder.inputType('ConsentToExtensionInput', {
  fields: (t) => ({ extensionId: t.id({ required: true }), consent: t.boolean({ required: true, description: 'false refuses the extension.' }) }),
});
const TerminateMediationInput = builder.inputType('TerminateMediationInput', {
  fields: (t) => ({
    caseId: t.id({ required: true }),
    ground: t.field({ type: TerminationGroundEnum, required: true }),
    note: t.string(),
    escalate: t.boolean({ description: 'People’s mediation below county level: go one level up instead of failing.' }),
    notesForCourt: t.string(),
  }),
});

const sessionSuccess = (name: string) => success<SessionRow, 'session'>(name, 'session', SessionRef);
const caseSuccess = (name: string) => success<CaseRow, 'case'>(name, 'case', CaseRef);
const messageSuccess = (name: string) => success<RoomEvent, 'roomMessage'>(name, 'roomMessage', SessionMessageRef);

builder.mutationFields((t) => ({
  scheduleSession: t.field({
    type: sessionSuccess('ScheduleSessionSuccess'),
    errors: { union: { name: 'ScheduleSessionResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: ScheduleSessionInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      session: await scheduleSession(ctx.deps, ctx.actor, {
        ...input,
        caseId: caseId(input.caseId),
        kind: input.kind ?? undefined,
        participants: input.participants?.map(String) ?? null,
      }),
    }),
  }),
  rescheduleSession: t.field({
    type: sessionSuccess('RescheduleSessionSuccess'),
    errors: { union: { name: 'RescheduleSessionResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: RescheduleSessionInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ session: await rescheduleSession(ctx.deps, ctx.actor, { ...input, sessionId: sessionId(input.sessionId) }) }),
  }),
  cancelSession: t.field({
    type: sessionSuccess('CancelSessionSuccess'),
    errors: { union: { name: 'CancelSessionResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: CancelSessionInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ session: await cancelSession(ctx.deps, ctx.actor, { ...input, sessionId: sessionId(input.sessionId) }) }),
  }),
  consentToSeparateSessions: t.field({
    type: caseSuccess('ConsentToSeparateSessionsSuccess'),
    errors: { union: { name: 'ConsentToSeparateSessionsResult' } },
    authScopes: { loggedIn: true },
    description: 'A party consents to separate sessions with one side only (背对背).',
    args: { input: t.arg({ type: CaseOnlyInput('ConsentToSeparateSessionsInput'), required: true }) },
    resolve: async (_p, { input }, ctx) => ({ case: await consentToSeparateSessions(ctx.deps, ctx.actor, { caseId: caseId(input.caseId) }) }),
  }),
  joinSession: t.field({
    type: success<JoinResult, 'join'>('JoinSessionSuccess', 'join', SessionJoinRef),
    errors: { union: { name: 'JoinSessionResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: JoinSessionInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ join: await joinSession(ctx.deps, ctx.actor, { ...input, sessionId: sessionId(input.sessionId) }) }),
  }),
  postSessionMessage: t.field({
    type: messageSuccess('PostSessionMessageSuccess'),
    errors: { union: { name: 'PostSessionMessageResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: PostSessionMessageInput, required: true }) },
    resolve: async (_p, { input }, ctx) => {
      const row = await postSessionMessage(ctx.deps, ctx.actor, { ...input, kind: input.kind ?? undefined, sessionId: sessionId(input.sessionId) });
      publishRoomMessage(ctx.deps.config, row);
      return { roomMessage: toRoomEvent(row) };
    },
  }),
  updatePresence: t.field({
    type: messageSuccess('UpdatePresenceSuccess'),
    errors: { union: { name: 'UpdatePresenceResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: UpdatePresenceInput, required: true }) },
    resolve: async (_p, { input }, ctx) => {
      const row = await updatePresence(ctx.deps, ctx.actor, { ...input, sessionId: sessionId(input.sessionId) });
      publishRoomMessage(ctx.deps.config, row);
      return { roomMessage: toRoomEvent(row) };
    },
  }),
  updateMinutes: t.field({
    type: sessionSuccess('UpdateMinutesSuccess'),
    errors: { union: { name: 'UpdateMinutesResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: UpdateMinutesInput, required: true }) },
    resolve: async (_p, { input }, ctx) => {
      const { session, message } = await updateMinutes(ctx.deps, ctx.actor, { ...input, sessionId: sessionId(input.sessionId) });
      publishRoomMessage(ctx.deps.config, message);
      return { session };
    },
  }),
  confirmMinutes: t.field({
    type: sessionSuccess('ConfirmMinutesSuccess'),
    errors: { union: { name: 'ConfirmMinutesResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: ConfirmMinutesInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ session: await confirmMinutes(ctx.deps, ctx.actor, { ...input, sessionId: sessionId(input.sessionId) }) }),
  }),
  addUndisputedFact: t.field({
    type: success<UndisputedFactRow, 'fact'>('AddUndisputedFactSuccess', 'fact', UndisputedFactRef),
    errors: { union: { name: 'AddUndisputedFactResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: AddUndisputedFactInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      fact: await addUndisputedFact(ctx.deps, ctx.actor, { ...input, caseId: caseId(input.caseId), sessionId: input.sessionId ? sessionId(input.sessionId) : null }),
    }),
  }),
  confirmUndisputedFact: t.field({
    type: success<UndisputedFactRow, 'fact'>('ConfirmUndisputedFactSuccess', 'fact', UndisputedFactRef),
    errors: { union: { name: 'ConfirmUndisputedFactResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: ConfirmUndisputedFactInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      fact: await confirmUndisputedFact(ctx.deps, ctx.actor, { factId: localId(String(input.factId), 'UndisputedFact', 'factId') }),
    }),
  }),
  discloseConflict: t.field({
    type: caseSuccess('DiscloseConflictSuccess'),
    errors: { union: { name: 'DiscloseConflictResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: DiscloseConflictInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ case: await discloseConflict(ctx.deps, ctx.actor, { ...input, caseId: caseId(input.caseId) }) }),
  }),
  requestAnotherMediator: t.field({
    type: caseSuccess('RequestAnotherMediatorSuccess'),
    errors: { union: { name: 'RequestAnotherMediatorResult' } },
    authScopes: { loggedIn: true },
    description: 'OMR 13–14: re-assigns within the organisation; a party’s second refusal ends mediation.',
    args: { input: t.arg({ type: RequestAnotherMediatorInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ case: await requestAnotherMediator(ctx.deps, ctx.actor, { ...input, caseId: caseId(input.caseId) }) }),
  }),
  requestExtension: t.field({
    type: success<ExtensionRow, 'extension'>('RequestExtensionSuccess', 'extension', ExtensionRef),
    errors: { union: { name: 'RequestExtensionResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: RequestExtensionInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ extension: await requestExtension(ctx.deps, ctx.actor, { ...input, caseId: caseId(input.caseId) }) }),
  }),
  consentToExtension: t.field({
    type: success<ExtensionRow, 'extension'>('ConsentToExtensionSuccess', 'extension', ExtensionRef),
    errors: { union: { name: 'ConsentToExtensionResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: ConsentToExtensionInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      extension: await consentToExtension(ctx.deps, ctx.actor, { ...input, extensionId: localId(String(input.extensionId), 'MediationExtension', 'extensionId') }),
    }),
  }),
  terminateMediation: t.field({
    type: caseSuccess('TerminateMediationSuccess'),
    errors: { union: { name: 'TerminateMediationResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: TerminateMediationInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ case: await terminateMediation(ctx.deps, ctx.actor, { ...input, caseId: caseId(input.caseId) }) }),
  }),
}));

// ---- the live room ---------------------------------------------------------------------------

/** What keeps a live stream tied to the login that opened it. */
interface StreamGuard {
  /** Settles when a revocation signal arrives and the stream's login no longer stands. */
  revoked: Promise<void>;
  /** Whether the stream's login still stands (not logged out, revoked or expired). */
  stillLive(): Promise<boolean>;
  stop(): Promise<void>;
}

const REVOKED: unique symbol = Symbol('revoked');

/**
 * Listens for revocations of the viewer's sessions (published on logout, password change and reset,
 * through Redis when several instances run) and re-checks the stream's own session on each.
 */
function guardSession(ctx: GraphQLContext, userId: string, sessionId: string): StreamGuard {
  // Every subscriber of a room checks when a message arrives: one statement for all of them.
  const stillLive = () => sessionIsLive(ctx.deps, sessionId);
  const signals = roomPubSub(ctx.deps.config).subscribe('sessionsRevoked', userId)[Symbol.asyncIterator]();
  const revoked = (async () => {
    for (;;) {
      const signal = await signals.next();
      // Stopped with the stream: never settles, the stream has ended anyway.
      if (signal.done) return new Promise<void>(() => {});
      if (!(await stillLive())) return;
    }
  })();
  return { revoked, stillLive, stop: async () => void (await signals.return?.()) };
}

/**
 * Replays stored messages after the cursor, then follows the live feed. The feed is listened to
 * before the replay is read, so nothing falls between the two; duplicates are skipped by sequence,
 * and a gap (messages published out of commit order) is filled from the database. The stream ends
 * as soon as its login is logged out or revoked, and never delivers a message after that: the
 * session is checked again before each live message, in case a revocation signal was missed.
 */
async function* roomStream(
  db: Database,
  id: string,
  after: number,
  live: AsyncIterator<RoomEvent>,
  pending: Promise<IteratorResult<RoomEvent>>,
  guard: StreamGuard,
) {
  let last = after;
  const catchUp = async function* () {
    for (;;) {
      const rows = await roomMessagesAfter(db, id, last);
      for (const row of rows) {
        last = row.seq;
        yield toRoomEvent(row);
      }
      if (rows.length < 1000) return;
    }
  };
  const revoked = guard.revoked.then((): typeof REVOKED => REVOKED);
  try {
    // A logout between the request's authentication and the signal subscription is caught here.
    if (!(await guard.stillLive())) return;
    yield* catchUp();
    for (;;) {
      const next = await Promise.race([pending, revoked]);
      if (next === REVOKED || next.done) return;
      pending = live.next();
      const event = next.value;
      if (event.seq <= last) continue;
      if (!(await guard.stillLive())) return;
      if (event.seq > last + 1) {
        yield* catchUp();
        continue;
      }
      last = event.seq;
      yield event;
    }
  } finally {
    await Promise.all([live.return?.(), guard.stop()]);
  }
}

builder.subscriptionFields((t) => ({
  sessionRoom: t.field({
    type: SessionMessageRef,
    description: 'The live room of a session (participants only): chat, proposals, presence and minute updates. Pass the last `seq` seen as `after` to replay what was missed.',
    authScopes: { loggedIn: true },
    args: { sessionId: t.arg.id({ required: true }), after: t.arg.int({ defaultValue: 0 }) },
    subscribe: async (_root, args, ctx) => {
      const id = sessionId(args.sessionId);
      await participantStanding(ctx.deps, ctx.actor, id);
      const viewer = requireUser(ctx.actor);
      const guard = guardSession(ctx, viewer.userId, viewer.sessionId);
      const live = roomPubSub(ctx.deps.config).subscribe('sessionRoom', id)[Symbol.asyncIterator]();
      const pending = live.next();
      return roomStream(ctx.deps.db, id, Math.max(args.after ?? 0, 0), live, pending, guard);
    },
    resolve: (event: RoomEvent) => event,
  }),
}));
