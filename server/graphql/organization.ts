import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { and, arrayContains, asc, eq, gt, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { apiClients, mediators, organizations, regions, users } from '../../schema';
import { createApiClient, type ApiClientRow } from '../domain/organizations/create-api-client';
import { createMediator, type MediatorRow } from '../domain/organizations/create-mediator';
import { createOrganization, type OrganizationRow } from '../domain/organizations/create-organization';
import { createStaffAccount } from '../domain/organizations/create-staff-account';
import { revokeApiClient } from '../domain/organizations/revoke-api-client';
import type { UserRow } from '../domain/auth/users';
import { mayCreateOrganization, mayManageOrganization } from '../domain/access/organization';
import {
  CASE_LEVELS,
  DISPUTE_CATEGORIES,
  LANGUAGE_CODES,
  MEDIATION_CHANNELS,
  ORGANIZATION_KINDS,
  REGION_LEVELS,
} from '../domain/enums';
import { preparedPerDatabase } from '../db-prepared';
import { builder } from './builder';
import type { GraphQLContext } from './context';
import { localId, optionalLocalId } from './ids';
import { offsetConnection } from './keyset';
import { UserRef } from './user';

export const OrganizationKindEnum = builder.enumType('OrganizationKind', { values: ORGANIZATION_KINDS });
export const MediationChannelEnum = builder.enumType('MediationChannel', { values: MEDIATION_CHANNELS });
export const CaseLevelEnum = builder.enumType('CaseLevel', { values: CASE_LEVELS });
export const RegionLevelEnum = builder.enumType('RegionLevel', { values: REGION_LEVELS });
export const DisputeCategoryEnum = builder.enumType('DisputeCategory', { values: DISPUTE_CATEGORIES });

type RegionRow = typeof regions.$inferSelect;
type MediatorWithName = MediatorRow & { name?: string };

export const RegionRef = builder.objectRef<RegionRow>('Region').implement({
  description: 'A statistical division: 6 digits county (or province/prefecture ending 0000/00), 9 township, 12 village.',
  fields: (t) => ({
    code: t.exposeString('code'),
    name: t.exposeString('name'),
    level: t.field({ type: RegionLevelEnum, resolve: (r) => r.level }),
    parentCode: t.exposeString('parentCode', { nullable: true }),
  }),
});

const LanguageRef = builder.objectRef<{ code: string; name: string }>('Language').implement({
  fields: (t) => ({ code: t.exposeString('code', { description: 'ISO 639 code.' }), name: t.exposeString('name') }),
});

const organizationsById = preparedPerDatabase((db, ids) => db.select().from(organizations).where(ids(organizations.id)).prepare('organizations_by_id'));
// The roster name comes from the account: joined here so a page of mediators is one query.
const mediatorsById = preparedPerDatabase((db, ids) =>
  db.select({ m: mediators, name: users.name }).from(mediators).innerJoin(users, eq(users.id, mediators.userId)).where(ids(mediators.id)).prepare('mediators_by_id'),
);

/** Organisations and their published rosters are public (OMR 5). */
export const OrganizationRef = builder.loadableNodeRef('Organization', {
  id: { resolve: (o: OrganizationRow) => o.id },
  load: async (ids: string[], ctx) => {
    const rows = await organizationsById.byIds(ctx.deps.db, ids);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null) as OrganizationRow[];
  },
});

/**
 * The roster pages of a page of organisations in one query, per distinct (limit, offset): each
 * organisation's active mediators numbered in roster order, the window of the page kept.
 */
const rosterLoaders = createContextCache((_ctx: GraphQLContext) => new Map<string, DataLoader<string, MediatorWithName[]>>());
function rosterPages(ctx: GraphQLContext, limit: number, offset: number): DataLoader<string, MediatorWithName[]> {
  const loaders = rosterLoaders(ctx);
  const key = `${limit}:${offset}`;
  let loader = loaders.get(key);
  if (!loader) {
    loader = new DataLoader(async (orgIds) => {
      const ranked = ctx.deps.db
        .select({
          id: mediators.id,
          rank: sql<number>`row_number() over (partition by ${mediators.organizationId} order by ${mediators.createdAt}, ${mediators.id})`.as('rank'),
        })
        .from(mediators)
        .where(and(inArray(mediators.organizationId, [...orgIds]), eq(mediators.active, true)))
        .as('ranked');
      const rows = await ctx.deps.db
        .select({ m: mediators, name: users.name })
        .from(mediators)
        .innerJoin(ranked, eq(ranked.id, mediators.id))
        .innerJoin(users, eq(users.id, mediators.userId))
        .where(and(gt(ranked.rank, offset), lte(ranked.rank, offset + limit)))
        .orderBy(asc(mediators.createdAt), asc(mediators.id));
      return orgIds.map((id) => rows.filter((r) => r.m.organizationId === id).map((r) => ({ ...r.m, name: r.name })));
    });
    loaders.set(key, loader);
  }
  return loader;
}

