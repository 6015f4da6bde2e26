import { randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../server/db';
import type { TestContext } from './harness';
import { uniquePhone } from './harness';
import { adminOf, createMediatorAccount, createOrg, loginAs, registerParty, type Login, type OrgRef } from './factories';

export interface CaseWorld {
  admin: Login;
  county: { code: string; name: string };
  township: { code: string; name: string };
  village: { code: string; name: string };
  villageOrg: OrgRef;
  townshipOrg: OrgRef;
  countyOrg: OrgRef;
  villageMediators: (Login & { mediatorGlobalId: string })[];
  townshipMediator: Login & { mediatorGlobalId: string };
  countyMediator: Login & { mediatorGlobalId: string };
  applicant: Login & { idNumber: string | null };
  respondent: Login & { idNumber: string | null };
}

/**
 * A Yunnan county that no test has used yet, with people's mediation committees at village,
 * township and county level and their mediators: diversion in one test file never sees another's
 * organisations.
 */
export async function createCaseWorld(ctx: TestContext, opts: { villageMediators?: number } = {}): Promise<CaseWorld> {
  const admin = await adminOf(ctx);
  const free = await queryRows<{ code: string; name: string }>(
    ctx.deps.db,
    sql`select c.code, c.name from regions c where c.level = 'COUNTY' and c.code like '53%'
        and not exists (select 1 from organizations o where o.region_code like c.code || '%')
        and exists (select 1 from regions t where t.parent_code = c.code)`,
  );
  if (free.length === 0) throw new Error('no unused county left for a test world');
  const county = free[randomInt(0, free.length)]!;
  const [township] = await queryRows<{ code: string; name: string }>(
    ctx.deps.db,
    sql`select t.code, t.name from regions t where t.parent_code = ${county.code} and exists (select 1 from regions v where v.parent_code = t.code) order by t.code limit 1`,
  );
  const [village] = await queryRows<{ code: string; name: string }>(
    ctx.deps.db,
    sql`select code, name from regions where parent_code = ${township!.code} order by code limit 1`,
  );
  const peoples = ['FAMILY', 'MARRIAGE', 'NEIGHBOR', 'DEBT', 'INHERITANCE', 'LAND', 'OTHER'];
  const villageOrg = await createOrg(ctx, admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: village!.code, categories: peoples, name: `${village!.name}人民调解委员会${uniquePhone().slice(-4)}` });
  const townshipOrg = await createOrg(ctx, admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: township!.code, categories: peoples, name: `${township!.name}人民调解委员会${uniquePhone().slice(-4)}` });
  const countyOrg = await createOrg(ctx, admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: county.code, name: `${county.name}人民调解委员会${uniquePhone().slice(-4)}` });
  const villageMediators = [];
  for (let i = 0; i < (opts.villageMediators ?? 2); i++) {
    villageMediators.push(await createMediatorAccount(ctx, admin.token, villageOrg, { categories: ['NEIGHBOR', 'FAMILY'], languages: i === 0 ? ['zh'] : ['zh', 'ii'] }));
  }
  const townshipMediator = await createMediatorAccount(ctx, admin.token, townshipOrg, { categories: ['NEIGHBOR'] });
  const countyMediator = await createMediatorAccount(ctx, admin.token, countyOrg, { categories: ['NEIGHBOR'] });
  const applicant = await registerParty(ctx, { name: '李秀英' });
  const respondent = await registerParty(ctx, { name: '杨建国' });
  return { admin, county, township: township!, village: village!, villageOrg, townshipOrg, countyOrg, villageMediators, townshipMediator, countyMediator, applicant, respondent };
}

export const FILE = /* GraphQL */ `
  mutation ($input: FileDisputeInput!) {
    fileDispute(input: $input) {
      __typename
      ... on FileDisputeSuccess { case { id number status riskLevel } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`;

export const RESPOND = /* GraphQL */ `
  mutation ($input: RespondToMediationInput!) {
    respondToMediation(input: $input) {
      __typename
      ... on RespondToMediationSuccess { case { id status channel level organization { id name } mediator { id name } dueAt routing { reasons mediatorReasons alternatives { organizationName why } } } }
      ... on Error { code message }
    }
  }
`;

export const ACCEPT = /* GraphQL */ `
  mutation ($input: AcceptAssignmentInput!) {
    acceptAssignment(input: $input) {
      __typename
      ... on AcceptAssignmentSuccess { case { id number status dueAt mediator { id } } }
      ... on Error { code message }
    }
  }
`;

/** Files a neighbour dispute in the world's village as its applicant against its respondent. */
export async function fileNeighborDispute(ctx: TestContext, w: CaseWorld, extra: Record<string, unknown> = {}) {
  const res = await ctx.gql(
    FILE,
    {
      input: {
        category: 'NEIGHBOR',
        title: '宅基地滴水纠纷',
        description: '被申请人新建房屋屋檐滴水落入申请人院内，多次协商未果，请求调解。',
        regionCode: w.village.code,
        respondents: [{ name: w.respondent.name, phone: w.respondent.phone, address: '同村' }],
        claims: '请求被申请人改建排水设施并赔偿损失',
        amount: '3000.00',
        ...extra,
      },
    },
    w.applicant.token,
  );
  const r = res.data?.fileDispute;
  if (r?.__typename !== 'FileDisputeSuccess') throw new Error(`fileDispute failed: ${JSON.stringify(res.body)}`);
  return r.case as { id: string; number: string; status: string; riskLevel: string };
}

/** Files, gets consent and returns the case in ASSIGNING with its proposed mediator. */
export async function fileAndConsent(ctx: TestContext, w: CaseWorld) {
  const filed = await fileNeighborDispute(ctx, w);
  const res = await ctx.gql(RESPOND, { input: { caseId: filed.id, accept: true } }, w.respondent.token);
  const r = res.data?.respondToMediation;
  if (r?.__typename !== 'RespondToMediationSuccess') throw new Error(`respond failed: ${JSON.stringify(res.body)}`);
  return { ...filed, ...r.case };
}

/** Files, consents and has the proposed mediator accept: a case in MEDIATING. */
export async function caseInMediation(ctx: TestContext, w: CaseWorld) {
  const c = await fileAndConsent(ctx, w);
  const mediator = w.villageMediators.find((m) => m.mediatorGlobalId === c.mediator?.id);
  if (!mediator) throw new Error(`proposed mediator not in world: ${JSON.stringify(c)}`);
  const res = await ctx.gql(ACCEPT, { input: { caseId: c.id } }, mediator.token);
  if (res.data?.acceptAssignment?.__typename !== 'AcceptAssignmentSuccess') throw new Error(`accept failed: ${JSON.stringify(res.body)}`);
  return { case: { ...c, ...res.data.acceptAssignment.case }, mediator };
}

/** Login tokens last 7 days: after a test moves the clock, the people it names log in again (in place). */
export async function relogin(ctx: TestContext, ...people: Pick<Login, 'phone' | 'token'>[]): Promise<void> {
  for (const who of people) who.token = (await loginAs(ctx, who.phone)).token;
}

/** Everyone a case world holds: its parties, mediators and admin. */
export function everyoneIn(w: CaseWorld): Login[] {
  return [w.applicant, w.respondent, ...w.villageMediators, w.townshipMediator, w.countyMediator, w.admin];
}
