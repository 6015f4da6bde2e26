import { sql } from 'drizzle-orm';
import { queryRows } from '../../server/db';
import { PASSWORD } from './factories';
import type { TestContext } from './harness';
import { ACCEPT, RESPOND, caseInMediation, fileNeighborDispute, type CaseWorld } from './case-world';
import { DRAFT, SIGN } from './agreements';

export const TERMINATE = /* GraphQL */ `
  mutation ($input: TerminateMediationInput!) {
    terminateMediation(input: $input) { __typename ... on TerminateMediationSuccess { case { id status level mediator { id } } } ... on Error { code message } }
  }
`;

/** Drafts and has everyone sign an agreement on a case in mediation with `mediatorToken`. */
export async function settleInMediation(ctx: TestContext, w: CaseWorld, caseId: string, mediatorToken: string): Promise<string> {
  const drafted = await ctx.gql(
    DRAFT,
    {
      input: {
        caseId,
        facts: '被申请人新建房屋屋檐滴水落入申请人院内。',
        issues: '排水设施改建及损失赔偿。',
        terms: [{ text: '被申请人于2026年12月20日前改建排水设施并赔偿申请人损失人民币三千元。', amount: '3000.00', dueDate: '2026-12-20' }],
        performanceMethod: '一次性转账支付',
        performanceDeadline: '2026-12-20',
      },
    },
    mediatorToken,
  );
  const agreementId = drafted.data?.draftAgreement?.agreement?.id;
  if (!agreementId) throw new Error(`draftAgreement failed: ${JSON.stringify(drafted.body)}`);
  for (const token of [w.applicant.token, w.respondent.token, mediatorToken]) {
    const signed = await ctx.gql(SIGN, { input: { agreementId, password: PASSWORD } }, token);
    if (signed.data?.signAgreement?.__typename !== 'SignAgreementSuccess') throw new Error(`signAgreement failed: ${JSON.stringify(signed.body)}`);
  }
  return agreementId as string;
}

/** A case that failed at village level, went up to the township and settled there. */
export async function escalatedAndSettled(ctx: TestContext, w: CaseWorld): Promise<string> {
  const { case: c, mediator } = await caseInMediation(ctx, w);
  ctx.clock.advance(2 * 86_400_000);
  const up = await ctx.gql(TERMINATE, { input: { caseId: c.id, ground: 'POSITIONS_TOO_FAR_APART', escalate: true } }, mediator.token);
  if (up.data?.terminateMediation?.case?.status !== 'ASSIGNING') throw new Error(`escalation failed: ${JSON.stringify(up.body)}`);
  ctx.clock.advance(86_400_000);
  const accepted = await ctx.gql(ACCEPT, { input: { caseId: c.id } }, w.townshipMediator.token);
  if (accepted.data?.acceptAssignment?.__typename !== 'AcceptAssignmentSuccess') throw new Error(`accept failed: ${JSON.stringify(accepted.body)}`);
  ctx.clock.advance(3 * 86_400_000);
  await settleInMediation(ctx, w, c.id, w.townshipMediator.token);
  return c.id as string;
}

export async function refusedCase(ctx: TestContext, w: CaseWorld): Promise<string> {
  const filed = await fileNeighborDispute(ctx, w);
  const res = await ctx.gql(RESPOND, { input: { caseId: filed.id, accept: false, reason: '不同意调解' } }, w.respondent.token);
  if (res.data?.respondToMediation?.__typename !== 'RespondToMediationSuccess') throw new Error(`refuse failed: ${JSON.stringify(res.body)}`);
  return filed.id;
}

export async function withdrawnCase(ctx: TestContext, w: CaseWorld): Promise<string> {
  const filed = await fileNeighborDispute(ctx, w);
  const res = await ctx.gql(
    `mutation($input: WithdrawCaseInput!) { withdrawCase(input: $input) { __typename ... on Error { code message } } }`,
    { input: { caseId: filed.id, reason: '已自行协商' } },
    w.applicant.token,
  );
  if (res.data?.withdrawCase?.__typename !== 'WithdrawCaseSuccess') throw new Error(`withdraw failed: ${JSON.stringify(res.body)}`);
  return filed.id;
}

export interface CaseRowsForCount {
  id: string;
  created_ms: number;
  status: string;
  category: string;
  channel: string | null;
  level: string | null;
  region_code: string;
  county_code: string;
  organization_id: string | null;
  mediator_id: string | null;
  due_ms: number | null;
}

/** The raw rows a direct count is made from: the cases of a county, their status events and assignments. */
export async function rowsOfCounty(ctx: TestContext, countyCode: string) {
  const caseRows = await queryRows<CaseRowsForCount & Record<string, unknown>>(
    ctx.deps.db,
    sql`select id::text, (extract(epoch from created_at) * 1000)::float8 as created_ms, status::text, category::text, channel::text,
          level::text, region_code, county_code, organization_id::text, mediator_id::text,
          (extract(epoch from due_at) * 1000)::float8 as due_ms from cases where county_code = ${countyCode}`,
  );
  const events = await queryRows<{ subject_id: string; seq: number; at_ms: number; before_status: string | null; after_status: string | null }>(
    ctx.deps.db,
    sql`select e.subject_id::text, e.seq, (extract(epoch from e.at) * 1000)::float8 as at_ms, e.before_status, e.after_status from events e
        join cases c on c.id = e.subject_id where e.subject_type = 'case' and c.county_code = ${countyCode} order by e.subject_id, e.seq`,
  );
  const assignments = await queryRows<{ case_id: string; level: string; kind: string; created_ms: number }>(
    ctx.deps.db,
    sql`select a.case_id::text, a.level::text, a.kind, (extract(epoch from a.created_at) * 1000)::float8 as created_ms from case_assignments a
        join cases c on c.id = a.case_id where c.county_code = ${countyCode} order by a.created_at`,
  );
  const followUps = await queryRows<{ case_id: string; status: string; recorded_ms: number | null }>(
    ctx.deps.db,
    sql`select f.case_id::text, f.status::text, (extract(epoch from f.recorded_at) * 1000)::float8 as recorded_ms from follow_ups f
        join cases c on c.id = f.case_id where c.county_code = ${countyCode}`,
  );
  const termResults = await queryRows<{ case_id: string; performance: string; recorded_ms: number }>(
    ctx.deps.db,
    sql`select r.case_id::text, r.performance::text, (extract(epoch from r.recorded_at) * 1000)::float8 as recorded_ms from follow_up_term_results r
        join cases c on c.id = r.case_id where c.county_code = ${countyCode}`,
  );
  const ratings = await queryRows<{ case_id: string; score: number; created_ms: number }>(
    ctx.deps.db,
    sql`select r.case_id::text, r.score, (extract(epoch from r.created_at) * 1000)::float8 as created_ms from mediation_ratings r
        join cases c on c.id = r.case_id where c.county_code = ${countyCode}`,
  );
  const leads = await queryRows<{ region_code: string; category: string; organization_id: string | null; found_on: string; status: string }>(
    ctx.deps.db,
    sql`select region_code, category::text, organization_id::text, found_on::text, status::text from dispute_leads where county_code = ${countyCode}`,
  );
  return { caseRows, events, assignments, followUps, termResults, ratings, leads };
}
