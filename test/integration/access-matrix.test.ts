import { encodeGlobalID } from '@pothos/plugin-relay';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { GraphQLInputObjectType, GraphQLInputType } from 'graphql';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../server/db';
import { schema } from '../../server/graphql/schema';
import { caseInMediation } from '../support/case-world';
import { DRAFT, draftInput, PARTIES, SIGN } from '../support/agreements';
import {
  caseNumberFor,
  courtClient,
  createConfirmationWorld,
  failedCase,
  holdSession,
  jointlyApply,
  type ConfirmationWorld,
  type CourtClient,
} from '../support/confirmation-world';
import { sample, upload } from '../support/evidence';
import { createMediatorAccount, PASSWORD, registerParty, userWithRole } from '../support/factories';
import { governanceStaff, ok, RECORD_LEAD, secondVillage } from '../support/governance';
import { createTestContext, uniquePhone, type TestContext } from '../support/harness';
import { MATRIX, VIEWERS, type Outcome, type ViewerKey } from './access-matrix.table';

// Every query, mutation and file route that takes an id, as each kind of viewer, against the
// expected outcome in access-matrix.table.ts. Mutations run twice over: first every refused pair
// (each must get the typed refusal and change nothing in the world's rows), then every allowed pair
// (each must pass the access check: Success or a typed domain error such as INVALID_TRANSITION).

let ctx: TestContext;
let w: ConfirmationWorld;
const tokens = {} as Record<ViewerKey, string | null>;
const ids: Record<string, string> = {};
const raw: Record<string, string> = {};
let courtA: CourtClient;
let courtB: CourtClient;
let spareClientId: string;
let fullPhones: string[] = [];

const gid = (type: string, id: string) => encodeGlobalID(type, id);
const one = async <T extends Record<string, unknown>>(q: ReturnType<typeof sql>) => (await queryRows<T>(ctx.deps.db, q))[0]!;

