import { randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../schema';
import { PASSWORD_THROTTLE } from '../../server/domain/auth/password-throttle';
import { createTestContext, makeIdNumber, uniquePhone, type TestContext } from '../support/harness';
import { PASSWORD, phoneCodeFor, registerParty } from '../support/factories';

// Failed logins count per phone and per client address. The server trusts X-Forwarded-For here so
// that each test fails from its own address and never locks out the loopback address other files
// share on PostgreSQL.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ config: { TRUST_PROXY: 'true' } });
});
afterAll(async () => ctx?.close());

const uniqueAddress = () => `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

async function gqlFrom(query: string, variables: Record<string, unknown>, opts: { token?: string; ip?: string } = {}) {
  const req = request(ctx.app).post('/graphql').set('content-type', 'application/json');
  if (opts.token) req.set('authorization', `Bearer ${opts.token}`);
  req.set('x-forwarded-for', opts.ip ?? uniqueAddress());
  const res = await req.send({ query, variables });
  return res.body as { data?: any; errors?: { message: string }[] };
}

const LOGIN = /* GraphQL */ `
  mutation ($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on LoginSuccess { token user { id name role } }
      ... on Error { code message }
      ... on ForbiddenError { retryAt }
    }
  }
`;
const ME = '{ me { id name role phone idNumber birthDate gender address } }';
const LOGOUT = `mutation ($input: LogoutInput!) {
  logout(input: $input) { __typename ... on LogoutSuccess { revokedSessions } ... on Error { code message } }
}`;
const CHANGE_PASSWORD = `mutation ($input: ChangePasswordInput!) {
  changePassword(input: $input) {
    __typename
    ... on ChangePasswordSuccess { user { id } }
    ... on Error { code message }
    ... on ValidationError { fields { field message } }
  }
}`;

const login = (phone: string, password: string, ip?: string) =>
  gqlFrom(LOGIN, { input: { phone, password } }, { ip }).then((b) => b.data.login);
const me = (token: string) => gqlFrom(ME, {}, { token }).then((b) => b.data.me);

describe('register, login, me', () => {
  it('registers a party, logs in again and reads the profile', async () => {
    const idNumber = makeIdNumber('532924', '19900215');
    const phone = uniquePhone();
    const phoneCode = await phoneCodeFor(ctx, phone);
    const reg = await gqlFrom(
      `mutation ($input: RegisterInput!) {
        register(input: $input) { __typename ... on RegisterSuccess { token user { id name role } } ... on Error { code message } }
      }`,
      { input: { phone, phoneCode, password: PASSWORD, name: '杨丽华', idNumber, address: '云南省大理白族自治州宾川县金牛镇' } },
    );
    expect(reg.data.register.__typename).toBe('RegisterSuccess');
    expect(reg.data.register.token).toMatch(/^jfs_/);
    expect(reg.data.register.user.role).toBe('PARTY');

    const profile = await me(reg.data.register.token);
    expect(profile).toMatchObject({ name: '杨丽华', role: 'PARTY', phone, idNumber, birthDate: '1990-02-15' });
    expect(profile.gender).toBe(Number(idNumber[16]) % 2 === 1 ? 'MALE' : 'FEMALE');
    expect(profile.id).toBe(reg.data.register.user.id);

    const again = await login(phone, PASSWORD);
    expect(again.__typename).toBe('LoginSuccess');
    expect(again.token).not.toBe(reg.data.register.token);
    expect((await me(again.token)).id).toBe(profile.id);
  });

  it('answers anonymous and unknown tokens with me = null', async () => {
    expect((await gqlFrom(ME, {})).data.me).toBeNull();
    expect(await me('jfs_not-a-real-token')).toBeNull();
  });

  it('refuses a wrong password and an unknown phone with the same answer', async () => {
    const party = await registerParty(ctx);
    const wrong = await login(party.phone, 'Wrong-passw0rd');
    const unknown = await login(uniquePhone(), 'Wrong-passw0rd');
    expect(wrong).toMatchObject({ __typename: 'ForbiddenError', code: 'UNAUTHENTICATED' });
    // The same message for both, so the answer does not reveal which phones have accounts.
    expect(unknown).toEqual(wrong);
  });
});

describe('login throttling', () => {
  it(`delays a phone after ${PASSWORD_THROTTLE.perAccount} failures with growing waits, not a lock-out`, async () => {
    const party = await registerParty(ctx);
    const ip = uniqueAddress();
    for (let i = 1; i < PASSWORD_THROTTLE.perAccount; i++) {
      expect((await login(party.phone, `Wrong-${i}-pass`, ip)).code).toBe('UNAUTHENTICATED');
    }
    // The 5th failure is still checked and answered, and starts a 1-second delay.
    expect((await login(party.phone, 'Wrong-last-pass', ip)).code).toBe('UNAUTHENTICATED');
    const delayedAt = ctx.clock.now();
    const refused = await login(party.phone, PASSWORD, uniqueAddress());
    expect(refused).toMatchObject({ __typename: 'ForbiddenError', code: 'RATE_LIMITED' });
    expect(new Date(refused.retryAt).getTime()).toBe(delayedAt.getTime() + 1000);

    // After the delay one more guess is checked; its failure doubles the delay.
    ctx.clock.advance(1000);
    expect((await login(party.phone, 'Wrong-again-1', ip)).code).toBe('UNAUTHENTICATED');
    const second = await login(party.phone, PASSWORD, ip);
    expect(second.code).toBe('RATE_LIMITED');
    expect(new Date(second.retryAt).getTime()).toBe(ctx.clock.now().getTime() + 2000);

    // The owner is never locked out: once the short wait is over the right password works.
    ctx.clock.advance(2000);
    const after = await login(party.phone, PASSWORD, ip);
    expect(after.__typename).toBe('LoginSuccess');
    expect((await me(after.token)).id).toBe(party.globalId);
  });

  it(`delays a client address after ${PASSWORD_THROTTLE.perAddress} failures across phones, not the same account elsewhere`, async () => {
    const ip = uniqueAddress();
    const victim = await registerParty(ctx);
    let last: any;
    for (let i = 0; i <= PASSWORD_THROTTLE.perAddress; i++) last = await login(uniquePhone(), 'Wrong-passw0rd', ip);
    expect(last).toMatchObject({ __typename: 'ForbiddenError', code: 'RATE_LIMITED' });
    expect(last.retryAt).not.toBeNull();
    expect((await login(victim.phone, PASSWORD, ip)).code).toBe('RATE_LIMITED');
    expect((await login(victim.phone, PASSWORD, uniqueAddress())).__typename).toBe('LoginSuccess');
  });
});

describe('sessions', () => {
  it('logout revokes only the current token', async () => {
    const party = await registerParty(ctx);
    const other = await login(party.phone, PASSWORD);
    const out = await gqlFrom(LOGOUT, { input: {} }, { token: party.token });
    expect(out.data.logout).toEqual({ __typename: 'LogoutSuccess', revokedSessions: 1 });

    expect(await me(party.token)).toBeNull();
    const again = await gqlFrom(LOGOUT, { input: {} }, { token: party.token });
    expect(again.data.logout).toMatchObject({ __typename: 'ForbiddenError', code: 'UNAUTHENTICATED' });
    const change = await gqlFrom(CHANGE_PASSWORD, { input: { currentPassword: PASSWORD, newPassword: 'Another-pass1' } }, { token: party.token });
    expect(change.data.changePassword).toMatchObject({ __typename: 'ForbiddenError', code: 'UNAUTHENTICATED' });

    expect((await me(other.token)).id).toBe(party.globalId);
  });

  it('logout everywhere revokes every session of the user', async () => {
    const party = await registerParty(ctx);
    const second = await login(party.phone, PASSWORD);
    const out = await gqlFrom(LOGOUT, { input: { everywhere: true } }, { token: second.token });
    expect(out.data.logout.revokedSessions).toBe(2);
    expect(await me(party.token)).toBeNull();
    expect(await me(second.token)).toBeNull();
  });

  it('changePassword checks the current password, keeps this session and revokes the others', async () => {
    const party = await registerParty(ctx);
    const other = await login(party.phone, PASSWORD);

    const wrong = await gqlFrom(CHANGE_PASSWORD, { input: { currentPassword: 'Not-the-pass1', newPassword: 'Brand-new-pass9' } }, { token: party.token });
    expect(wrong.data.changePassword).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    const weak = await gqlFrom(CHANGE_PASSWORD, { input: { currentPassword: PASSWORD, newPassword: 'short' } }, { token: party.token });
    expect(weak.data.changePassword.__typename).toBe('ValidationError');
    expect(weak.data.changePassword.fields.map((f: any) => f.field)).toContain('newPassword');
    expect((await me(other.token)).id).toBe(party.globalId);

    const ok = await gqlFrom(CHANGE_PASSWORD, { input: { currentPassword: PASSWORD, newPassword: 'Brand-new-pass9' } }, { token: party.token });
    expect(ok.data.changePassword).toEqual({ __typename: 'ChangePasswordSuccess', user: { id: party.globalId } });
    expect((await me(party.token)).id).toBe(party.globalId);
    expect(await me(other.token)).toBeNull();
    expect((await login(party.phone, PASSWORD)).code).toBe('UNAUTHENTICATED');
    expect((await login(party.phone, 'Brand-new-pass9')).__typename).toBe('LoginSuccess');
  });

  it('rejects a session once SESSION_TTL has passed', async () => {
    const party = await registerParty(ctx);
    const ttl = ctx.deps.config.sessionTtlMs;
    ctx.clock.advance(ttl - 60_000);
    expect((await me(party.token)).id).toBe(party.globalId);
    ctx.clock.advance(120_000);
    expect(await me(party.token)).toBeNull();
    const out = await gqlFrom(LOGOUT, { input: {} }, { token: party.token });
    expect(out.data.logout).toMatchObject({ __typename: 'ForbiddenError', code: 'UNAUTHENTICATED' });
    // The account itself is untouched: a fresh login works.
    const [row] = await ctx.deps.db.select().from(users).where(eq(users.phone, party.phone));
    expect(row?.id).toBe(party.userId);
    expect((await login(party.phone, PASSWORD)).__typename).toBe('LoginSuccess');
  });
});
