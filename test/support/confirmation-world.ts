import { decodeGlobalID } from '@pothos/plugin-relay';
import { expect } from 'vitest';
import { adminOf, courtOf, PASSWORD, type OrgRef } from './factories';
import type { TestContext } from './harness';
import { uniquePhone } from './harness';
import { caseInMediation, createCaseWorld, type CaseWorld } from './case-world';

export const CREATE_API_CLIENT = /* GraphQL */ `
  mutation ($input: CreateApiClientInput!) {
    createApiClient(input: $input) {
      __typename
      ... on CreateApiClientSuccess { apiClient { id } secret webhookSecret }
      ... on Error { code message }
    }
  }
`;

export const DRAFT = /* GraphQL */ `
  mutation ($input: DraftAgreementInput!) {
    draftAgreement(input: $input) {
      __typename
      ... on DraftAgreementSuccess { agreement { id status } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`;
export const SIGN = /* GraphQL */ `
  mutation ($input: SignAgreementInput!) {
    signAgreement(input: $input) {
      __typename
      ... on SignAgreementSuccess { agreement { id status effectiveAt confirmationDeadline sha256 } }
      ... on Error { code message }
    }
  }
`;
const TERMINATE = /* GraphQL */ `
  mutation ($input: TerminateMediationInput!) {
    terminateMediation(input: $input) {
      __typename
      ... on TerminateMediationSuccess { case { id status } }
      ... on Error { code message }
    }
  }
`;

export interface CourtClient {
  court: OrgRef & { courtCode: string };
  clientId: string;
  secret: string;
  webhookSecret: string | null;
}

/** An API client of `court` (created through the API), optionally with a webhook URL. */
export async function courtClient(ctx: TestContext, adminToken: string, court: OrgRef, webhookUrl: string | null = null): Promise<CourtClient> {
  const res = await ctx.gql(CREATE_API_CLIENT, { input: { name: `法院系统${uniquePhone().slice(-6)}`, organizationId: court.globalId, webhookUrl } }, adminToken);
  const r = res.data?.createApiClient;
  if (r?.__typename !== 'CreateApiClientSuccess') throw new Error(`createApiClient failed: ${JSON.stringify(res.body)}`);
  const org = await ctx.gql(`query($id: ID!) { node(id: $id) { ... on Organization { courtCode } } }`, { id: court.globalId }, adminToken);
  return { court: { ...court, courtCode: org.data.node.courtCode }, clientId: decodeGlobalID(r.apiClient.id).id, secret: r.secret, webhookSecret: r.webhookSecret };
}

export interface ConfirmationWorld extends CaseWorld {
  /** The basic court of the world's county (subject matter and organisation's place). */
  court: OrgRef;
  /** The intermediate court of the prefecture: not eligible for a small neighbour dispute. */
  otherCourt: OrgRef;
}

/** A case world plus its county court and the prefecture's intermediate court. */
export async function createConfirmationWorld(ctx: TestContext): Promise<ConfirmationWorld> {
  const w = await createCaseWorld(ctx);
  const admin = await adminOf(ctx);
  const court = await courtOf(ctx, admin.token, w.county.code);
  const otherCourt = await courtOf(ctx, admin.token, `${w.county.code.slice(0, 4)}00`);
  return { ...w, admin, court, otherCourt };
}

const gqlOk = async (ctx: TestContext, query: string, input: Record<string, unknown>, token: string) => {
  const res = await ctx.gql(query, { input }, token);
  const result = Object.values(res.data ?? {})[0] as { __typename: string } | undefined;
  if (!result || !result.__typename.endsWith('Success')) throw new Error(`${query.slice(0, 60)} failed: ${JSON.stringify(res.body)}`);
  return result as any;
};

/**
 * Holds an on-site session (进村出诊) in the mediation: minutes kept by the mediator and confirmed by
 * both parties, and an undisputed fact both confirm (OMR 22).
 */
