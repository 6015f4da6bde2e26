import { and, asc, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { caseAssignments, cases, caseStatus, events } from '../../schema';
import { verifyChain, type EventRow } from '../domain/audit/record-event';
import { caseOverdue, caseStanding, eventOriginAccess, partyFieldAccess, readField, shapeOf, visibleAssignments, visibleCases, withinCourtWindow, type CaseRow, type PartyRow, type ViewerShape } from '../domain/access';
import { acceptAssignment } from '../domain/cases/accept-assignment';
import { adjustRisk } from '../domain/cases/adjust-risk';
import { declineAssignment } from '../domain/cases/decline-assignment';
import { fileDispute } from '../domain/cases/file-dispute';
import { respondToMediation } from '../domain/cases/respond-to-mediation';
import { CONTACT_METHODS, recordRespondentContact } from '../domain/cases/record-respondent-contact';
import { appointAgent } from '../domain/cases/appoint-agent';
import { chooseMediator } from '../domain/cases/choose-mediator';
import { setDiversionRules, type DiversionRuleRow } from '../domain/cases/set-diversion-rule';
import { CASE_STATUSES } from '../domain/cases/state-machine';
import { transferCase } from '../domain/cases/transfer-case';
import { withdrawCase } from '../domain/cases/withdraw-case';
import { openCaseContent } from '../domain/cases/open-case-content';
import { resumeMediation } from '../domain/cases/resume-mediation';
import { decrypt } from '../domain/auth/crypto';
import { ValidationError } from '../domain/errors';
import { assignmentAsSeenBy, courtViewOfEventData, routingAsSeenBy } from '../domain/litigation/court-view';
import { maskPhone } from '../domain/validation';
import { caseHeads, groupedLoader, partiesByCase, primeCaseHeads } from './batch';
import { builder } from './builder';
import type { GraphQLContext } from './context';
import { localId, optionalLocalId } from './ids';
import { checkedKey, decodeJsonCursor } from './keyset';
import { CaseLevelEnum, DisputeCategoryEnum, MediationChannelEnum, MediatorRef, OrganizationKindEnum, OrganizationRef } from './organization';
import { GenderEnum } from './user';
import { preparedPerShape } from '../db-prepared';
import { selectedFieldNames } from './selection';

export const CaseStatusEnum = builder.enumType('CaseStatus', { values: CASE_STATUSES });
export const RiskLevelEnum = builder.enumType('RiskLevel', { values: ['LOW', 'MEDIUM', 'HIGH'] as const });
const PartyRoleEnum = builder.enumType('PartyRole', { values: ['APPLICANT', 'RESPONDENT'] as const });
const PartyKindEnum = builder.enumType('PartyKind', { values: ['PERSON', 'ORGANIZATION'] as const });
const ConsentEnum = builder.enumType('ConsentStatus', { values: ['PENDING', 'ACCEPTED', 'REFUSED'] as const });

type AssignmentRow = typeof caseAssignments.$inferSelect;

const visibleCasesById = preparedPerShape((db, s: ViewerShape, ids) =>
  db.select().from(cases).where(and(ids(cases.id), visibleCases(s.viewer))).prepare('visible_cases_by_id'),
);

/** Cases load through the visibility rule: one that the viewer may not see does not exist for them. */
export const CaseRef = builder.loadableNodeRef('Case', {
  id: { resolve: (c: CaseRow) => c.id },
  load: async (ids: string[], ctx: GraphQLContext) => {
    const rows = await visibleCasesById.byIds(ctx.deps.db, shapeOf(ctx.viewer), ids);
    primeCaseHeads(ctx, rows);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null) as CaseRow[];
  },
});

/** The viewer's standing on the case of a row, for the field rules of the access policy. */
const standingOn = (ctx: GraphQLContext, c: { id: string; mediatorId: string | null }) => caseStanding(ctx.deps.db, ctx.viewer, c, ctx.deps.clock.now());
export const caseHead = (ctx: GraphQLContext, caseId: string) => caseHeads(ctx).load(caseId);
const caseOfParty = async (ctx: GraphQLContext, p: PartyRow) => (await caseHead(ctx, p.caseId))!;

/** A party's personal fields as the access policy lets this viewer read them. */
export async function partyAccessFor(ctx: GraphQLContext, p: PartyRow) {
  return partyFieldAccess(await standingOn(ctx, await caseOfParty(ctx, p)), p);
}

