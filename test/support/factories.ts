import { encodeGlobalID } from '@pothos/plugin-relay';
import { and, eq } from 'drizzle-orm';
import { organizations, users } from '../../schema';
import { hashPassword } from '../../server/domain/auth/passwords';
import type { TestContext } from './harness';
import { makeIdNumber, uniquePhone } from './harness';

export const PASSWORD = 'Passw0rd-test';

export interface Login {
  token: string;
  userId: string;
  globalId: string;
  phone: string;
  name: string;
}

const LOGIN = /* GraphQL */ `
  mutation ($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on LoginSuccess { token user { id name } }
      ... on Error { code message }
    }
  }
`;

export async function loginAs(ctx: TestContext, phone: string, password = PASSWORD): Promise<Login> {
  const res = await ctx.gql(LOGIN, { input: { phone, password } });
  const r = res.data?.login;
  if (r?.__typename !== 'LoginSuccess') throw new Error(`login failed: ${JSON.stringify(res.body)}`);
  const [row] = await ctx.deps.db.select().from(users).where(eq(users.phone, phone));
  return { token: r.token, userId: row!.id, globalId: r.user.id, phone, name: row!.name };
}

/** Inserts a user with a role directly (as bootstrap would) and logs in. */
export async function userWithRole(
  ctx: TestContext,
  role: 'PLATFORM_ADMIN' | 'PARTY' | 'ORG_ADMIN' | 'GRID_WORKER',
  opts: { name?: string; organizationId?: string; phone?: string } = {},
): Promise<Login> {
  const phone = opts.phone ?? uniquePhone();
  const now = ctx.clock.now();
  await ctx.deps.db.insert(users).values({
    phone,
    passwordHash: await hashPassword(PASSWORD, 4),
    name: opts.name ?? `${role}-${phone.slice(-4)}`,
    role,
    organizationId: opts.organizationId ?? null,
    phoneVerifiedAt: now,
    createdAt: now,
    updatedAt: now,
  });
  return loginAs(ctx, phone);
}

export const adminOf = (ctx: TestContext) => userWithRole(ctx, 'PLATFORM_ADMIN', { name: '测试管理员' });

const REQUEST_CODE = /* GraphQL */ `
  mutation ($input: RequestPhoneCodeInput!) {
    requestPhoneCode(input: $input) {
      __typename
      ... on RequestPhoneCodeSuccess { expiresAt }
      ... on Error { code message }
    }
  }
`;

/** Asks for a code through the API and reads it from the test SMS sender, as the phone's owner would. */
export async function phoneCodeFor(
  ctx: TestContext,
  phone: string,
  purpose: 'REGISTER' | 'LOGIN' | 'RESET_PASSWORD' | 'CHANGE_PHONE' = 'REGISTER',
): Promise<string> {
  const res = await ctx.gql(REQUEST_CODE, { input: { phone, purpose } });
  if (res.data?.requestPhoneCode?.__typename !== 'RequestPhoneCodeSuccess') {
    throw new Error(`requestPhoneCode failed: ${JSON.stringify(res.body)}`);
  }
  const code = lastCodeSentTo(ctx, phone, purpose);
  if (!code) throw new Error(`no ${purpose} code was sent to ${phone}`);
  return code;
}

/** The last one-time code the test SMS sender delivered to `phone` for `purpose`, if any. */
export function lastCodeSentTo(ctx: TestContext, phone: string, purpose: string): string | null {
  const msg = [...ctx.notifier.sent].reverse().find((m) => m.to === phone && m.template === 'auth.phone_code' && m.params.purpose === purpose);
  return msg?.params.code ?? null;
}

const REGISTER = /* GraphQL */ `
  mutation ($input: RegisterInput!) {
    register(input: $input) {
      __typename
      ... on RegisterSuccess { token user { id name } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`;