OrganizationRef.implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    kind: t.field({ type: OrganizationKindEnum, resolve: (o) => o.kind }),
    channel: t.field({ type: MediationChannelEnum, resolve: (o) => o.channel }),
    level: t.field({ type: CaseLevelEnum, resolve: (o) => o.level }),
    regionCode: t.exposeString('regionCode'),
    // One query for the regions of every organisation on a page.
    region: t.loadable({
      type: RegionRef,
      load: async (codes: string[], ctx) => {
        const rows = await ctx.deps.db.select().from(regions).where(inArray(regions.code, codes));
        const byCode = new Map(rows.map((r) => [r.code, r]));
        return codes.map((c) => byCode.get(c) ?? new Error(`region ${c} is missing`));
      },
      resolve: (o) => o.regionCode,
    }),
    categories: t.field({ type: [DisputeCategoryEnum], resolve: (o) => o.categories }),
    courtCode: t.exposeString('courtCode', { nullable: true }),
    shortName: t.exposeString('shortName', { nullable: true, description: '简称 in its case numbers: 宾川县金牛镇人民调解委员会 -> 金牛 (（2026）金牛调字第N号).' }),
    creditCode: t.exposeString('creditCode', { nullable: true }),
    chargesFee: t.exposeBoolean('chargesFee', { description: 'Whether mediation here may charge a fee.' }),
    profile: t.exposeString('profile', { nullable: true }),
    scope: t.exposeString('scope', { nullable: true, description: 'What disputes it takes (业务范围).' }),
    address: t.exposeString('address', { nullable: true }),
    phone: t.exposeString('phone', { nullable: true }),
    invitingCourt: t.field({
      type: OrganizationRef,
      nullable: true,
      description: 'For court-invited (特邀) organisations: the court whose roster lists them.',
      resolve: (o) => o.invitingCourtId,
    }),
    mediators: t.connection({
      type: MediatorRef,
      description: 'The published roster (OMR 5).',
      resolve: (o, args, ctx) => offsetConnection(args, ({ limit, offset }) => rosterPages(ctx, limit, offset).load(o.id)),
    }),
    viewerMayManage: t.boolean({
      description: 'Whether the viewer may add mediators and staff accounts here (access policy; createMediator and createStaffAccount decide the same way).',
      resolve: (o, _a, ctx) => mayManageOrganization(ctx.viewer, o.id),
    }),
  }),
});

export const MediatorRef = builder.loadableNodeRef('Mediator', {
  id: { resolve: (m: MediatorWithName) => m.id },
  load: async (ids: string[], ctx) => {
    const rows = await mediatorsById.byIds(ctx.deps.db, ids);
    const byId = new Map(rows.map((r) => [r.m.id, { ...r.m, name: r.name }]));
    return ids.map((id) => byId.get(id) ?? null) as MediatorWithName[];
  },
});

MediatorRef.implement({
  fields: (t) => ({
    name: t.string({
      resolve: async (m, _a, ctx) => {
        if ('name' in m && typeof m.name === 'string') return m.name;
        const [u] = await ctx.deps.db.select({ name: users.name }).from(users).where(eq(users.id, m.userId));
        return u?.name ?? '';
      },
    }),
    organization: t.field({ type: OrganizationRef, resolve: (m) => m.organizationId }),
    channel: t.field({ type: MediationChannelEnum, resolve: (m) => m.channel }),
    categories: t.field({ type: [DisputeCategoryEnum], resolve: (m) => m.categories }),
    languages: t.field({
      type: [LanguageRef],
      resolve: (m) => m.languages.map((code) => ({ code, name: LANGUAGE_CODES[code] ?? code })),
    }),
    capacity: t.exposeInt('capacity'),
    title: t.exposeString('title', { nullable: true }),
    profile: t.exposeString('profile', { nullable: true }),
    chargesFee: t.exposeBoolean('chargesFee'),
  }),
});

export const ApiClientRef = builder.objectRef<ApiClientRow>('ApiClient');