export async function holdSession(ctx: TestContext, w: CaseWorld, caseId: string, mediatorToken: string) {
  const startsAt = new Date(ctx.clock.now().getTime() + 3600_000).toISOString();
  const { session } = await gqlOk(ctx, `mutation($input: ScheduleSessionInput!) { scheduleSession(input: $input) { __typename ... on ScheduleSessionSuccess { session { id } } } }`,
    { caseId, mode: 'ON_SITE', kind: 'VILLAGE_VISIT', place: '圭山村委会调解室', startsAt }, mediatorToken);
  const { session: kept } = await gqlOk(ctx, `mutation($input: UpdateMinutesInput!) { updateMinutes(input: $input) { __typename ... on UpdateMinutesSuccess { session { id minutes { version } } } } }`,
    { sessionId: session.id, text: '调解员到现场查看：被申请人屋檐滴水落入申请人院内，双方同意改建排水设施。' }, mediatorToken);
  for (const party of [w.applicant, w.respondent]) {
    await gqlOk(ctx, `mutation($input: ConfirmMinutesInput!) { confirmMinutes(input: $input) { __typename ... on ConfirmMinutesSuccess { session { id } } } }`,
      { sessionId: session.id, version: kept.minutes.version }, party.token);
  }
  const { fact } = await gqlOk(ctx, `mutation($input: AddUndisputedFactInput!) { addUndisputedFact(input: $input) { __typename ... on AddUndisputedFactSuccess { fact { id } } } }`,
    { caseId, sessionId: session.id, text: '被申请人房屋屋檐滴水落入申请人院内。' }, mediatorToken);
  for (const party of [w.applicant, w.respondent]) {
    await gqlOk(ctx, `mutation($input: ConfirmUndisputedFactInput!) { confirmUndisputedFact(input: $input) { __typename ... on ConfirmUndisputedFactSuccess { fact { id } } } }`, { factId: fact.id }, party.token);
  }
  return session.id as string;
}

/** Drives a case through the API to SETTLED with an EFFECTIVE agreement: draft, all parties and the mediator sign. */
export async function settledCase(ctx: TestContext, w: CaseWorld, opts: { withSession?: boolean } = {}) {
  const { case: c, mediator } = await caseInMediation(ctx, w);
  if (opts.withSession) await holdSession(ctx, w, c.id, mediator.token);
  const drafted = await ctx.gql(
    DRAFT,
    {
      input: {
        caseId: c.id,
        facts: '被申请人新建房屋屋檐滴水落入申请人院内。',
        issues: '排水设施改建及损失赔偿。',
        terms: [{ text: '被申请人于2026年12月20日前改建排水设施并赔偿申请人损失人民币三千元。', amount: '3000.00', dueDate: '2026-12-20' }],
        performanceMethod: '一次性转账支付',
        performanceDeadline: '2026-12-20',
      },
    },
    mediator.token,
  );
  const agreementId = drafted.data?.draftAgreement?.agreement?.id;
  if (!agreementId) throw new Error(`draftAgreement failed: ${JSON.stringify(drafted.body)}`);
  let last: any = null;
  for (const signer of [w.applicant, w.respondent, mediator]) {
    const signed = await ctx.gql(SIGN, { input: { agreementId, password: PASSWORD } }, signer.token);
    if (signed.data?.signAgreement?.__typename !== 'SignAgreementSuccess') throw new Error(`signAgreement failed: ${JSON.stringify(signed.body)}`);
    last = signed.data.signAgreement.agreement;
  }
  expect(last.status).toBe('EFFECTIVE');
  return { caseId: c.id as string, agreementId: agreementId as string, agreement: last, mediator };
}

/** Drives a case through the API to FAILED: in mediation, then the mediator terminates it. */
export async function failedCase(ctx: TestContext, w: CaseWorld) {
  const { case: c, mediator } = await caseInMediation(ctx, w);
  const res = await ctx.gql(TERMINATE, { input: { caseId: c.id, ground: 'POSITIONS_TOO_FAR_APART', note: '双方对赔偿数额分歧过大', notesForCourt: '双方均认可滴水事实' } }, mediator.token);
  if (res.data?.terminateMediation?.case?.status !== 'FAILED') throw new Error(`terminateMediation failed: ${JSON.stringify(res.body)}`);
  return { caseId: c.id as string, mediator };
}