export const CasePartyRef = builder.objectRef<PartyRow>('CaseParty').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    role: t.field({ type: PartyRoleEnum, resolve: (p) => p.role as 'APPLICANT' | 'RESPONDENT' }),
    kind: t.field({ type: PartyKindEnum, resolve: (p) => p.kind as 'PERSON' | 'ORGANIZATION' }),
    name: t.exposeString('name'),
    phone: t.string({
      description: 'In full for the party, the case’s mediator and the court; masked for others (access policy).',
      resolve: async (p, _a, ctx) => readField((await partyAccessFor(ctx, p)).phone, p.phone, maskPhone(p.phone)) ?? maskPhone(p.phone),
    }),
    idNumber: t.string({
      nullable: true,
      description: 'In full for the party, the case’s mediator and the court; masked for others (access policy).',
      resolve: async (p, _a, ctx) =>
        readField((await partyAccessFor(ctx, p)).idNumber, p.idNumberEnc ? decrypt(ctx.deps.config.dataKey, p.idNumberEnc) : p.idNumberMasked, p.idNumberMasked),
    }),
    creditCode: t.exposeString('creditCode', { nullable: true }),
    address: t.string({ nullable: true, resolve: async (p, _a, ctx) => readField((await partyAccessFor(ctx, p)).address, p.address, null) }),
    consent: t.field({ type: ConsentEnum, resolve: (p) => p.consent as 'PENDING' | 'ACCEPTED' | 'REFUSED' }),
    consentAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => p.consentAt }),
    agents: t.field({
      type: [builder.objectRef<{ name: string; authority: string; special?: boolean }>('PartyAgent').implement({
        fields: (a) => ({
          name: a.exposeString('name'),
          authority: a.exposeString('authority', { description: 'Scope of the power of attorney.' }),
          specialAuthority: a.boolean({ description: '特别授权: may sign and apply for confirmation on the party’s behalf (INT 351).', resolve: (x) => x.special === true }),
        }),
      })],
      resolve: (p) => p.agents,
    }),
  }),
});

const RoutingAlternativeRef = builder
  .objectRef<{ organizationId: string; organizationName: string; level: string; why: string }>('RoutingAlternative')
  .implement({
    fields: (t) => ({
      organization: t.field({ type: OrganizationRef, resolve: (a) => a.organizationId }),
      organizationName: t.exposeString('organizationName'),
      level: t.exposeString('level'),
      why: t.exposeString('why', { description: 'Why it was not chosen.' }),
    }),
  });

const RoutingRef = builder.objectRef<NonNullable<CaseRow['routing']>>('Routing').implement({
  fields: (t) => ({
    reasons: t.exposeStringList('reasons'),
    alternatives: t.field({ type: [RoutingAlternativeRef], resolve: (r) => r.alternatives }),
    mediatorReasons: t.exposeStringList('mediatorReasons'),
  }),
});

const RiskSignalRef = builder.objectRef<{ code: string; label: string; evidence: string }>('RiskSignal').implement({
  fields: (t) => ({ code: t.exposeString('code'), label: t.exposeString('label'), evidence: t.exposeString('evidence') }),
});

async function eventOrigin(ctx: GraphQLContext, e: EventRow) {
  if (e.subjectType !== 'case') return 'HIDDEN' as const;
  const c = await caseHead(ctx, e.subjectId);
  return c ? eventOriginAccess(await standingOn(ctx, c), e.actorId) : ('HIDDEN' as const);
}

export const CaseEventRef = builder.objectRef<EventRow>('CaseEvent').implement({
  description: 'An entry of the audit timeline, hash-chained to the previous one.',
  fields: (t) => ({
    seq: t.exposeInt('seq'),
    type: t.exposeString('type'),
    at: t.field({ type: 'DateTime', resolve: (e) => e.at }),
    actorKind: t.exposeString('actorKind'),
    actorRole: t.exposeString('actorRole', { nullable: true }),
    actorName: t.exposeString('actorName', { nullable: true }),
    ip: t.string({ nullable: true, description: 'Hidden from other parties (access policy).', resolve: async (e, _a, ctx) => readField(await eventOrigin(ctx, e), e.ip, null) }),
    userAgent: t.string({ nullable: true, resolve: async (e, _a, ctx) => readField(await eventOrigin(ctx, e), e.userAgent, null) }),
    beforeStatus: t.exposeString('beforeStatus', { nullable: true }),
    afterStatus: t.exposeString('afterStatus', { nullable: true }),
    data: t.string({
      description: 'Event details as JSON; a court reads only the formal parts (grounds, dates, numbers), never mediation content.',
      resolve: (e, _a, ctx) => JSON.stringify(ctx.viewer?.kind === 'apiClient' ? courtViewOfEventData(e.data as Record<string, unknown>) : e.data),
    }),
    hash: t.exposeString('hash'),
    prevHash: t.exposeString('prevHash', { nullable: true }),
  }),
});

