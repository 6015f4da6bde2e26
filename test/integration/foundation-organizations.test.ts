import { createHash } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClients, organizations } from '../../schema';
import { createTestContext, uniquePhone, type TestContext } from '../support/harness';
import {
  PASSWORD,
  adminOf,
  courtOf,
  createMediatorAccount,
  createOrg,
  registerParty,
  userWithRole,
  type Login,
} from '../support/factories';

let ctx: TestContext;
let admin: Login;
beforeAll(async () => {
  ctx = await createTestContext();
  admin = await adminOf(ctx);
});
afterAll(async () => ctx?.close());

const CREATE_ORG = `mutation ($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { __typename ... on CreateOrganizationSuccess { organization { id } } ... on Error { code message } }
}`;
const CREATE_API_CLIENT = `mutation ($input: CreateApiClientInput!) {
  createApiClient(input: $input) {
    __typename
    ... on CreateApiClientSuccess { secret webhookSecret apiClient { id name secretPrefix webhookUrl revokedAt organization { id } } }
    ... on Error { code message }
    ... on ValidationError { fields { field } }
  }
}`;
const REVOKE = `mutation ($input: RevokeApiClientInput!) {
  revokeApiClient(input: $input) { __typename ... on RevokeApiClientSuccess { apiClient { id revokedAt } } ... on Error { code message } }
}`;
const API_CLIENTS = '{ apiClients(first: 100) { edges { node { id revokedAt lastUsedAt } } } }';

const orgsNamed = async (name: string) =>
  (await ctx.deps.db.select({ n: count() }).from(organizations).where(eq(organizations.name, name)))[0]!.n;