builder.node(ApiClientRef, {
  id: { resolve: (c) => c.id },
  loadOne: async (id, ctx) => {
    if (ctx.viewer?.kind !== 'user' || ctx.viewer.role !== 'PLATFORM_ADMIN') return null;
    const [row] = await ctx.deps.db.select().from(apiClients).where(eq(apiClients.id, id));
    return row ?? null;
  },
  fields: (t) => ({
    name: t.exposeString('name'),
    organization: t.field({ type: OrganizationRef, resolve: (c) => c.organizationId }),
    secretPrefix: t.exposeString('secretPrefix', { description: 'The first characters of the secret, to tell clients apart.' }),
    webhookUrl: t.exposeString('webhookUrl', { nullable: true }),
    rateLimitPerMinute: t.exposeInt('rateLimitPerMinute'),
    createdAt: t.field({ type: 'DateTime', resolve: (c) => c.createdAt }),
    revokedAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.revokedAt }),
    lastUsedAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.lastUsedAt }),
  }),
});

builder.queryFields((t) => ({
  regions: t.field({
    type: [RegionRef],
    description: 'Children of a division; without an argument, the provinces.',
    args: { parentCode: t.arg.string() },
    resolve: (_p, { parentCode }, ctx) =>
      parentCode
        ? ctx.deps.db.select().from(regions).where(eq(regions.parentCode, parentCode)).orderBy(asc(regions.code))
        : ctx.deps.db.select().from(regions).where(eq(regions.level, 'PROVINCE')).orderBy(asc(regions.code)),
  }),
  region: t.field({
    type: RegionRef,
    nullable: true,
    args: { code: t.arg.string({ required: true }) },
    resolve: async (_p, { code }, ctx) => {
      const [r] = await ctx.deps.db.select().from(regions).where(eq(regions.code, code));
      return r ?? null;
    },
  }),
  organizations: t.connection({
    type: OrganizationRef,
    args: {
      regionCode: t.arg.string({ description: 'Only organisations in this division.' }),
      kind: t.arg({ type: OrganizationKindEnum }),
      category: t.arg({ type: DisputeCategoryEnum }),
    },
    resolve: (_p, args, ctx) => {
      const where: SQL[] = [eq(organizations.active, true)];
      if (args.regionCode) where.push(eq(organizations.regionCode, args.regionCode));
      if (args.kind) where.push(eq(organizations.kind, args.kind));
      if (args.category) where.push(arrayContains(organizations.categories, [args.category]));
      return offsetConnection(args, async ({ limit, offset }) =>
        ctx.deps.db
          .select()
          .from(organizations)
          .where(and(...where))
          .orderBy(asc(organizations.regionCode), asc(organizations.name))
          .limit(limit)
          .offset(offset),
      );
    },
  }, {
    fields: (c) => ({
      viewerMayCreate: c.boolean({
        description: 'Whether the viewer may add organisations (access policy; createOrganization decides the same way).',
        resolve: (_c, _a, ctx) => mayCreateOrganization(ctx.viewer),
      }),
    }),
  }),
  apiClients: t.connection({
    type: ApiClientRef,
    authScopes: { platformAdmin: true },
    resolve: (_p, args, ctx) =>
      offsetConnection(args, async ({ limit, offset }) =>
        ctx.deps.db.select().from(apiClients).orderBy(asc(apiClients.createdAt)).limit(limit).offset(offset),
      ),
  }),
}));

const CreateOrganizationInput = builder.inputType('CreateOrganizationInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    kind: t.field({ type: OrganizationKindEnum, required: true }),
    regionCode: t.string({ required: true }),
    categories: t.field({ type: [DisputeCategoryEnum] }),
    courtCode: t.string({ description: 'Courts: e.g. 云2924; derived from the region when omitted.' }),
    creditCode: t.string({ description: 'Unified social credit code (GB 32100).' }),
    invitingCourtId: t.id({ description: 'Court-invited (特邀) organisations: the inviting court.' }),
    chargesFee: t.boolean(),
    profile: t.string(),
    scope: t.string(),
    address: t.string(),
    phone: t.string(),
    shortName: t.string({ description: '简称 in its case numbers (（2026）金牛调字第N号); derived from the name when omitted; unique.' }),
  }),
});
const CreateOrganizationSuccess = builder.objectRef<{ organization: OrganizationRow }>('CreateOrganizationSuccess').implement({
  fields: (t) => ({ organization: t.field({ type: OrganizationRef, resolve: (p) => p.organization }) }),
});

const CreateMediatorInput = builder.inputType('CreateMediatorInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    name: t.string({ required: true }),
    phone: t.string({ required: true }),
    password: t.string({ required: true }),
    channel: t.field({ type: MediationChannelEnum, required: true }),
    categories: t.field({ type: [DisputeCategoryEnum] }),
    languages: t.stringList({ description: 'ISO 639 codes: zh, ii (Yi), bca (Bai), khb (Dai), …' }),
    capacity: t.int({ description: 'Open cases taken at once (default 10).' }),
    title: t.string(),
    profile: t.string(),
    chargesFee: t.boolean(),
  }),
});
const CreateMediatorSuccess = builder.objectRef<{ mediator: MediatorRow; user: UserRow }>('CreateMediatorSuccess').implement({
  fields: (t) => ({
    mediator: t.field({ type: MediatorRef, resolve: (p) => p.mediator }),
    user: t.field({ type: UserRef, resolve: (p) => p.user }),
  }),
});