const AssignmentRef = builder.objectRef<AssignmentRow>('CaseAssignment').implement({
  description: '派单: a hand-off naming the organisation, the person and the time limit.',
  fields: (t) => ({
    id: t.exposeID('id'),
    organization: t.field({ type: OrganizationRef, resolve: (a) => a.organizationId }),
    mediator: t.field({ type: MediatorRef, nullable: true, resolve: (a) => a.mediatorId }),
    level: t.field({ type: CaseLevelEnum, resolve: (a) => a.level }),
    kind: t.exposeString('kind'),
    reason: t.string({ description: 'A court client reads the kind of hand-off in the platform’s words, not the reason given.', resolve: (a, _a, ctx) => assignmentAsSeenBy(ctx.viewer, a).reason }),
    dueAt: t.field({ type: 'DateTime', resolve: (a) => a.dueAt }),
    dueRule: t.exposeString('dueRule'),
    status: t.exposeString('status'),
    createdAt: t.field({ type: 'DateTime', resolve: (a) => a.createdAt }),
    decidedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.decidedAt }),
    decisionReason: t.string({ nullable: true, description: 'A court client reads how the hand-off ended in the platform’s words.', resolve: (a, _a, ctx) => assignmentAsSeenBy(ctx.viewer, a).decisionReason }),
  }),
});

/** Whole chains (unfiltered: verification needs every event) of a page of cases, in one query. */
const chainsByCase = groupedLoader(
  (ctx, caseIds) => ctx.deps.db.select().from(events).where(and(eq(events.subjectType, 'case'), inArray(events.subjectId, caseIds))).orderBy(asc(events.seq)),
  (e) => e.subjectId,
);

const RecordVerificationRef = builder
  .objectRef<{ valid: boolean; count: number; brokenAtSeq: number | null; reason: string | null }>('RecordVerification')
  .implement({
    fields: (t) => ({
      valid: t.exposeBoolean('valid'),
      count: t.exposeInt('count'),
      brokenAtSeq: t.exposeInt('brokenAtSeq', { nullable: true }),
      reason: t.exposeString('reason', { nullable: true }),
    }),
  });

const eventsOfCases = preparedPerShape((db, s: ViewerShape, ids) =>
  db
    .select()
    .from(events)
    .where(and(eq(events.subjectType, 'case'), ids(events.subjectId), withinCourtWindow(s.viewer, events.subjectId, events.at)))
    .orderBy(asc(events.seq))
    .prepare('events_by_case'),
);

const assignmentsOfCases = preparedPerShape((db, s: ViewerShape, ids) =>
  db
    .select()
    .from(caseAssignments)
    .where(and(ids(caseAssignments.caseId), visibleAssignments(s.viewer)))
    // Made at the same instant (a decline and the reassignment it makes): the one decided first
    // first, a pending one last.
    .orderBy(asc(caseAssignments.createdAt), sql`${caseAssignments.decidedAt} asc nulls last`, asc(caseAssignments.id))
    .prepare('assignments_by_case'),
);

