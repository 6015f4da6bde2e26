import { and, count, eq, like, notInArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizations, regions, users } from '../../schema';
import { idNumberColumns } from '../../server/domain/auth/users';
import { createTestContext, makeIdNumber, uniquePhone, type TestContext } from '../support/harness';
import { PASSWORD, adminOf, phoneCodeFor, createMediatorAccount, createOrg, registerParty, userWithRole, type Login } from '../support/factories';

let ctx: TestContext;
let admin: Login;
beforeAll(async () => {
  ctx = await createTestContext();
  admin = await adminOf(ctx);
});
afterAll(async () => ctx?.close());

const REGISTER = /* GraphQL */ `
  mutation ($input: RegisterInput!) {
    register(input: $input) {
      __typename
      ... on RegisterSuccess { token }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`;
const CREATE_ORG = /* GraphQL */ `
  mutation ($input: CreateOrganizationInput!) {
    createOrganization(input: $input) {
      __typename
      ... on CreateOrganizationSuccess { organization { id name kind courtCode creditCode level regionCode } }
      ... on Error { code message }
      ... on ValidationError { fields { field message } }
    }
  }
`;

/** A register code for the phone as the owner would receive it; a dummy for numbers that cannot get one. */
async function codeFor(phone: unknown): Promise<string> {
  const normalized = typeof phone === 'string' ? phone.replace(/[\s-]/g, '').replace(/^\+?86/, '') : '';
  try {
    return await phoneCodeFor(ctx, normalized);
  } catch {
    return '000000';
  }
}

const usersWithPhone = async (phone: string) =>
  (await ctx.deps.db.select({ n: count() }).from(users).where(eq(users.phone, phone)))[0]!.n;
const orgsNamed = async (name: string) =>
  (await ctx.deps.db.select({ n: count() }).from(organizations).where(eq(organizations.name, name)))[0]!.n;
const uniqueName = (prefix: string) => `${prefix}${uniquePhone().slice(-7)}`;

/** Registers and expects a ValidationError naming exactly `field`; the account must not exist afterwards. */
async function expectRegisterRefused(input: Record<string, unknown>, field: string, phoneToCheck: string) {
  const res = await ctx.gql(REGISTER, { input: { password: PASSWORD, name: '测试人', phoneCode: await codeFor(input.phone), ...input } });
  const r = res.data.register;
  expect(r.__typename).toBe('ValidationError');
  expect(r.code).toBe('VALIDATION_FAILED');
  expect(r.fields.map((f: { field: string }) => f.field)).toEqual([field]);
  expect(await usersWithPhone(phoneToCheck)).toBe(0);
  return r.fields[0].message as string;
}

/** Creates an organisation and expects a ValidationError naming `field`; no row with that name is written. */
async function expectOrgRefused(input: Record<string, unknown>, field: string) {
  const name = uniqueName('校验组织');
  const res = await ctx.gql(CREATE_ORG, { input: { name, ...input } }, admin.token);
  const r = res.data.createOrganization;
  expect(r.__typename).toBe('ValidationError');
  expect(r.fields.map((f: { field: string }) => f.field)).toEqual([field]);
  expect(await orgsNamed(name)).toBe(0);
  return r.fields[0].message as string;
}

/** GB 32100 check character, computed here independently of the server's implementation. */
function creditCode(first17: string): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((s, c, i) => s + chars.indexOf(c) * weights[i]!, 0);
  return first17 + chars[(31 - (sum % 31)) % 31];
}

describe('mainland mobile numbers', () => {
  it('refuses a number that is not a mainland mobile and writes nothing', async () => {
    const bad = `12${uniquePhone().slice(2)}`;
    const message = await expectRegisterRefused({ phone: bad }, 'phone', bad);
    expect(message).toMatch(/mainland mobile/);
    const short = uniquePhone().slice(0, 10);
    await expectRegisterRefused({ phone: short }, 'phone', short);
  });

  it('accepts a number written with +86 and spaces, stored normalised', async () => {
    const phone = uniquePhone();
    const spaced = `+86 ${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`;
    const res = await ctx.gql(REGISTER, { input: { phone: spaced, phoneCode: await codeFor(spaced), password: PASSWORD, name: '测试人' } });
    expect(res.data.register.__typename).toBe('RegisterSuccess');
    const own = await ctx.gql('{ me { phone } }', {}, res.data.register.token);
    expect(own.data.me.phone).toBe(phone);
    expect(await usersWithPhone(phone)).toBe(1);
  });
});