export const APPLY = /* GraphQL */ `
  mutation ($input: ApplyForJudicialConfirmationInput!) {
    applyForJudicialConfirmation(input: $input) {
      __typename
      ... on ApplyForJudicialConfirmationSuccess {
        application { id status submittedAt acceptanceDueAt applicants { name role } court { id name }
          materials { agreement { sha256 fileId number } parties { name domicile phone } organization { name kind } } }
      }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`;

const APP_FIELDS = 'id status submittedAt acceptedAt decisionDueAt statutoryCapAt acceptanceLate overdue beyondStatutoryCap rulingNumber rulingDate rejectionGround notAcceptedGround extension { approvedBy } supplements { items answer answeredAt } case { id status }';

/** A court-side or party-side mutation on an application, returning the union as it came. */
export function appMutation(name: string, inputType: string) {
  const success = `${name[0]!.toUpperCase()}${name.slice(1)}Success`;
  return /* GraphQL */ `
    mutation ($input: ${inputType}!) {
      ${name}(input: $input) {
        __typename
        ... on ${success} { application { ${APP_FIELDS} } }
        ... on Error { code message }
        ... on ValidationError { fields { field message } }
      }
    }
  `;
}

export const ACCEPT_APP = appMutation('acceptConfirmationApplication', 'AcceptConfirmationApplicationInput');
export const DECLINE_APP = appMutation('declineConfirmationApplication', 'DeclineConfirmationApplicationInput');
export const RULE = appMutation('ruleOnConfirmation', 'RuleOnConfirmationInput');
export const REQUEST_SUPPLEMENT = appMutation('requestSupplement', 'RequestSupplementInput');
export const SUBMIT_SUPPLEMENT = appMutation('submitSupplement', 'SubmitSupplementInput');
export const WITHDRAW_APP = appMutation('withdrawConfirmationApplication', 'WithdrawConfirmationApplicationInput');
export const EXTEND = appMutation('extendConfirmationReview', 'ExtendConfirmationReviewInput');
export const TREAT_AS_WITHDRAWN = appMutation('treatAsWithdrawn', 'TreatAsWithdrawnInput');

/** Both parties apply to `court`; returns the submitted application. */
export async function jointlyApply(ctx: TestContext, w: CaseWorld, agreementId: string, court: OrgRef) {
  const first = await ctx.gql(APPLY, { input: { agreementId, courtId: court.globalId } }, w.applicant.token);
  expect(first.data.applyForJudicialConfirmation.__typename, JSON.stringify(first.body)).toBe('ApplyForJudicialConfirmationSuccess');
  expect(first.data.applyForJudicialConfirmation.application.status).toBe('AWAITING_CO_APPLICANT');
  const second = await ctx.gql(APPLY, { input: { agreementId, courtId: court.globalId } }, w.respondent.token);
  expect(second.data.applyForJudicialConfirmation.__typename, JSON.stringify(second.body)).toBe('ApplyForJudicialConfirmationSuccess');
  const app = second.data.applyForJudicialConfirmation.application;
  expect(app.status).toBe('SUBMITTED');
  return app as { id: string; status: string; submittedAt: string; acceptanceDueAt: string; applicants: { name: string }[]; materials: any };
}

/** A ruling or docket number of this court for the clock's year, unique per call, in canonical form (full-width parentheses). */
export function caseNumberFor(ctx: TestContext, courtCode: string, typeCode: '民特' | '民初'): string {
  const year = new Date(ctx.clock.now().getTime() + 8 * 3600_000).getUTCFullYear();
  return `（${year}）${courtCode}${typeCode}${Number(uniquePhone().slice(-7)) + 1}号`;
}