CaseRef.implement({
  fields: (t) => ({
    number: t.exposeString('number'),
    status: t.field({ type: CaseStatusEnum, resolve: (c) => c.status }),
    category: t.field({ type: DisputeCategoryEnum, resolve: (c) => c.category }),
    title: t.exposeString('title'),
    description: t.exposeString('description'),
    claims: t.exposeString('claims', { nullable: true }),
    amount: t.field({ type: 'Money', nullable: true, resolve: (c) => c.amount }),
    regionCode: t.exposeString('regionCode'),
    languages: t.exposeStringList('languages'),
    channel: t.field({ type: MediationChannelEnum, nullable: true, resolve: (c) => c.channel }),
    level: t.field({ type: CaseLevelEnum, nullable: true, resolve: (c) => c.level }),
    organization: t.field({ type: OrganizationRef, nullable: true, resolve: (c) => c.organizationId }),
    mediator: t.field({ type: MediatorRef, nullable: true, resolve: (c) => c.mediatorId }),
    parties: t.field({
      type: [CasePartyRef],
      // One query for the parties of every case on a page, not one per case.
      resolve: (c, _a, ctx) => partiesByCase(ctx).load(c.id),
    }),
    dueAt: t.field({ type: 'DateTime', nullable: true, description: 'Deadline of the clock now running.', resolve: (c) => c.dueAt }),
    dueRule: t.exposeString('dueRule', { nullable: true, description: 'The rule that produced dueAt.' }),
    levelDueAt: t.field({ type: 'DateTime', nullable: true, description: 'When the current level’s dispatch time limit ends.', resolve: (c) => c.levelDueAt }),
    contactDueAt: t.field({ type: 'DateTime', nullable: true, description: 'OMR 15: the other side is contacted by then (3 working days from filing).', resolve: (c) => c.contactDueAt }),
    firstContactAt: t.field({ type: 'DateTime', nullable: true, description: 'OMR 15: when the other side was first contacted.', resolve: (c) => c.firstContactAt }),
    firstContactMethod: t.exposeString('firstContactMethod', { nullable: true }),
    mediatorChoiceDueAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'OMR 10: until then the parties may choose a mediator together (chooseMediator); afterwards the organisation designates one.',
      resolve: (c) => c.mediatorChoiceDueAt,
    }),
    courtStage: t.exposeString('courtStage', { nullable: true, description: 'Court mediation: PRE_FILING (委派, 30 days) or POST_FILING (委托); null otherwise.' }),
    courtProcedure: t.exposeString('courtProcedure', { nullable: true, description: 'For POST_FILING: ORDINARY (15 days) or SIMPLIFIED (7 days), OMR 24.' }),
    overdue: t.boolean({ resolve: (c, _a, ctx) => caseOverdue(c, ctx.deps.clock.now()) }),
    riskLevel: t.field({ type: RiskLevelEnum, resolve: (c) => c.riskLevel }),
    riskSignals: t.field({ type: [RiskSignalRef], resolve: (c) => c.riskSignals }),
    routing: t.field({
      type: RoutingRef,
      nullable: true,
      description: 'Why the case went where it is; null for a court client (its reasons may quote the mediation).',
      resolve: (c, _a, ctx) => routingAsSeenBy(ctx.viewer, c.routing),
    }),
    // List fields load for every case of a page in one query (grouped by case), not one per case.
    assignments: t.loadableGroup({
      type: AssignmentRef,
      load: (caseIds: string[], ctx: GraphQLContext) => assignmentsOfCases.byIds(ctx.deps.db, shapeOf(ctx.viewer), caseIds),
      group: (a) => a.caseId,
      resolve: (c) => c.id,
    }),
    events: t.loadableGroup({
      type: CaseEventRef,
      description: 'The audit timeline, oldest first.',
      load: (caseIds: string[], ctx: GraphQLContext) => eventsOfCases.byIds(ctx.deps.db, shapeOf(ctx.viewer), caseIds),
      group: (e) => e.subjectId,
      resolve: (c) => c.id,
    }),
    recordVerification: t.field({
      type: RecordVerificationRef,
      description: 'Recomputes the hash chain: detects any altered, removed or reordered event.',
      resolve: async (c, _a, ctx) => verifyChain(await chainsByCase(ctx).load(c.id), c.headEventHash),
    }),
    filedVia: t.exposeString('filedVia'),
    delegatingCourt: t.field({
      type: OrganizationRef,
      nullable: true,
      description: '委派调解: the court that delegated the case; it alone may confirm the agreement (CPL 205).',
      resolve: (c) => c.delegatingCourtId,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (c) => c.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (c) => c.updatedAt }),
    acceptedAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.acceptedAt }),
  }),
});

type Cursor = [number, string, string];
const encodeCursor = (c: CaseRow) => Buffer.from(JSON.stringify([c.riskRank, c.createdAt.toISOString(), c.id])).toString('base64url');
function decodeCursor(s: string): Cursor {
  const [rank, created, id] = decodeJsonCursor(s, 'after');
  if (typeof rank !== 'number' || !Number.isInteger(rank) || Math.abs(rank) > 2 ** 31 - 1) throw ValidationError.field('after', 'is not a cursor from this list');
  const key = checkedKey(created, id, 'after');
  return [rank, key.at.toISOString(), key.id];
}

const CaseConnection = builder.connectionObject({ type: CaseRef, name: 'CaseConnection' });

/**
 * The columns a queue's rows need when the query asks only for fields among `QUEUE_FIELDS` (a
 * mediator's queue: number, title, status, dates…): its statement then reads these instead of
 * every column of the case (16 of 39, without the description, the routing, the risk
 * signals…). Each field here resolves from these columns alone (`test/unit/queue-columns.test.ts`
 * runs each on a row that refuses any other); the cursor needs the risk rank, the creation time
 * and the id, and the page's case heads the mediator.
 */
export const QUEUE_COLUMNS = ['id', 'number', 'title', 'status', 'category', 'level', 'riskLevel', 'riskRank', 'regionCode', 'dueAt', 'createdAt', 'updatedAt', 'acceptedAt', 'channel', 'organizationId', 'mediatorId'] as const;
/** Fields of Case that resolve from `QUEUE_COLUMNS` (`overdue` from the due time, `organization` and `mediator` from their ids). */
export const QUEUE_FIELDS = new Set(['__typename', 'id', 'number', 'title', 'status', 'category', 'level', 'riskLevel', 'regionCode', 'dueAt', 'createdAt', 'updatedAt', 'acceptedAt', 'channel', 'overdue', 'organization', 'mediator']);
const queueSelection = Object.fromEntries(QUEUE_COLUMNS.map((k) => [k, cases[k]])) as { [K in (typeof QUEUE_COLUMNS)[number]]: (typeof cases)[K] };