beforeAll(async () => {
  ctx = await createTestContext({ config: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8' } });
  w = await createConfirmationWorld(ctx);
  const staff = await governanceStaff(ctx, w);
  const elsewhere = await secondVillage(ctx, w);
  const otherOrgAdmin = await userWithRole(ctx, 'ORG_ADMIN', { organizationId: elsewhere.org.id });
  const otherMediator = await createMediatorAccount(ctx, w.admin.token, elsewhere.org);
  const stranger = await registerParty(ctx, { name: '王路人' });
  courtA = await courtClient(ctx, w.admin.token, w.court, 'https://court.example.cn/jiefen');
  courtB = await courtClient(ctx, w.admin.token, w.otherCourt);
  spareClientId = (await courtClient(ctx, w.admin.token, w.court)).clientId;

  // The main case: mediated (a session with minutes and an undisputed fact, evidence, a pending
  // extension), settled, and sent by both parties to the county court.
  const { case: c, mediator } = await caseInMediation(ctx, w);
  const sessionId = await holdSession(ctx, w, c.id, mediator.token);
  const uploaded = await upload(ctx, w.applicant.token, c.id, { bytes: sample.pdf() });
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  const extension = ok(await ctx.gql(`mutation($input: RequestExtensionInput!) { requestExtension(input: $input) { __typename ... on RequestExtensionSuccess { extension { id } } ... on Error { code message } } }`, { input: { caseId: c.id, days: 5, reason: '需等待房屋损失鉴定' } }, mediator.token)).extension;
  const respondentPartyId = (await ctx.gql(PARTIES, { id: c.id }, mediator.token)).data.case.parties.find((p: { role: string }) => p.role === 'RESPONDENT').id as string;
  const agreement = ok(await ctx.gql(DRAFT, { input: draftInput(c.id, respondentPartyId) }, mediator.token)).agreement;
  for (const signer of [w.applicant, w.respondent, mediator]) ok(await ctx.gql(SIGN, { input: { agreementId: agreement.id, password: PASSWORD } }, signer.token));
  const application = await jointlyApply(ctx, w, agreement.id, w.court);

  // A second case of the same parties: failed, then sent to the same court for litigation.
  const failed = await failedCase(ctx, w);
  const transfer = ok(await ctx.gql(`mutation($input: TransferToLitigationInput!) { transferToLitigation(input: $input) { __typename ... on TransferToLitigationSuccess { transfer { id } } ... on Error { code message } } }`, { input: { caseId: failed.caseId, courtId: w.court.globalId } }, w.applicant.token)).transfer;

  // The screening ledger of the village, and a supervision order on a lead from the township.
  const lead = ok(await ctx.gql(RECORD_LEAD, { input: { regionCode: w.village.code, category: 'NEIGHBOR', people: [{ name: '赵甲' }, { name: '钱乙' }], description: '两户因排水沟堵塞发生口角', source: 'VISIT' } }, staff.gridWorker.token)).lead;
  const order = ok(await ctx.gql(`mutation($input: IssueSupervisionOrderInput!) { issueSupervisionOrder(input: $input) { __typename ... on IssueSupervisionOrderSuccess { order { id } } ... on Error { code message } } }`, { input: { leadId: lead.id, reason: '排查线索久未处理', requiredAction: '三日内上门化解并报告', dueAt: new Date(ctx.clock.now().getTime() + 5 * 86_400_000).toISOString() } }, staff.townshipAdmin.token)).order;

  raw.caseId = c.id;
  raw.agreementId = agreement.id;
  const caseRow = await one<{ id: string }>(sql`select id from cases where number = ${c.number}`);
  const followUp = await one<{ id: string }>(sql`select id from follow_ups where case_id = ${caseRow.id} order by due_at limit 1`);
  const fact = await one<{ id: string }>(sql`select id from undisputed_facts where case_id = ${caseRow.id} limit 1`);
  const minutes = await one<{ version: number }>(sql`select minutes_version as version from mediation_sessions where case_id = ${caseRow.id} limit 1`).catch(() => ({ version: 1 }));
  const delivery = await one<{ id: string }>(sql`select id from outbox where kind = 'WEBHOOK' and case_id = ${caseRow.id} limit 1`);
  const agreementRow = await one<{ id: string; code: string }>(sql`select id, verification_code as code from agreements where case_id = ${caseRow.id} limit 1`);
  Object.assign(ids, {
    case: c.id,
    failedCase: failed.caseId,
    session: sessionId,
    evidence: uploaded.body.evidence.id,
    extension: extension.id,
    agreement: agreement.id,
    application: application.id,
    transfer: transfer.id,
    lead: lead.id,
    order: order.id,
    followUp: gid('FollowUp', followUp.id),
    fact: gid('UndisputedFact', fact.id),
    delivery: gid('WebhookDelivery', delivery.id),
    apiClient: gid('ApiClient', courtA.clientId),
    spareApiClient: gid('ApiClient', spareClientId),
    user: w.applicant.globalId,
    mediatorNode: mediator.mediatorGlobalId,
    organization: w.villageOrg.globalId,
    respondentParty: respondentPartyId,
  });
  raw.caseRowId = caseRow.id;
  raw.agreementRowId = agreementRow.id;
  raw.verificationCode = agreementRow.code;
  raw.minutesVersion = String(minutes.version);
  raw.courtCode = courtA.court.courtCode;
  fullPhones = [w.applicant.phone, w.respondent.phone];

  Object.assign(tokens, {
    anonymous: null,
    stranger: stranger.token,
    party: w.applicant.token,
    otherParty: w.respondent.token,
    mediator: mediator.token,
    otherMediator: otherMediator.token,
    orgAdmin: staff.villageAdmin.token,
    otherOrgAdmin: otherOrgAdmin.token,
    gridWorker: staff.gridWorker.token,
    court: courtA.secret,
    otherCourt: courtB.secret,
    platformAdmin: w.admin.token,
  });
}, 240_000);
afterAll(async () => ctx?.close());

// The schema's types come from graphql's CommonJS build and this file may load the ESM one: the
// type tests go by class name, not instanceof.
type AnyType = { constructor: { name: string }; ofType?: AnyType; name?: string } & Record<string, any>;
const kindOf = (t: unknown) => (t as AnyType).constructor.name;
const isNonNullType = (t: unknown): t is { ofType: GraphQLInputType } => kindOf(t) === 'GraphQLNonNull';
const isListType = (t: unknown): t is { ofType: GraphQLInputType } => kindOf(t) === 'GraphQLList';
const isEnumType = (t: unknown): t is { getValues(): { value: unknown }[] } => kindOf(t) === 'GraphQLEnumType';
const isInputObjectType = (t: unknown): t is GraphQLInputObjectType => kindOf(t) === 'GraphQLInputObjectType';
const isObjectType = (t: unknown): t is { name: string; getInterfaces(): { name: string }[] } => kindOf(t) === 'GraphQLObjectType';
function getNamedType(t: unknown): { name: string } {
  let x = t as AnyType;
  while (x.ofType) x = x.ofType;
  return x as { name: string };
}

// ---- inputs ----------------------------------------------------------------------------------

const inDays = (d: number) => new Date(ctx.clock.now().getTime() + d * 86_400_000).toISOString();

/** The world's ids and plausible values for each mutation; anything required and not given is filled from the schema. */
function inputFor(op: string): Record<string, unknown> {
  const caseId = ids.case!;
  const byOp: Record<string, () => Record<string, unknown>> = {
    acceptAssignment: () => ({ caseId }),
    declineAssignment: () => ({ caseId, reason: '本人与当事人有亲属关系' }),
    adjustRisk: () => ({ caseId, riskLevel: 'HIGH', reason: '当事人情绪激动，有激化风险' }),
    addFollowUp: () => ({ caseId, dueAt: inDays(7), note: '电话回访履行情况' }),
    answerFollowUp: () => ({
      followUpId: ids.followUp,
      terms: [1, 2, 3].map((termNo) => ({ termNo, performance: 'PERFORMED', note: '已按约履行' })),
      satisfaction: 5,
      comment: '满意',
    }),
    addUndisputedFact: () => ({ caseId, sessionId: ids.session, text: '双方确认院墙已修复。' }),
    applyForEnforcement: () => ({ caseId }),
    chooseMediator: () => ({ caseId, mediatorId: ids.mediatorNode }),
    consentToSeparateSessions: () => ({ caseId }),
    discloseConflict: () => ({ caseId, description: '本人曾与申请人同在村委会任职' }),
    draftAgreement: () => draftInput(caseId, ids.respondentParty!),
    openCaseContent: () => ({ caseId, reason: '核查当事人投诉，依规调阅' }),
    rateMediation: () => ({ caseId, score: 5 }),
    recordFollowUp: () => ({ caseId, followUpId: ids.followUp, method: 'PHONE', relapsed: false, terms: [{ termNo: 1, performance: 'PERFORMED' }] }),
    recordRespondentContact: () => ({ caseId, method: 'PHONE', note: '已电话联系被申请人' }),
    requestAnotherMediator: () => ({ caseId, reason: '希望更换调解员' }),
    requestExtension: () => ({ caseId, days: 5, reason: '需补充调查' }),
    respondToMediation: () => ({ caseId, accept: true }),
    resumeMediation: () => ({ caseId, reason: '法院驳回后重新调解' }),
    scheduleSession: () => ({ caseId, mode: 'ON_SITE', place: '村委会调解室', startsAt: inDays(2) }),
    terminateMediation: () => ({ caseId, ground: 'POSITIONS_TOO_FAR_APART', note: '分歧过大' }),
    transferCase: () => ({ caseId, organizationId: w.townshipOrg.globalId, reason: '案情复杂，移送镇调委会' }),
    transferToLitigation: () => ({ caseId, courtId: w.court.globalId }),
    withdrawCase: () => ({ caseId, reason: '双方已自行和解' }),
    verifyIdentityInPerson: () => ({ partyId: ids.respondentParty, documentType: 'RESIDENT_ID_CARD' }),
    cancelSession: () => ({ sessionId: ids.session, reason: '调解员临时有事' }),
    confirmMinutes: () => ({ sessionId: ids.session, version: Number(raw.minutesVersion) }),
    confirmUndisputedFact: () => ({ factId: ids.fact }),
    joinSession: () => ({ sessionId: ids.session }),
    postSessionMessage: () => ({ sessionId: ids.session, body: '请双方准时参加' }),
    rescheduleSession: () => ({ sessionId: ids.session, startsAt: inDays(3), reason: '改期' }),
    updateMinutes: () => ({ sessionId: ids.session, text: '补充笔录：双方同意改建排水设施。' }),
    updatePresence: () => ({ sessionId: ids.session, present: true }),
    consentToExtension: () => ({ extensionId: ids.extension, consent: true }),
    withdrawEvidence: () => ({ evidenceId: ids.evidence, reason: '上传有误' }),
    signAgreement: () => ({ agreementId: ids.agreement, password: PASSWORD }),
    applyForJudicialConfirmation: () => ({ agreementId: ids.agreement, courtId: w.court.globalId }),
    submitSupplement: () => ({ applicationId: ids.application, text: '补充提交房屋损失照片' }),
    withdrawConfirmationApplication: () => ({ applicationId: ids.application }),
    acceptConfirmationApplication: () => ({ applicationId: ids.application }),
    declineConfirmationApplication: () => ({ applicationId: ids.application, ground: 'NOT_THIS_COURT', note: '不属本院管辖' }),
    extendConfirmationReview: () => ({ applicationId: ids.application, approvedBy: '院长张某', reason: '案情复杂' }),
    requestSupplement: () => ({ applicationId: ids.application, items: ['房屋损失照片'], dueAt: inDays(5) }),
    ruleOnConfirmation: () => ({ applicationId: ids.application, outcome: 'CONFIRMED', rulingNumber: caseNumberFor(ctx, raw.courtCode!, '民特') }),
    treatAsWithdrawn: () => ({ applicationId: ids.application, note: '逾期未补充材料' }),
    acknowledgeLitigationTransfer: () => ({ transferId: ids.transfer, docketNumber: caseNumberFor(ctx, raw.courtCode!, '民初') }),
    delegateMediation: () => ({ caseId: ids.failedCase, organizationId: w.villageOrg.globalId }),
    createApiClient: () => ({ name: `法院系统${uniquePhone().slice(-6)}`, organizationId: w.court.globalId }),
    revokeApiClient: () => ({ apiClientId: ids.spareApiClient }),
    createOrganization: () => ({ name: `诉前调解室${uniquePhone().slice(-6)}`, kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: w.village.code, invitingCourtId: w.court.globalId }),
    createMediator: () => ({ organizationId: w.villageOrg.globalId, name: '新调解员', phone: uniquePhone(), password: PASSWORD, channel: 'PEOPLES' }),
    createStaffAccount: () => ({ organizationId: w.villageOrg.globalId, name: '新网格员', phone: uniquePhone(), password: PASSWORD, role: 'GRID_WORKER' }),
    redeliverWebhook: () => ({ deliveryId: ids.delivery }),
    fileDispute: () => ({
      category: 'NEIGHBOR',
      title: '排水沟纠纷',
      description: '邻居堵塞排水沟，雨水倒灌入院。',
      regionCode: w.village.code,
      respondents: [{ name: '孙丙', phone: uniquePhone() }],
      preferredMediatorId: ids.mediatorNode,
    }),
    convertLeadToCase: () => ({ leadId: ids.lead }),
    recordLeadOutcome: () => ({ leadId: ids.lead, outcome: 'RESOLVED_ON_SPOT', resolution: '现场疏通排水沟，双方和好' }),
    submitScreeningReport: () => ({ regionCode: w.village.code, week: '2026-W47', leadIds: [ids.lead] }),
    issueSupervisionOrder: () => ({ leadId: ids.lead, reason: '线索久未处理', requiredAction: '上门化解', dueAt: inDays(5) }),
    respondToSupervision: () => ({ orderId: ids.order, measures: '已上门化解' }),
    appointAgent: () => ({ caseId, name: '钱代理', phone: uniquePhone(), authority: '特别授权：代为签署调解协议、申请司法确认', specialAuthority: true }),
    // 以案定补 on the world's case; the statement commands name a statement the world does not hold.
    proposeSubsidyGrade: () => ({ caseId, grade: 'ORDINARY', reason: '一般邻里纠纷，调解一次' }),
    regradeSubsidyCase: () => ({ caseId, grade: 'SIMPLE', reason: '案情简单' }),
    recordSubsidySpotCheck: () => ({ caseId, method: 'PHONE', outcome: 'SOUND', partyReached: '申请人', note: '电话抽查，当事人确认调解属实' }),
    reviewSubsidyStatement: () => ({ statementId: gid('SubsidyStatement', randomUUID()) }),
    approveSubsidyStatement: () => ({ statementId: gid('SubsidyStatement', randomUUID()) }),
    paySubsidyStatement: () => ({ statementId: gid('SubsidyStatement', randomUUID()) }),
    correctSubsidyStatement: () => ({ statementId: gid('SubsidyStatement', randomUUID()), reason: '更正等级' }),
  };
  const make = byOp[op];
  if (!make) throw new Error(`no input for ${op}: add one to access-matrix.test.ts`);
  return make();
}

/** A value of the right type for a required field the input builder left out. */
function fill(type: GraphQLInputType, given: unknown): unknown {
  if (given !== undefined) return given;
  const t = isNonNullType(type) ? type.ofType : type;
  if (isListType(t)) return [fill(t.ofType, undefined)];
  if (isEnumType(t)) return t.getValues()[0]!.value;
  if (isInputObjectType(t)) return fillObject(t, {});
  switch (t.name) {
    case 'Int':
      return 1;
    case 'Boolean':
      return true;
    case 'Date':
      return '2026-12-20';
    case 'DateTime':
      return inDays(3);
    case 'Money':
      return '100.00';
    case 'ID':
      return gid('Case', randomUUID());
    default:
      return '双方当事人同意';
  }
}

function fillObject(t: GraphQLInputObjectType, given: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...given };
  for (const [name, f] of Object.entries(t.getFields())) {
    if (out[name] === undefined && isNonNullType(f.type)) out[name] = fill(f.type, undefined);
  }
  return out;
}

// ---- running one pair ------------------------------------------------------------------------

interface Observed {
  outcome: Outcome | 'ERROR';
  detail: string;
}

function gqlAs(viewer: ViewerKey, query: string, variables: Record<string, unknown>) {
  return ctx.gql(query, variables, tokens[viewer]);
}

function classifyResult(r: { __typename?: string; code?: string; message?: string } | undefined): Observed {
  if (!r?.__typename) return { outcome: 'ERROR', detail: JSON.stringify(r) };
  if (r.__typename.endsWith('Success')) return { outcome: 'ALLOWED', detail: 'Success' };
  if (r.code === 'NOT_FOUND') return { outcome: 'NOT_FOUND', detail: r.message ?? '' };
  if (r.code === 'UNAUTHENTICATED') return { outcome: 'UNAUTHENTICATED', detail: r.message ?? '' };
  if (r.code === 'FORBIDDEN') return { outcome: 'FORBIDDEN', detail: r.message ?? '' };
  // A typed domain error after the access check (wrong state, conflict, deadline, validation).
  return { outcome: 'ALLOWED', detail: `${r.code}: ${r.message}` };
}

async function runMutation(op: string, viewer: ViewerKey): Promise<Observed> {
  const mutation = schema.getMutationType()!.getFields()[op]!;
  const inputType = getNamedType(mutation.args[0]!.type) as GraphQLInputObjectType;
  const input = fillObject(inputType, inputFor(op));
  const res = await gqlAs(viewer, `mutation($input: ${inputType.name}!) { ${op}(input: $input) { __typename ... on Error { code message } } }`, { input });
  if (res.body.errors?.length) return { outcome: 'ERROR', detail: JSON.stringify(res.body.errors) };
  return classifyResult(res.data?.[op]);
}

const NODE_TARGET: Record<string, () => string> = {
  Case: () => ids.case!,
  Agreement: () => ids.agreement!,
  ConfirmationApplication: () => ids.application!,
  LitigationTransfer: () => ids.transfer!,
  Session: () => ids.session!,
  Evidence: () => ids.evidence!,
  FollowUp: () => ids.followUp!,
  EnforcementApplication: () => gid('EnforcementApplication', randomUUID()),
  SubsidyStatement: () => gid('SubsidyStatement', randomUUID()),
  DisputeLead: () => ids.lead!,
  SupervisionOrder: () => ids.order!,
  User: () => ids.user!,
  Organization: () => ids.organization!,
  Mediator: () => ids.mediatorNode!,
  ApiClient: () => ids.apiClient!,
};

/** Full when every party's phone reads in full, masked when one reads masked or not at all. */
function readsParties(parties: { phone: string | null }[] | undefined): Outcome {
  if (!parties?.length) return 'MASKED';
  return parties.every((p) => p.phone !== null && fullPhones.includes(p.phone)) ? 'ALLOWED' : 'MASKED';
}

/** A refusal raised on the query field itself (its login or role scope). */
function fieldRefusal(res: { body: { errors?: { extensions?: Record<string, unknown> }[] } }): Observed | null {
  const code = res.body.errors?.[0]?.extensions?.code;
  if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return { outcome: code, detail: 'field scope' };
  return null;
}

async function runQuery(key: string, viewer: ViewerKey): Promise<Observed> {
  const CASE_FIELDS = 'id parties { phone idNumber }';
  if (key === 'query case') {
    const res = await gqlAs(viewer, `query($id: ID!) { case(id: $id) { ${CASE_FIELDS} } }`, { id: ids.case });
    const c = res.data?.case;
    return c ? { outcome: readsParties(c.parties), detail: JSON.stringify(c.parties) } : { outcome: 'NOT_FOUND', detail: JSON.stringify(res.body.errors ?? null) };
  }
  if (key === 'query nodes') {
    const res = await gqlAs(viewer, `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Case { ${CASE_FIELDS} } } }`, { ids: [ids.case] });
    const c = res.data?.nodes?.[0];
    return c ? { outcome: readsParties(c.parties), detail: JSON.stringify(c.parties) } : { outcome: 'NOT_FOUND', detail: JSON.stringify(res.body.errors ?? null) };
  }
  if (key === 'query agreementPreview') {
    const res = await gqlAs(
      viewer,
      `query($input: DraftAgreementInput!) { agreementPreview(input: $input) { __typename ... on AgreementPreviewSuccess { byteLength } ... on Error { code message } } }`,
      { input: draftInput(ids.case!, ids.respondentParty!) },
    );
    return fieldRefusal(res) ?? (res.body.errors?.length ? { outcome: 'ERROR', detail: JSON.stringify(res.body.errors) } : classifyResult(res.data?.agreementPreview));
  }
  if (key === 'query subsidyEligibility') {
    const res = await gqlAs(viewer, `query($id: ID!) { subsidyEligibility(caseId: $id) { __typename ... on Error { code message } } }`, { id: ids.case });
    return fieldRefusal(res) ?? (res.body.errors?.length ? { outcome: 'ERROR', detail: JSON.stringify(res.body.errors) } : classifyResult(res.data?.subsidyEligibility));
  }
  if (key === 'query eligibleCourts') {
    const res = await gqlAs(viewer, `query($id: ID!) { eligibleCourts(agreementId: $id) { court { id } } }`, { id: ids.agreement });
    const list = res.data?.eligibleCourts;
    const refused = fieldRefusal(res);
    if (refused) return refused;
    if (!list) return { outcome: 'ERROR', detail: JSON.stringify(res.body) };
    return { outcome: list.length ? 'ALLOWED' : 'NOT_FOUND', detail: `${list.length} courts` };
  }
  const type = key.slice('query node:'.length);
  const target = NODE_TARGET[type];
  if (!target) throw new Error(`no ${type} in the world: add it to NODE_TARGET`);
  const fields: Record<string, string> = {
    Case: CASE_FIELDS,
    ConfirmationApplication: 'id materials { parties { phone } }',
    User: 'id phone',
  };
  const res = await gqlAs(viewer, `query($id: ID!) { node(id: $id) { __typename ... on ${type} { ${fields[type] ?? 'id'} } } }`, { id: target() });
  const refused = fieldRefusal(res);
  if (refused) return refused;
  if (res.body.errors?.length) return { outcome: 'ERROR', detail: JSON.stringify(res.body.errors) };
  const n = res.data?.node;
  if (!n) return { outcome: 'NOT_FOUND', detail: 'null' };
  if (type === 'Case') return { outcome: readsParties(n.parties), detail: JSON.stringify(n.parties) };
  if (type === 'ConfirmationApplication') return { outcome: n.materials ? readsParties(n.materials.parties) : 'MASKED', detail: JSON.stringify(n.materials) };
  if (type === 'User') return { outcome: n.phone === w.applicant.phone ? 'ALLOWED' : 'MASKED', detail: String(n.phone) };
  return { outcome: 'ALLOWED', detail: n.__typename };
}

function statusOutcome(status: number, body: unknown): Observed {
  const detail = `${status} ${JSON.stringify(body).slice(0, 120)}`;
  if (status >= 200 && status < 300) return { outcome: 'ALLOWED', detail };
  if (status === 401) return { outcome: 'UNAUTHENTICATED', detail };
  if (status === 403) return { outcome: 'FORBIDDEN', detail };
  if (status === 404) return { outcome: 'NOT_FOUND', detail };
  if (status >= 500) return { outcome: 'ERROR', detail };
  // 400/409/413/415: a typed refusal after the access check (e.g. the case no longer takes evidence).
  return { outcome: 'ALLOWED', detail };
}

async function runRoute(key: string, viewer: ViewerKey): Promise<Observed> {
  const token = tokens[viewer];
  const auth = <T extends request.Test>(r: T) => (token ? r.set('authorization', `Bearer ${token}`) : r);
  if (key === 'GET /files/agreements/:file') {
    const res = await auth(request(ctx.app).get(`/files/agreements/${raw.agreementRowId}.pdf`));
    return statusOutcome(res.status, res.headers['content-type']);
  }
  if (key === 'GET /files/evidence/:evidenceId') {
    const evidenceRowId = (await one<{ id: string }>(sql`select id from evidence where case_id = ${raw.caseRowId} order by created_at limit 1`)).id;
    const res = await auth(request(ctx.app).get(`/files/evidence/${evidenceRowId}`));
    return statusOutcome(res.status, res.headers['content-type']);
  }
  if (key === 'GET /verify/:code') {
    const res = await request(ctx.app).get(`/verify/${raw.verificationCode}`).set('accept', 'application/json');
    return statusOutcome(res.status, res.body);
  }
  if (key === 'POST /cases/:caseId/evidence') {
    const res = await upload(ctx, token, ids.case!, { bytes: sample.pdf() });
    return statusOutcome(res.status, res.body);
  }
  if (key === 'GET /reports/subsidy-statements/:file') {
    const res = await auth(request(ctx.app).get(`/reports/subsidy-statements/${randomUUID()}.xlsx`));
    return statusOutcome(res.status, res.headers['content-type']);
  }
  throw new Error(`no runner for route ${key}`);
}

// ---- what the schema and the router say exists ------------------------------------------------

function takesId(type: GraphQLInputType, depth = 0): boolean {
  const named = getNamedType(type);
  if (named.name === 'ID') return true;
  if (isInputObjectType(named) && depth < 3) return Object.values(named.getFields()).some((f) => takesId(f.type, depth + 1));
  return false;
}

/** Every query and mutation with an id argument (node split per Node type), from the built schema. */
function operationsFromSchema(): string[] {
  const out: string[] = [];
  for (const [name, f] of Object.entries(schema.getQueryType()!.getFields())) {
    if (!f.args.some((a) => takesId(a.type))) continue;
    if (name === 'node') {
      const nodeTypes = Object.values(schema.getTypeMap()).filter((t) => isObjectType(t) && t.getInterfaces().some((i) => i.name === 'Node'));
      out.push(...nodeTypes.map((t) => `query node:${t.name}`));
    } else out.push(`query ${name}`);
  }
  for (const [name, f] of Object.entries(schema.getMutationType()!.getFields())) {
    if (f.args.some((a) => takesId(a.type))) out.push(name);
  }
  return out;
}

/** Every route of the app with a path parameter (the file routes), from express's router. */
function routesFromApp(): string[] {
  const out: string[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route?.path && String(layer.route.path).includes(':')) {
        for (const method of Object.keys(layer.route.methods)) out.push(`${method.toUpperCase()} ${layer.route.path}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((ctx.app as any).router.stack);
  return out;
}

// Late in the allowed phase: what, when it succeeds, takes the case or application away from someone.
const LAST = ['openCaseContent', 'ruleOnConfirmation', 'declineConfirmationApplication', 'treatAsWithdrawn', 'withdrawConfirmationApplication', 'transferToLitigation', 'withdrawCase', 'transferCase', 'delegateMediation', 'terminateMediation', 'requestAnotherMediator'];

/** Digest of every row of the world: the tables keyed by case, and the objects the mutations name. */
async function worldDigest(): Promise<string> {
  const tables = await queryRows<{ table_name: string }>(
    ctx.deps.db,
    sql`select table_name from information_schema.columns where table_schema = current_schema() and column_name = 'case_id' order by table_name`,
  );
  const caseIds = (await queryRows<{ id: string }>(ctx.deps.db, sql`select case_id as id from case_parties where user_id = ${w.applicant.userId}`)).map((r) => r.id);
  const parts: string[] = [];
  const idList = sql.join(caseIds.map((id) => sql`${id}::uuid`), sql`, `);
  for (const { table_name } of tables) {
    const [r] = await queryRows<{ d: string | null }>(ctx.deps.db, sql`select md5(coalesce(string_agg(to_jsonb(t)::text, '|' order by to_jsonb(t)::text), '')) as d from ${sql.identifier(table_name)} t where t.case_id in (${idList})`);
    parts.push(`${table_name}:${r!.d}`);
  }
  for (const [table, where] of [
    ['cases', sql`t.id in (${idList})`],
    ['events', sql`t.subject_id in (${idList})`],
    ['dispute_leads', sql`t.region_code = ${w.village.code}`],
    ['supervision_orders', sql`t.region_code like ${`${w.county.code}%`}`],
    ['organizations', sql`t.region_code like ${`${w.county.code}%`}`],
    ['users', sql`t.organization_id in (select id from organizations where region_code like ${`${w.county.code}%`})`],
    ['api_clients', sql`t.organization_id in (${sql`${w.court.id}::uuid`}, ${sql`${w.otherCourt.id}::uuid`})`],
  ] as const) {
    const [r] = await queryRows<{ d: string | null }>(ctx.deps.db, sql`select md5(coalesce(string_agg(to_jsonb(t)::text, '|' order by to_jsonb(t)::text), '')) as d from ${sql.identifier(table)} t where ${where}`);
    parts.push(`${table}:${r!.d}`);
  }
  return parts.join('\n');
}

describe('access matrix: every operation that takes an id × every viewer', () => {
  it('has a row for every such operation of the schema and every file route, and no row for anything else', () => {
    const existing = [...operationsFromSchema(), ...routesFromApp()];
    const missing = existing.filter((op) => !(op in MATRIX));
    expect(missing, 'operations without a row in access-matrix.table.ts').toEqual([]);
    expect(Object.keys(MATRIX).filter((k) => !existing.includes(k)), 'rows for operations that no longer exist').toEqual([]);
    for (const [op, r] of Object.entries(MATRIX)) expect(Object.keys(r).sort(), op).toEqual([...VIEWERS].sort());
  });

  it('every pair answers as the table says; refused mutations change nothing', async () => {
    const mismatches: string[] = [];
    let pairs = 0;
    const check = (op: string, viewer: ViewerKey, got: Observed) => {
      pairs++;
      const expected = MATRIX[op]![viewer];
      if (got.outcome !== expected) mismatches.push(`${op} × ${viewer}: expected ${expected}, got ${got.outcome} (${got.detail})`);
    };
    const keys = Object.keys(MATRIX);
    const queries = keys.filter((k) => k.startsWith('query '));
    const routes = keys.filter((k) => /^(GET|POST) /.test(k));
    const mutations = keys.filter((k) => !queries.includes(k) && !routes.includes(k));

    // Reads first, while the world is as built.
    for (const op of queries) for (const v of VIEWERS) check(op, v, await runQuery(op, v));
    for (const op of routes.filter((r) => r.startsWith('GET'))) for (const v of VIEWERS) check(op, v, await runRoute(op, v));

    // Refused writes: the typed refusal, and not one row of the world changed.
    const refused = (op: string) => VIEWERS.filter((v) => MATRIX[op]![v] !== 'ALLOWED');
    for (const op of [...mutations, ...routes.filter((r) => r.startsWith('POST'))]) {
      const before = await worldDigest();
      for (const v of refused(op)) check(op, v, op.startsWith('POST') ? await runRoute(op, v) : await runMutation(op, v));
      const after = await worldDigest();
      if (after !== before) mismatches.push(`${op}: a refused request changed the world:\n${diff(before, after)}`);
    }

    // Allowed writes: past the access check. What takes the case away from someone runs last.
    const ordered = [...mutations.filter((m) => !LAST.includes(m)), ...LAST.filter((m) => mutations.includes(m))];
    for (const op of [...routes.filter((r) => r.startsWith('POST')), ...ordered]) {
      for (const v of VIEWERS.filter((x) => MATRIX[op]![x] === 'ALLOWED')) check(op, v, op.startsWith('POST') ? await runRoute(op, v) : await runMutation(op, v));
    }

    console.log(`access matrix: ${pairs} (operation, viewer) pairs checked over ${keys.length} operations and ${VIEWERS.length} viewers`);
    expect(pairs).toBe(keys.length * VIEWERS.length);
    expect(mismatches, mismatches.join('\n')).toEqual([]);
  }, 600_000);
});

function diff(a: string, b: string): string {
  const x = a.split('\n');
  return b
    .split('\n')
    .filter((line, i) => line !== x[i])
    .join('\n');
}