describe('resident ID numbers (GB 11643)', () => {
  it('refuses a wrong check digit', async () => {
    const good = makeIdNumber('532924', '19780605');
    const digits = '0123456789X';
    const wrong = good.slice(0, 17) + digits[(digits.indexOf(good[17]!) + 1) % digits.length];
    const phone = uniquePhone();
    expect(await expectRegisterRefused({ phone, idNumber: wrong }, 'idNumber', phone)).toMatch(/check digit/);
  });

  it('refuses an impossible or future birth date even with a correct check digit', async () => {
    const phone = uniquePhone();
    const feb31 = makeIdNumber('532924', '19850231');
    expect(await expectRegisterRefused({ phone, idNumber: feb31 }, 'idNumber', phone)).toMatch(/birth date/);
    const nextYear = ctx.clock.now().getUTCFullYear() + 1;
    const future = makeIdNumber('532924', `${nextYear}0101`);
    expect(await expectRegisterRefused({ phone, idNumber: future }, 'idNumber', phone)).toMatch(/future/);
    const wrongLength = makeIdNumber().slice(0, 15);
    expect(await expectRegisterRefused({ phone, idNumber: wrongLength }, 'idNumber', phone)).toMatch(/18 characters/);
  });

  it('accepts a valid number with a lowercase x check character and derives the birth date', async () => {
    let id = makeIdNumber('530102', '19661120');
    while (!id.endsWith('X')) id = makeIdNumber('530102', '19661120');
    const phone = uniquePhone();
    const res = await ctx.gql(REGISTER, { input: { phone, phoneCode: await codeFor(phone), password: PASSWORD, name: '测试人', idNumber: id.toLowerCase() } });
    expect(res.data.register.__typename).toBe('RegisterSuccess');
    const own = await ctx.gql('{ me { idNumber birthDate } }', {}, res.data.register.token);
    expect(own.data.me).toEqual({ idNumber: id, birthDate: '1966-11-20' });
  });
});