/** Which filters a page of the cases connection has: with the viewer's shape, its statement's text. */
interface CasePageFilters {
  status: boolean;
  category: boolean;
  level: boolean;
  region: boolean;
  risk: boolean;
  overdue: boolean | null;
  after: boolean;
}
/**
 * A page of the cases connection, prepared once per shape of viewer and set of filters: high risk
 * first, then newest, keyset-paged by (risk rank, created at, id). Times go as ISO text (drizzle
 * hands postgres.js a placeholder's Date as it is, which it cannot send).
 */
const casePages = preparedPerShape((db, s: ViewerShape & { filters: CasePageFilters; queueColumnsOnly: boolean }) => {
  const p = sql.placeholder;
  const f = s.filters;
  const where: SQL[] = [visibleCases(s.viewer)];
  if (f.status) where.push(sql`${cases.status} = any(${p('status')}::${sql.raw(caseStatus.enumName)}[])`);
  if (f.category) where.push(eq(cases.category, p('category')));
  if (f.level) where.push(eq(cases.level, p('level')));
  // Cases in this division or below (division codes nest by prefix; the value is digits only).
  if (f.region) where.push(sql`${cases.regionCode} like (${p('region')}::text || '%')`);
  if (f.risk) where.push(eq(cases.riskLevel, p('risk')));
  if (f.overdue === true) where.push(sql`${cases.dueAt} < ${p('now')}::timestamptz`);
  if (f.overdue === false) where.push(sql`(${cases.dueAt} is null or ${cases.dueAt} >= ${p('now')}::timestamptz)`);
  if (f.after) {
    const at = sql`${p('at')}::timestamptz`;
    where.push(
      or(
        lt(cases.riskRank, p('rank')),
        and(eq(cases.riskRank, p('rank')), lt(cases.createdAt, at)),
        and(eq(cases.riskRank, p('rank')), eq(cases.createdAt, at), lt(cases.id, p('id'))),
      )!,
    );
  }
  // Rows of every column, or (the query asks for no other field) of the queue's columns only: a
  // row then carries what each field asked for resolves from, and nothing else reads it.
  return (s.queueColumnsOnly ? (db.select(queueSelection) as unknown as ReturnType<typeof db.select>) : db.select())
    .from(cases)
    .where(and(...where))
    .orderBy(desc(cases.riskRank), desc(cases.createdAt), desc(cases.id))
    .limit(p('limit'))
    .prepare('case_page');
});

builder.queryFields((t) => ({
  case: t.field({
    type: CaseRef,
    nullable: true,
    description: 'Null when absent or not visible to the viewer.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_p, { id }, ctx) => {
      try {
        return localId(String(id), 'Case', 'id');
      } catch {
        return null;
      }
    },
  }),
  cases: t.field({
    type: CaseConnection,
    description: 'The viewer’s cases (a queue for mediators and admins): high risk first, then newest. One SQL statement per page.',
    args: {
      first: t.arg.int({ defaultValue: 20 }),
      after: t.arg.string(),
      status: t.arg({ type: [CaseStatusEnum] }),
      category: t.arg({ type: DisputeCategoryEnum }),
      level: t.arg({ type: CaseLevelEnum }),
      regionCode: t.arg.string({ description: 'Cases in this division or below.' }),
      riskLevel: t.arg({ type: RiskLevelEnum }),
      overdue: t.arg.boolean(),
    },
    resolve: async (_p, args, ctx, info) => {
      const first = Math.min(Math.max(args.first ?? 20, 1), 100);
      const filters: CasePageFilters = {
        status: Boolean(args.status?.length),
        category: Boolean(args.category),
        level: Boolean(args.level),
        region: Boolean(args.regionCode),
        risk: Boolean(args.riskLevel),
        overdue: args.overdue ?? null,
        after: Boolean(args.after),
      };
      const cursor = args.after ? decodeCursor(args.after) : null;
      const shape = shapeOf(ctx.viewer);
      const asked = selectedFieldNames(info, ['edges', 'node']);
      const queueColumnsOnly = asked !== null && [...asked].every((f) => QUEUE_FIELDS.has(f));
      const statement = casePages(ctx.deps.db, { ...shape, key: `${shape.key}|${JSON.stringify(filters)}|${queueColumnsOnly}`, filters, queueColumnsOnly });
      const rows = await statement.execute({
        ...shape.values,
        status: args.status ?? null,
        category: args.category ?? null,
        level: args.level ?? null,
        region: args.regionCode ? args.regionCode.replace(/\D/g, '') : null,
        risk: args.riskLevel ?? null,
        now: ctx.deps.clock.now().toISOString(),
        rank: cursor?.[0] ?? null,
        at: cursor?.[1] ?? null,
        id: cursor?.[2] ?? null,
        limit: first + 1,
      });
      // A row of the queue's columns only is read only by the fields the query asked for, which
      // resolve from them (QUEUE_FIELDS).
      const page = rows.slice(0, first) as CaseRow[];
      primeCaseHeads(ctx, page);
      return {
        edges: page.map((c) => ({ cursor: encodeCursor(c), node: c })),
        pageInfo: {
          hasNextPage: rows.length > first,
          hasPreviousPage: Boolean(args.after),
          startCursor: page[0] ? encodeCursor(page[0]) : null,
          endCursor: page.length ? encodeCursor(page[page.length - 1]!) : null,
        },
      };
    },
  }),
}));