const StaffRoleEnum = builder.enumType('StaffRole', { values: ['ORG_ADMIN', 'GRID_WORKER'] as const });
const CreateStaffAccountInput = builder.inputType('CreateStaffAccountInput', {
  fields: (t) => ({
    organizationId: t.id({ required: true }),
    role: t.field({ type: StaffRoleEnum, required: true }),
    name: t.string({ required: true }),
    phone: t.string({ required: true }),
    password: t.string({ required: true }),
  }),
});
const CreateStaffAccountSuccess = builder.objectRef<{ user: UserRow }>('CreateStaffAccountSuccess').implement({
  fields: (t) => ({ user: t.field({ type: UserRef, resolve: (p) => p.user }) }),
});

const CreateApiClientInput = builder.inputType('CreateApiClientInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    organizationId: t.id({ required: true, description: 'A court.' }),
    webhookUrl: t.string(),
    rateLimitPerMinute: t.int(),
  }),
});
type ApiClientCreated = { apiClient: ApiClientRow; secret: string; webhookSecret: string | null };
const CreateApiClientSuccess = builder.objectRef<ApiClientCreated>('CreateApiClientSuccess').implement({
  fields: (t) => ({
    apiClient: t.field({ type: ApiClientRef, resolve: (p) => p.apiClient }),
    secret: t.exposeString('secret', { description: 'Shown once; send as `Authorization: Bearer <secret>`.' }),
    webhookSecret: t.exposeString('webhookSecret', { nullable: true, description: 'Shown once; verifies X-Jiefen-Signature.' }),
  }),
});

const RevokeApiClientInput = builder.inputType('RevokeApiClientInput', {
  fields: (t) => ({ apiClientId: t.id({ required: true }) }),
});
const RevokeApiClientSuccess = builder.objectRef<{ apiClient: ApiClientRow }>('RevokeApiClientSuccess').implement({
  fields: (t) => ({ apiClient: t.field({ type: ApiClientRef, resolve: (p) => p.apiClient }) }),
});

// Mutations carry no field auth scope: ScopeAuthPlugin is listed before ErrorsPlugin, so a scope
// failure would be thrown outside the result union. Each command checks the caller itself and
// returns the contract's ForbiddenError (UNAUTHENTICATED or FORBIDDEN) inside the union.
builder.mutationFields((t) => ({
  createOrganization: t.field({
    type: CreateOrganizationSuccess,
    errors: { union: { name: 'CreateOrganizationResult' } },
    args: { input: t.arg({ type: CreateOrganizationInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      organization: await createOrganization(ctx.deps, ctx.actor, {
        ...input,
        invitingCourtId: optionalLocalId(input.invitingCourtId, 'Organization', 'invitingCourtId'),
      }),
    }),
  }),
  createMediator: t.field({
    type: CreateMediatorSuccess,
    errors: { union: { name: 'CreateMediatorResult' } },
    args: { input: t.arg({ type: CreateMediatorInput, required: true }) },
    resolve: (_p, { input }, ctx) =>
      createMediator(ctx.deps, ctx.actor, {
        ...input,
        organizationId: localId(String(input.organizationId), 'Organization', 'organizationId'),
      }),
  }),
  createStaffAccount: t.field({
    type: CreateStaffAccountSuccess,
    errors: { union: { name: 'CreateStaffAccountResult' } },
    args: { input: t.arg({ type: CreateStaffAccountInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      user: await createStaffAccount(ctx.deps, ctx.actor, {
        ...input,
        organizationId: localId(String(input.organizationId), 'Organization', 'organizationId'),
      }),
    }),
  }),
  createApiClient: t.field({
    type: CreateApiClientSuccess,
    errors: { union: { name: 'CreateApiClientResult' } },
    args: { input: t.arg({ type: CreateApiClientInput, required: true }) },
    resolve: (_p, { input }, ctx) =>
      createApiClient(ctx.deps, ctx.actor, {
        ...input,
        organizationId: localId(String(input.organizationId), 'Organization', 'organizationId'),
      }),
  }),
  revokeApiClient: t.field({
    type: RevokeApiClientSuccess,
    errors: { union: { name: 'RevokeApiClientResult' } },
    args: { input: t.arg({ type: RevokeApiClientInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({
      apiClient: await revokeApiClient(ctx.deps, ctx.actor, {
        apiClientId: localId(String(input.apiClientId), 'ApiClient', 'apiClientId'),
      }),
    }),
  }),
}));
