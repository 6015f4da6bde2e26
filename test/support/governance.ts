import { sql } from 'drizzle-orm';
import { queryRows } from '../../server/db';
import type { TestContext } from './harness';
import { uniquePhone } from './harness';
import { createOrg, userWithRole, type Login, type OrgRef } from './factories';
import type { CaseWorld } from './case-world';

export const RECORD_LEAD = /* GraphQL */ `
  mutation ($input: RecordDisputeLeadInput!) {
    recordDisputeLead(input: $input) {
      __typename
      ... on RecordDisputeLeadSuccess { lead { id status riskLevel regionCode foundOn category source people { name phone idNumber } } }
      ... on ValidationError { code fields { field message } }
      ... on Error { code message }
    }
  }
`;

export const LEAD_OUTCOME = /* GraphQL */ `
  mutation ($input: RecordLeadOutcomeInput!) {
    recordLeadOutcome(input: $input) {
      __typename
      ... on RecordLeadOutcomeSuccess { lead { id status resolution referredTo referralReason watchPersonName watchReviewDate watchMeasures outcomeAt } }
      ... on ValidationError { code fields { field message } }
      ... on Error { code message }
    }
  }
`;

export const CONVERT = /* GraphQL */ `
  mutation ($input: ConvertLeadToCaseInput!) {
    convertLeadToCase(input: $input) {
      __typename
      ... on ConvertLeadToCaseSuccess { case { id number status filedVia parties { role name consent } } lead { id status case { id } } }
      ... on ValidationError { code fields { field message } }
      ... on Error { code message }
    }
  }
`;

export const SUBMIT_REPORT = /* GraphQL */ `
  mutation ($input: SubmitScreeningReportInput!) {
    submitScreeningReport(input: $input) {
      __typename
      ... on SubmitScreeningReportSuccess { report { id regionCode week status nothingFound leadCount late } }
      ... on ValidationError { code fields { field message } }
      ... on Error { code message }
    }
  }
`;

/** A second village of the world's township with its own committee and grid worker. */
export async function secondVillage(ctx: TestContext, w: CaseWorld): Promise<{ code: string; org: OrgRef; gridWorker: Login }> {
  const [v] = await queryRows<{ code: string; name: string }>(
    ctx.deps.db,
    sql`select code, name from regions where parent_code = ${w.township.code} and code <> ${w.village.code} order by code limit 1`,
  );
  if (!v) throw new Error('the township has one village only');
  const org = await createOrg(ctx, w.admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: v.code, name: `${v.name}人民调解委员会${uniquePhone().slice(-4)}` });
  const gridWorker = await userWithRole(ctx, 'GRID_WORKER', { organizationId: org.id });
  return { code: v.code, org, gridWorker };
}

/** Staff of the world: a grid worker of its village and admins of its three committees. */
export async function governanceStaff(ctx: TestContext, w: CaseWorld) {
  return {
    gridWorker: await userWithRole(ctx, 'GRID_WORKER', { organizationId: w.villageOrg.id, name: '网格员张丽' }),
    villageAdmin: await userWithRole(ctx, 'ORG_ADMIN', { organizationId: w.villageOrg.id }),
    townshipAdmin: await userWithRole(ctx, 'ORG_ADMIN', { organizationId: w.townshipOrg.id }),
    countyAdmin: await userWithRole(ctx, 'ORG_ADMIN', { organizationId: w.countyOrg.id }),
  };
}

/** The first result of a mutation response, failing loudly when it is not a success. */
export function ok<T = any>(res: { data: any; body: unknown }): T {
  const r = Object.values(res.data ?? {})[0] as { __typename?: string } | undefined;
  if (!r?.__typename?.endsWith('Success')) throw new Error(`expected success: ${JSON.stringify(res.body)}`);
  return r as T;
}