const AgentInput = builder.inputType('AgentInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    phone: t.string(),
    authority: t.string({ required: true, description: 'Scope of authority (一般授权 / 特别授权: …).' }),
    specialAuthority: t.boolean({ description: '特别授权: the agent may sign the agreement and apply for confirmation for the party (INT 351).' }),
  }),
});
const PartyInput = builder.inputType('PartyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    phone: t.string({ required: true }),
    idNumber: t.string(),
    creditCode: t.string({ description: 'Organisations: unified social credit code.' }),
    address: t.string({ description: 'Domicile.' }),
    kind: t.field({ type: PartyKindEnum }),
    domicileRegionCode: t.string({ description: 'Division code of the domicile (county or below), when known: a ground of jurisdiction (CPL 205).' }),
    gender: t.field({ type: GenderEnum, description: 'Parties without an account: printed on the agreement.' }),
    ethnicity: t.string({ description: 'Parties without an account: 民族.' }),
    occupation: t.string({ description: 'Parties without an account: 职业.' }),
    serviceAddress: t.string({ description: 'Electronic service address; needs consentsToElectronicService: true.' }),
    consentsToElectronicService: t.boolean({ description: 'The party consents to electronic service (recorded with time and channel FILING).' }),
    agents: t.field({ type: [AgentInput], description: 'This party’s agents (at most two), respondents included.' }),
  }),
});
const FileDisputeInput = builder.inputType('FileDisputeInput', {
  fields: (t) => ({
    category: t.field({ type: DisputeCategoryEnum, required: true }),
    title: t.string({ required: true }),
    description: t.string({ required: true }),
    regionCode: t.string({ required: true, description: 'Where the dispute arose (12-digit village code when known).' }),
    otherRegionCodes: t.stringList({ description: 'Other places involved: the case goes to their lowest common level.' }),
    respondents: t.field({ type: [PartyInput], required: true }),
    applicant: t.field({ type: PartyInput, description: 'Grid workers: the resident filing.' }),
    agents: t.field({ type: [AgentInput], description: 'The applicant’s agents (at most two).' }),
    claims: t.string(),
    amount: t.field({ type: 'Money' }),
    languages: t.stringList({ description: 'Languages the parties prefer (ISO 639).' }),
    preferredMediatorId: t.id({ description: 'A mediator from a published roster; honoured when every party chooses the same one (OMR 10).' }),
    subjectMatterRegionCode: t.string({ description: '标的物所在地: division code where the subject matter lies, a ground of jurisdiction (CPL 205).' }),
  }),
});

const caseSuccess = (name: string) =>
  builder.objectRef<{ case: CaseRow }>(name).implement({ fields: (t) => ({ case: t.field({ type: CaseRef, resolve: (p) => p.case }) }) });