/** Registers a party through the API with a valid ID number and domicile. */
export async function registerParty(
  ctx: TestContext,
  opts: { name?: string; phone?: string; idNumber?: string | null; address?: string } = {},
): Promise<Login & { idNumber: string | null }> {
  const phone = opts.phone ?? uniquePhone();
  const idNumber = opts.idNumber === null ? null : (opts.idNumber ?? makeIdNumber());
  const phoneCode = await phoneCodeFor(ctx, phone);
  const res = await ctx.gql(REGISTER, {
    input: {
      phone,
      phoneCode,
      password: PASSWORD,
      name: opts.name ?? `当事人${phone.slice(-4)}`,
      idNumber,
      address: opts.address ?? '云南省大理白族自治州宾川县金牛镇圭山村',
    },
  });
  const r = res.data?.register;
  if (r?.__typename !== 'RegisterSuccess') throw new Error(`register failed: ${JSON.stringify(res.body)}`);
  const [row] = await ctx.deps.db.select().from(users).where(eq(users.phone, phone));
  return { token: r.token, userId: row!.id, globalId: r.user.id, phone, name: row!.name, idNumber };
}

const CREATE_ORG = /* GraphQL */ `
  mutation ($input: CreateOrganizationInput!) {
    createOrganization(input: $input) {
      __typename
      ... on CreateOrganizationSuccess { organization { id name courtCode level channel } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`;

export interface OrgRef {
  id: string;
  globalId: string;
  name: string;
}

/** Creates an organisation through the API (unique name per call). */
export async function createOrg(
  ctx: TestContext,
  adminToken: string,
  input: { kind: string; regionCode: string; categories?: string[]; name?: string },
): Promise<OrgRef> {
  const name = input.name ?? `测试组织${uniquePhone().slice(-6)}`;
  const res = await ctx.gql(CREATE_ORG, { input: { ...input, name } }, adminToken);
  const r = res.data?.createOrganization;
  if (r?.__typename !== 'CreateOrganizationSuccess') throw new Error(`createOrganization failed: ${JSON.stringify(res.body)}`);
  const [row] = await ctx.deps.db.select().from(organizations).where(eq(organizations.name, name));
  return { id: row!.id, globalId: r.organization.id, name };
}

/** The court of a county, created once; parallel files asking for the same county share it. */
export async function courtOf(ctx: TestContext, adminToken: string, regionCode: string): Promise<OrgRef> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const [court] = await ctx.deps.db
      .select()
      .from(organizations)
      .where(and(eq(organizations.regionCode, regionCode), eq(organizations.kind, 'COURT')));
    if (court) return { id: court.id, globalId: encodeGlobalID('Organization', court.id), name: court.name };
    try {
      return await createOrg(ctx, adminToken, { kind: 'COURT', regionCode, name: `法院${regionCode}` });
    } catch {
      // another file created it first: read it on the next attempt
    }
  }
  throw new Error(`could not get a court for ${regionCode}`);
}

const CREATE_MEDIATOR = /* GraphQL */ `
  mutation ($input: CreateMediatorInput!) {
    createMediator(input: $input) {
      __typename
      ... on CreateMediatorSuccess { mediator { id } user { id } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`;

export async function createMediatorAccount(
  ctx: TestContext,
  adminToken: string,
  org: OrgRef,
  opts: { channel?: string; categories?: string[]; languages?: string[]; capacity?: number; name?: string } = {},
): Promise<Login & { mediatorGlobalId: string }> {
  const phone = uniquePhone();
  const res = await ctx.gql(
    CREATE_MEDIATOR,
    {
      input: {
        organizationId: org.globalId,
        name: opts.name ?? `调解员${phone.slice(-4)}`,
        phone,
        password: PASSWORD,
        channel: opts.channel ?? 'PEOPLES',
        categories: opts.categories,
        languages: opts.languages,
        capacity: opts.capacity,
      },
    },
    adminToken,
  );
  const r = res.data?.createMediator;
  if (r?.__typename !== 'CreateMediatorSuccess') throw new Error(`createMediator failed: ${JSON.stringify(res.body)}`);
  const login = await loginAs(ctx, phone);
  return { ...login, mediatorGlobalId: r.mediator.id };
}