describe('organisation codes', () => {
  it('checks the unified social credit code (GB 32100)', async () => {
    const first17 = `12532924MB${uniquePhone().slice(-7)}`;
    const good = creditCode(first17);
    const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const badCheck = first17 + chars[(chars.indexOf(good[17]!) + 1) % chars.length];
    const base = { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924101' };
    expect(await expectOrgRefused({ ...base, creditCode: badCheck }, 'creditCode')).toMatch(/check character/);
    expect(await expectOrgRefused({ ...base, creditCode: `${good.slice(0, 10)}I${good.slice(11)}` }, 'creditCode')).toMatch(/invalid character/);
    expect(await expectOrgRefused({ ...base, creditCode: good.slice(0, 17) }, 'creditCode')).toMatch(/18 characters/);

    const name = uniqueName('信用代码组织');
    const res = await ctx.gql(CREATE_ORG, { input: { ...base, name, creditCode: good.toLowerCase() } }, admin.token);
    expect(res.data.createOrganization.__typename).toBe('CreateOrganizationSuccess');
    expect(res.data.createOrganization.organization).toMatchObject({ creditCode: good, level: 'TOWNSHIP' });
  });

  it('checks a court code against the region', async () => {
    const message = await expectOrgRefused({ kind: 'COURT', regionCode: '532924', courtCode: '云2925' }, 'courtCode');
    // The message tells the caller the code that would have been right.
    expect(message).toContain('云2924');
    expect(await expectOrgRefused({ kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924', courtCode: '云2924' }, 'courtCode')).toMatch(/only courts/);
    expect(await expectOrgRefused({ kind: 'COURT', regionCode: '532924101' }, 'regionCode')).toMatch(/county/);
  });

  it('accepts the matching court code, and derives it when omitted', async () => {
    // Two Yunnan counties with no court yet, so parallel files never contend for the same court code.
    const taken = ctx.deps.db.select({ c: organizations.regionCode }).from(organizations).where(eq(organizations.kind, 'COURT'));
    const free = await ctx.deps.db
      .select()
      .from(regions)
      .where(and(eq(regions.level, 'COUNTY'), like(regions.code, '53%'), notInArray(regions.code, taken)));
    const pick = () => free.splice(Math.floor(Math.random() * free.length), 1)[0]!;
    const [given, derived] = [pick(), pick()];

    const expected = (code: string) => `云${code.slice(2)}`;
    const a = await ctx.gql(CREATE_ORG, { input: { name: `${given.name}人民法院`, kind: 'COURT', regionCode: given.code, courtCode: expected(given.code) } }, admin.token);
    expect(a.data.createOrganization.organization).toMatchObject({ kind: 'COURT', courtCode: expected(given.code), level: 'COUNTY' });
    const b = await ctx.gql(CREATE_ORG, { input: { name: `${derived.name}人民法院`, kind: 'COURT', regionCode: derived.code } }, admin.token);
    expect(b.data.createOrganization.organization.courtCode).toBe(expected(derived.code));
  });

  it('refuses an unknown or malformed region code', async () => {
    const [{ n: known } = { n: 0 }] = await ctx.deps.db.select({ n: count() }).from(regions).where(eq(regions.code, '532999'));
    expect(known).toBe(0);
    expect(await expectOrgRefused({ kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532999' }, 'regionCode')).toMatch(/not a known/);
    expect(await expectOrgRefused({ kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '5329' }, 'regionCode')).toMatch(/6, 9 or 12/);
  });

  it('names nested fields of mediator input and writes no account', async () => {
    const org = await createOrg(ctx, admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924' });
    const phone = uniquePhone();
    const res = await ctx.gql(
      `mutation ($input: CreateMediatorInput!) {
        createMediator(input: $input) { __typename ... on ValidationError { fields { field message } } }
      }`,
      { input: { organizationId: org.globalId, name: '调解员', phone, password: PASSWORD, channel: 'PEOPLES', languages: ['zh', 'xx-bogus'] } },
      admin.token,
    );
    expect(res.data.createMediator.__typename).toBe('ValidationError');
    expect(res.data.createMediator.fields.map((f: { field: string }) => f.field)).toEqual(['languages.1']);
    expect(await usersWithPhone(phone)).toBe(0);
  });
});

describe('who sees a user, and how much of the ID number', () => {
  const USER = `query ($id: ID!) { node(id: $id) { ... on User { id name phone idNumber } } }`;

  it('shows the full ID number to its owner; platform admins read it masked', async () => {
    const party = await registerParty(ctx, { idNumber: makeIdNumber('532924', '19720809') });
    const own = await ctx.gql('{ me { idNumber phone } }', {}, party.token);
    expect(own.data.me).toEqual({ idNumber: party.idNumber, phone: party.phone });
    const byAdmin = await ctx.gql(USER, { id: party.globalId }, admin.token);
    expect(byAdmin.data.node.id).toBe(party.globalId);
    expect(byAdmin.data.node.idNumber).not.toBe(party.idNumber);
    expect(byAdmin.data.node.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
  });

  it('hides another party from a stranger, another organisation and anonymous callers', async () => {
    const party = await registerParty(ctx);
    const stranger = await registerParty(ctx);
    const org = await createOrg(ctx, admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924' });
    const orgAdmin = await userWithRole(ctx, 'ORG_ADMIN', { organizationId: org.id });
    for (const token of [stranger.token, orgAdmin.token, null]) {
      const res = await ctx.gql(USER, { id: party.globalId }, token);
      expect(res.body.errors).toBeUndefined();
      expect(res.data.node).toBeNull();
    }
  });

  it('shows an organisation admin its own staff with the ID number and phone masked', async () => {
    const org = await createOrg(ctx, admin.token, { kind: 'PEOPLES_MEDIATION_COMMITTEE', regionCode: '532924' });
    const orgAdmin = await userWithRole(ctx, 'ORG_ADMIN', { organizationId: org.id });
    const mediator = await createMediatorAccount(ctx, admin.token, org);
    // Staff accounts get an ID number when their record is completed; set one as that would.
    const idNumber = makeIdNumber('532924', '19801001');
    await ctx.deps.db.update(users).set(idNumberColumns(ctx.deps.config.dataKey, idNumber)).where(eq(users.id, mediator.userId));

    const seen = await ctx.gql(USER, { id: mediator.globalId }, orgAdmin.token);
    const masked = `${idNumber.slice(0, 4)}${'*'.repeat(10)}${idNumber.slice(-4)}`;
    expect(seen.data.node).toMatchObject({ id: mediator.globalId, idNumber: masked });
    expect(seen.data.node.phone).toBe(`${mediator.phone.slice(0, 3)}****${mediator.phone.slice(-4)}`);
    expect(seen.data.node.idNumber).not.toContain(idNumber.slice(4, 14));

    const own = await ctx.gql('{ me { idNumber } }', {}, mediator.token);
    expect(own.data.me.idNumber).toBe(idNumber);
  });
});