const RespondInput = builder.inputType('RespondToMediationInput', {
  fields: (t) => ({
    caseId: t.id({ required: true }),
    accept: t.boolean({ required: true }),
    reason: t.string(),
    preferredMediatorId: t.id({ description: 'The respondent’s choice from the roster (joint choice when all agree).' }),
  }),
});
const ContactMethodEnum = builder.enumType('ContactMethod', { values: CONTACT_METHODS });
const RecordContactInput = builder.inputType('RecordRespondentContactInput', {
  fields: (t) => ({ caseId: t.id({ required: true }), method: t.field({ type: ContactMethodEnum, required: true }), note: t.string() }),
});
const ChooseMediatorInput = builder.inputType('ChooseMediatorInput', {
  fields: (t) => ({ caseId: t.id({ required: true }), mediatorId: t.id({ required: true, description: 'A mediator from the published roster.' }) }),
});
const CaseIdInput = (name: string) => builder.inputType(name, { fields: (t) => ({ caseId: t.id({ required: true }) }) });
const DeclineInput = builder.inputType('DeclineAssignmentInput', {
  fields: (t) => ({ caseId: t.id({ required: true }), reason: t.string({ required: true }) }),
});
const TransferInput = builder.inputType('TransferCaseInput', {
  fields: (t) => ({
    caseId: t.id({ required: true }),
    organizationId: t.id({ required: true }),
    reason: t.string({ required: true }),
    mediatorId: t.id({ description: 'A mediator of the receiving organisation; otherwise any of them may take it up.' }),
  }),
});
const ResumeInput = builder.inputType('ResumeMediationInput', { fields: (t) => ({ caseId: t.id({ required: true }), reason: t.string({ required: true }) }) });
const WithdrawInput = builder.inputType('WithdrawCaseInput', { fields: (t) => ({ caseId: t.id({ required: true }), reason: t.string() }) });
const AdjustRiskInput = builder.inputType('AdjustRiskInput', {
  fields: (t) => ({ caseId: t.id({ required: true }), riskLevel: t.field({ type: RiskLevelEnum, required: true }), reason: t.string({ required: true }) }),
});
const RuleStepInput = builder.inputType('DiversionRuleStepInput', {
  fields: (t) => ({ channel: t.field({ type: MediationChannelEnum, required: true }), organizationKinds: t.field({ type: [OrganizationKindEnum], required: true }) }),
});
const SetRulesInput = builder.inputType('SetDiversionRulesInput', {
  fields: (t) => ({
    regionCode: t.string({ description: 'Omit for the province-wide default.' }),
    category: t.field({ type: DisputeCategoryEnum, required: true }),
    steps: t.field({ type: [RuleStepInput], required: true, description: 'In order of preference; empty = back to the defaults.' }),
  }),
});
const DiversionRuleRef = builder.objectRef<DiversionRuleRow>('DiversionRule').implement({
  fields: (t) => ({
    regionCode: t.exposeString('regionCode', { nullable: true }),
    category: t.field({ type: DisputeCategoryEnum, resolve: (r) => r.category }),
    priority: t.exposeInt('priority'),
    channel: t.field({ type: MediationChannelEnum, resolve: (r) => r.channel }),
    organizationKinds: t.exposeStringList('organizationKinds'),
  }),
});
const SetRulesSuccess = builder.objectRef<{ rules: DiversionRuleRow[] }>('SetDiversionRulesSuccess').implement({
  fields: (t) => ({ rules: t.field({ type: [DiversionRuleRef], resolve: (p) => p.rules }) }),
});

const caseId = (id: string | number) => localId(String(id), 'Case', 'caseId');

const AppointAgentInput = builder.inputType('AppointAgentInput', {
  fields: (t) => ({
    caseId: t.id({ required: true }),
    partyId: t.id({ description: 'The CaseParty the agent acts for; needed only when the viewer is more than one party.' }),
    name: t.string({ required: true }),
    phone: t.string({ required: true, description: 'The agent acts on the platform through an account holding this phone.' }),
    authority: t.string({ required: true, description: 'The scope, as in the power of attorney.' }),
    specialAuthority: t.boolean({ required: true, description: '特别授权: may sign the agreement and apply for judicial confirmation for the party (INT 351).' }),
  }),
});