describe('admin-only operations', () => {
  it('refuses createOrganization to a party (FORBIDDEN) and to anonymous callers (UNAUTHENTICATED)', async () => {
    const party = await registerParty(ctx);
    const name = `越权组织${uniquePhone().slice(-7)}`;
    const input = { name, kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924' };
    const byParty = await ctx.gql(CREATE_ORG, { input }, party.token);
    expect(byParty.data.createOrganization).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const byNobody = await ctx.gql(CREATE_ORG, { input });
    expect(byNobody.data.createOrganization).toMatchObject({ __typename: 'ForbiddenError', code: 'UNAUTHENTICATED' });
    expect(await orgsNamed(name)).toBe(0);
  });

  it('refuses createApiClient to a party and to anonymous callers', async () => {
    const court = await courtOf(ctx, admin.token, '532924');
    const party = await registerParty(ctx);
    const orgAdmin = await userWithRole(ctx, 'ORG_ADMIN', { organizationId: court.id });
    const name = `越权客户端${uniquePhone().slice(-7)}`;
    const input = { name, organizationId: court.globalId };
    for (const token of [party.token, orgAdmin.token]) {
      const res = await ctx.gql(CREATE_API_CLIENT, { input }, token);
      expect(res.data.createApiClient).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    }
    const anon = await ctx.gql(CREATE_API_CLIENT, { input });
    expect(anon.data.createApiClient).toMatchObject({ __typename: 'ForbiddenError', code: 'UNAUTHENTICATED' });
    const [{ n } = { n: -1 }] = await ctx.deps.db.select({ n: count() }).from(apiClients).where(eq(apiClients.name, name));
    expect(n).toBe(0);
  });

  it('lets an organisation admin add mediators to its own organisation only', async () => {
    const own = await createOrg(ctx, admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924101' });
    const other = await createOrg(ctx, admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924101' });
    const orgAdmin = await userWithRole(ctx, 'ORG_ADMIN', { organizationId: own.id });
    const mutation = `mutation ($input: CreateMediatorInput!) {
      createMediator(input: $input) { __typename ... on CreateMediatorSuccess { mediator { id organization { id } } } ... on Error { code message } }
    }`;
    const input = (org: { globalId: string }) => ({
      organizationId: org.globalId, name: '调解员', phone: uniquePhone(), password: PASSWORD, channel: 'PEOPLES',
    });
    const refused = await ctx.gql(mutation, { input: input(other) }, orgAdmin.token);
    expect(refused.data.createMediator).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const party = await registerParty(ctx);
    expect((await ctx.gql(mutation, { input: input(own) }, party.token)).data.createMediator.code).toBe('FORBIDDEN');
    expect((await ctx.gql(mutation, { input: input(own) })).data.createMediator.code).toBe('UNAUTHENTICATED');

    const accepted = await ctx.gql(mutation, { input: input(own) }, orgAdmin.token);
    expect(accepted.data.createMediator.__typename).toBe('CreateMediatorSuccess');
    expect(accepted.data.createMediator.mediator.organization.id).toBe(own.globalId);
  });

  it('tells each viewer what the roster mutations will let them do, as the mutations then decide', async () => {
    const own = await createOrg(ctx, admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924101' });
    const other = await createOrg(ctx, admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924101' });
    const orgAdmin = await userWithRole(ctx, 'ORG_ADMIN', { organizationId: own.id });
    const mediator = await createMediatorAccount(ctx, admin.token, own);
    const party = await registerParty(ctx);
    const query = `query ($a: ID!, $b: ID!) {
      organizations(first: 1) { viewerMayCreate }
      a: node(id: $a) { ... on Organization { viewerMayManage } }
      b: node(id: $b) { ... on Organization { viewerMayManage } }
    }`;
    const staff = `mutation ($input: CreateStaffAccountInput!) {
      createStaffAccount(input: $input) { __typename ... on Error { code } }
    }`;
    const viewers: [string, string | undefined, { create: boolean; own: boolean; other: boolean }][] = [
      ['platform admin', admin.token, { create: true, own: true, other: true }],
      ['organisation admin', orgAdmin.token, { create: false, own: true, other: false }],
      ['mediator of the organisation', mediator.token, { create: false, own: false, other: false }],
      ['party', party.token, { create: false, own: false, other: false }],
      ['anonymous', undefined, { create: false, own: false, other: false }],
    ];
    for (const [who, token, may] of viewers) {
      const r = await ctx.gql(query, { a: own.globalId, b: other.globalId }, token);
      expect(r.data, who).toEqual({ organizations: { viewerMayCreate: may.create }, a: { viewerMayManage: may.own }, b: { viewerMayManage: may.other } });
      // What was advertised is what the mutation does.
      for (const [org, allowed] of [[own, may.own], [other, may.other]] as const) {
        const input = { organizationId: org.globalId, role: 'GRID_WORKER', name: '网格员', phone: uniquePhone(), password: PASSWORD };
        const res = (await ctx.gql(staff, { input }, token)).data.createStaffAccount;
        expect(res.__typename === 'CreateStaffAccountSuccess', `${who} on ${org === own ? 'own' : 'other'}`).toBe(allowed);
      }
      const created = await ctx.gql(CREATE_ORG, { input: { name: `权限核对${uniquePhone().slice(-7)}`, kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924101' } }, token);
      expect(created.data.createOrganization.__typename === 'CreateOrganizationSuccess', who).toBe(may.create);
    }
  });
});

describe('court API clients', () => {
  it('hands out a jfc_ secret and a webhook secret once, and stores only a hash', async () => {
    const court = await courtOf(ctx, admin.token, '532924');
    const res = await ctx.gql(
      CREATE_API_CLIENT,
      { input: { name: `宾川法院系统${uniquePhone().slice(-5)}`, organizationId: court.globalId, webhookUrl: 'https://court.example.cn/hooks/jiefen' } },
      admin.token,
    );
    const created = res.data.createApiClient;
    expect(created.__typename).toBe('CreateApiClientSuccess');
    expect(created.secret).toMatch(/^jfc_[A-Za-z0-9_-]{40,}$/);
    expect(created.webhookSecret).toMatch(/^whsec_/);
    expect(created.apiClient).toMatchObject({ webhookUrl: 'https://court.example.cn/hooks/jiefen', revokedAt: null, organization: { id: court.globalId } });
    expect(created.secret.startsWith(created.apiClient.secretPrefix)).toBe(true);

    const [row] = await ctx.deps.db.select().from(apiClients).where(eq(apiClients.secretPrefix, created.apiClient.secretPrefix));
    expect(row!.secretHash).toBe(createHash('sha256').update(created.secret).digest('hex'));
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(created.secret);
    expect(stored).not.toContain(created.webhookSecret);

    const plain = await ctx.gql(CREATE_API_CLIENT, { input: { name: `无回调客户端${uniquePhone().slice(-5)}`, organizationId: court.globalId } }, admin.token);
    expect(plain.data.createApiClient.webhookSecret).toBeNull();
  });

  it('only courts get API clients', async () => {
    const committee = await createOrg(ctx, admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924' });
    const res = await ctx.gql(CREATE_API_CLIENT, { input: { name: '非法院客户端', organizationId: committee.globalId } }, admin.token);
    expect(res.data.createApiClient).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'organizationId' }] });
  });

  it('authenticates with the secret until revoked, then is treated as anonymous', async () => {
    const court = await courtOf(ctx, admin.token, '532924');
    const res = await ctx.gql(CREATE_API_CLIENT, { input: { name: `可撤销客户端${uniquePhone().slice(-5)}`, organizationId: court.globalId } }, admin.token);
    const { secret, apiClient } = res.data.createApiClient;

    // Accepted as a court client: not a person (me is null), and refused admin-only things as FORBIDDEN, not UNAUTHENTICATED.
    const asClient = await ctx.gql('{ me { id } }', {}, secret);
    expect(asClient.status).toBe(200);
    expect(asClient.data.me).toBeNull();
    const listing = await ctx.gql(API_CLIENTS, {}, secret);
    expect(listing.data).toBeNull();
    expect(listing.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const orgAttempt = await ctx.gql(CREATE_ORG, { input: { name: '法院客户端建的组织', kind: 'COURT', regionCode: '532924' } }, secret);
    expect(orgAttempt.data.createOrganization.code).toBe('FORBIDDEN');
    const [used] = await ctx.deps.db.select().from(apiClients).where(eq(apiClients.secretPrefix, apiClient.secretPrefix));
    expect(used!.lastUsedAt).not.toBeNull();

    const revoked = await ctx.gql(REVOKE, { input: { apiClientId: apiClient.id } }, admin.token);
    expect(revoked.data.revokeApiClient.apiClient.revokedAt).not.toBeNull();
    const twice = await ctx.gql(REVOKE, { input: { apiClientId: apiClient.id } }, admin.token);
    expect(twice.data.revokeApiClient.code).toBe('INVALID_TRANSITION');

    const after = await ctx.gql(API_CLIENTS, {}, secret);
    expect(after.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const orgAfter = await ctx.gql(CREATE_ORG, { input: { name: '撤销后建的组织', kind: 'COURT', regionCode: '532924' } }, secret);
    expect(orgAfter.data.createOrganization.code).toBe('UNAUTHENTICATED');

    const adminView = await ctx.gql(API_CLIENTS, {}, admin.token);
    const listed = adminView.data.apiClients.edges.map((e: any) => e.node).find((n: any) => n.id === apiClient.id);
    expect(listed.revokedAt).not.toBeNull();
  });

  it('does not reveal API clients to anyone but platform admins', async () => {
    const party = await registerParty(ctx);
    expect((await ctx.gql(API_CLIENTS, {}, party.token)).body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await ctx.gql(API_CLIENTS)).body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('regions', () => {
  it('lists the provinces without an argument', async () => {
    const res = await ctx.gql('{ regions { code name level parentCode } }');
    const provinces = res.data.regions;
    expect(provinces.length).toBeGreaterThanOrEqual(31);
    expect(provinces).toContainEqual({ code: '530000', name: '云南省', level: 'PROVINCE', parentCode: null });
    expect(provinces.every((r: any) => r.level === 'PROVINCE')).toBe(true);
  });

  it('lists the townships of a county and the villages of a township', async () => {
    const towns = (await ctx.gql('{ regions(parentCode: "532924") { code name level parentCode } }')).data.regions;
    expect(towns).toContainEqual({ code: '532924101', name: '金牛镇', level: 'TOWNSHIP', parentCode: '532924' });
    const villages = (await ctx.gql('{ regions(parentCode: "532924101") { code name level } }')).data.regions;
    expect(villages.length).toBeGreaterThan(0);
    for (const v of villages) {
      expect(v.level).toBe('VILLAGE');
      expect(v.code).toMatch(/^532924101\d{3}$/);
    }
    expect((await ctx.gql('{ regions(parentCode: "000000") { code } }')).data.regions).toEqual([]);
  });

  it('reads one division by code, null when unknown', async () => {
    const res = await ctx.gql('{ a: region(code: "532924") { name level parentCode } b: region(code: "532999") { name } }');
    expect(res.data.a).toEqual({ name: '宾川县', level: 'COUNTY', parentCode: '532900' });
    expect(res.data.b).toBeNull();
  });
});

describe('organisations and rosters', () => {
  it('lists organisations by region and kind, with the published roster as a connection', async () => {
    const town = await createOrg(ctx, admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924101', categories: ['NEIGHBOR', 'LAND'] });
    const first = await createMediatorAccount(ctx, admin.token, town, { name: `杨${uniquePhone().slice(-4)}`, languages: ['zh', 'bca'] });
    const second = await createMediatorAccount(ctx, admin.token, town, { name: `李${uniquePhone().slice(-4)}` });

    const list = await ctx.gql(
      `{ organizations(regionCode: "532924101", kind: PEOPLES_MEDIATION_COMMITTEE, category: LAND, first: 100) {
          edges { node { id name level channel region { name } } } } }`,
    );
    const found = list.data.organizations.edges.map((e: any) => e.node).find((n: any) => n.id === town.globalId);
    expect(found).toEqual({ id: town.globalId, name: town.name, level: 'TOWNSHIP', channel: 'PEOPLES', region: { name: '金牛镇' } });
    const courts = await ctx.gql(`{ organizations(regionCode: "532924101", kind: COURT) { edges { node { id } } } }`);
    expect(courts.data.organizations.edges.map((e: any) => e.node.id)).not.toContain(town.globalId);

    const roster = `query ($id: ID!, $after: String) { node(id: $id) { ... on Organization {
      mediators(first: 1, after: $after) { edges { cursor node { id name languages { code } } } pageInfo { hasNextPage endCursor } } } } }`;
    const page1 = (await ctx.gql(roster, { id: town.globalId })).data.node.mediators;
    expect(page1.edges).toHaveLength(1);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await ctx.gql(roster, { id: town.globalId, after: page1.pageInfo.endCursor })).data.node.mediators;
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const names = [...page1.edges, ...page2.edges].map((e: any) => e.node.name);
    expect(names.sort()).toEqual([first.name, second.name].sort());
    const yi = [...page1.edges, ...page2.edges].find((e: any) => e.node.id === first.mediatorGlobalId);
    expect(yi.node.languages.map((l: any) => l.code)).toEqual(['zh', 'bca']);
  });
});