builder.mutationFields((t) => ({
  fileDispute: t.field({
    type: caseSuccess('FileDisputeSuccess'),
    errors: { union: { name: 'FileDisputeResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: FileDisputeInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      case: await fileDispute(ctx.deps, ctx.actor, {
        ...input,
        preferredMediatorId: optionalLocalId(input.preferredMediatorId ? String(input.preferredMediatorId) : null, 'Mediator', 'preferredMediatorId'),
      }),
    }),
  }),
  respondToMediation: t.field({
    type: caseSuccess('RespondToMediationSuccess'),
    errors: { union: { name: 'RespondToMediationResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: RespondInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      case: await respondToMediation(ctx.deps, ctx.actor, {
        ...input,
        caseId: caseId(input.caseId),
        preferredMediatorId: optionalLocalId(input.preferredMediatorId ? String(input.preferredMediatorId) : null, 'Mediator', 'preferredMediatorId'),
      }),
    }),
  }),
  appointAgent: t.field({
    type: caseSuccess('AppointAgentSuccess'),
    errors: { union: { name: 'AppointAgentResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: AppointAgentInput, required: true }) },
    description: 'A party (applicant or respondent) appoints an agent with general or special authority (CPL 61-62, INT 351).',
    resolve: async (_p, { input }, ctx) => ({
      case: (
        await appointAgent(ctx.deps, ctx.actor, {
          ...input,
          caseId: caseId(input.caseId),
          // CaseParty ids are exposed raw (the domain checks the shape).
          partyId: input.partyId ? String(input.partyId) : null,
        })
      ).case,
    }),
  }),
  recordRespondentContact: t.field({
    type: caseSuccess('RecordRespondentContactSuccess'),
    errors: { union: { name: 'RecordRespondentContactResult' } },
    authScopes: { staff: true },
    args: { input: t.arg({ type: RecordContactInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ case: await recordRespondentContact(ctx.deps, ctx.actor, { ...input, caseId: caseId(input.caseId) }) }),
  }),
  chooseMediator: t.field({
    type: caseSuccess('ChooseMediatorSuccess'),
    errors: { union: { name: 'ChooseMediatorResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: ChooseMediatorInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      case: await chooseMediator(ctx.deps, ctx.actor, { caseId: caseId(input.caseId), mediatorId: localId(String(input.mediatorId), 'Mediator', 'mediatorId') }),
    }),
  }),
  acceptAssignment: t.field({
    type: caseSuccess('AcceptAssignmentSuccess'),
    errors: { union: { name: 'AcceptAssignmentResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: CaseIdInput('AcceptAssignmentInput'), required: true }) },
    resolve: async (_p, { input }, ctx) => ({ case: await acceptAssignment(ctx.deps, ctx.actor, { caseId: caseId(input.caseId) }) }),
  }),
  declineAssignment: t.field({
    type: caseSuccess('DeclineAssignmentSuccess'),
    errors: { union: { name: 'DeclineAssignmentResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: DeclineInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ case: await declineAssignment(ctx.deps, ctx.actor, { ...input, caseId: caseId(input.caseId) }) }),
  }),
  transferCase: t.field({
    type: caseSuccess('TransferCaseSuccess'),
    errors: { union: { name: 'TransferCaseResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: TransferInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      case: await transferCase(ctx.deps, ctx.actor, {
        caseId: caseId(input.caseId),
        organizationId: localId(String(input.organizationId), 'Organization', 'organizationId'),
        reason: input.reason,
        mediatorId: optionalLocalId(input.mediatorId ? String(input.mediatorId) : null, 'Mediator', 'mediatorId'),
      }),
    }),
  }),
  withdrawCase: t.field({
    type: caseSuccess('WithdrawCaseSuccess'),
    errors: { union: { name: 'WithdrawCaseResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: WithdrawInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ case: await withdrawCase(ctx.deps, ctx.actor, { ...input, caseId: caseId(input.caseId) }) }),
  }),
  resumeMediation: t.field({
    type: caseSuccess('ResumeMediationSuccess'),
    errors: { union: { name: 'ResumeMediationResult' } },
    authScopes: { loggedIn: true },
    description: 'After a rejected confirmation: mediate again towards a corrected agreement.',
    args: { input: t.arg({ type: ResumeInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ case: await resumeMediation(ctx.deps, ctx.actor, { ...input, caseId: caseId(input.caseId) }) }),
  }),
  adjustRisk: t.field({
    type: caseSuccess('AdjustRiskSuccess'),
    errors: { union: { name: 'AdjustRiskResult' } },
    authScopes: { loggedIn: true },
    args: { input: t.arg({ type: AdjustRiskInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ case: await adjustRisk(ctx.deps, ctx.actor, { ...input, caseId: caseId(input.caseId) }) }),
  }),
  setDiversionRules: t.field({
    type: SetRulesSuccess,
    errors: { union: { name: 'SetDiversionRulesResult' } },
    authScopes: { platformAdmin: true },
    args: { input: t.arg({ type: SetRulesInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ rules: await setDiversionRules(ctx.deps, ctx.actor, input) }),
  }),
}));


const OpenCaseContentInput = builder.inputType('OpenCaseContentInput', {
  fields: (t) => ({
    caseId: t.id({ required: true }),
    reason: t.string({ required: true, description: 'Why the content must be read; recorded on the case’s timeline.' }),
  }),
});
const OpenCaseContentSuccess = builder.objectRef<{ case: CaseRow; expiresAt: Date }>('OpenCaseContentSuccess').implement({
  fields: (t) => ({
    case: t.field({ type: CaseRef, resolve: (p) => p.case }),
    expiresAt: t.field({ type: 'DateTime', resolve: (p) => p.expiresAt }),
  }),
});

builder.mutationField('openCaseContent', (t) =>
  t.field({
    type: OpenCaseContentSuccess,
    description: 'Platform admins: reasoned, audited, time-limited access to a case’s content (minutes, messages, evidence, full ID numbers).',
    errors: { union: { name: 'OpenCaseContentResult' } },
    args: { input: t.arg({ type: OpenCaseContentInput, required: true }) },
    resolve: (_p, { input }, ctx) => openCaseContent(ctx.deps, ctx.actor, { caseId: localId(input.caseId, 'Case', 'caseId'), reason: input.reason }),
  }),
);
