import { randomInt } from 'node:crypto';
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneCodes, users } from '../../schema';
import { PASSWORD_THROTTLE } from '../../server/domain/auth/password-throttle';
import { PHONE_CODE_LIMITS } from '../../server/domain/auth/phone-codes';
import { createTestContext, makeIdNumber, uniquePhone, type TestContext } from '../support/harness';
import { PASSWORD, lastCodeSentTo, phoneCodeFor, registerParty } from '../support/factories';
import { createCaseWorld, fileNeighborDispute } from '../support/case-world';

// Requests come from their own addresses (X-Forwarded-For) so the per-address limits of one test
// never reach another's.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ config: { TRUST_PROXY: 'true' } });
});
afterAll(async () => ctx?.close());

const uniqueAddress = () => `10.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

async function gql(query: string, variables: Record<string, unknown>, opts: { token?: string; ip?: string } = {}) {
  const req = request(ctx.app).post('/graphql').set('content-type', 'application/json');
  if (opts.token) req.set('authorization', `Bearer ${opts.token}`);
  req.set('x-forwarded-for', opts.ip ?? uniqueAddress());
  const res = await req.send({ query, variables });
  return res.body as { data?: any; errors?: unknown[] };
}

const ERR = '... on Error { code message } ... on ValidationError { fields { field message } } ... on ForbiddenError { retryAt }';
const REQUEST = `mutation ($input: RequestPhoneCodeInput!) { requestPhoneCode(input: $input) { __typename ... on RequestPhoneCodeSuccess { expiresAt } ${ERR} } }`;
const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { __typename ... on RegisterSuccess { token user { id } } ${ERR} } }`;
const LOGIN = `mutation ($input: LoginInput!) { login(input: $input) { __typename ... on LoginSuccess { token } ${ERR} } }`;
const LOGIN_CODE = `mutation ($input: LoginWithPhoneCodeInput!) { loginWithPhoneCode(input: $input) { __typename ... on LoginWithPhoneCodeSuccess { token user { id } } ${ERR} } }`;
const RESET = `mutation ($input: ResetPasswordInput!) { resetPassword(input: $input) { __typename ... on ResetPasswordSuccess { user { id } } ${ERR} } }`;
const CHANGE_PHONE = `mutation ($input: ChangePhoneInput!) { changePhone(input: $input) { __typename ... on ChangePhoneSuccess { user { id phone } } ${ERR} } }`;
const CHANGE_PASSWORD = `mutation ($input: ChangePasswordInput!) { changePassword(input: $input) { __typename ${ERR} } }`;
const ME = '{ me { id phone idNumber } }';

const requestCode = (phone: string, purpose: string, ip?: string) => gql(REQUEST, { input: { phone, purpose } }, { ip }).then((b) => b.data.requestPhoneCode);
const registerWith = (phone: string, phoneCode: string, extra: Record<string, unknown> = {}) =>
  gql(REGISTER, { input: { phone, phoneCode, password: PASSWORD, name: '测试当事人', ...extra } }).then((b) => b.data.register);
/** A wrong code that differs from the right one. */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('one-time codes', () => {
  it('register needs the code sent to the phone; a wrong, expired or spent code is refused', async () => {
    const phone = uniquePhone();
    const missing = await gql(REGISTER, { input: { phone, password: PASSWORD, name: '甲' } });
    expect(missing.errors).toBeDefined(); // phoneCode is required by the schema
    expect((await registerWith(phone, '123456')).fields).toEqual([{ field: 'phoneCode', message: expect.stringMatching(/wrong or has expired/) }]);

    const sent = await requestCode(phone, 'REGISTER');
    expect(sent.__typename).toBe('RequestPhoneCodeSuccess');
    expect(new Date(sent.expiresAt).getTime()).toBe(ctx.clock.now().getTime() + PHONE_CODE_LIMITS.ttlMs);
    const code = lastCodeSentTo(ctx, phone, 'REGISTER')!;
    expect(code).toMatch(/^\d{6}$/);
    // Only a keyed hash is stored.
    const [row] = await ctx.deps.db.select().from(phoneCodes).where(eq(phoneCodes.phone, phone));
    expect(row!.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(code);

    // A code for another purpose does not register.
    ctx.clock.advance(PHONE_CODE_LIMITS.perPhoneIntervalMs);
    await requestCode(phone, 'CHANGE_PHONE');
    const otherPurpose = lastCodeSentTo(ctx, phone, 'CHANGE_PHONE')!;
    if (otherPurpose !== code) expect((await registerWith(phone, otherPurpose)).__typename).toBe('ValidationError');

    const ok = await registerWith(phone, code);
    expect(ok.__typename).toBe('RegisterSuccess');
    const [user] = await ctx.deps.db.select().from(users).where(eq(users.phone, phone));
    expect(user!.phoneVerifiedAt).not.toBeNull();
    // Spent: the same code cannot be used again (here for a second registration attempt).
    expect((await registerWith(phone, code)).fields?.[0]?.field).toBe('phoneCode');
  });

  it('a code expires after 5 minutes', async () => {
    const phone = uniquePhone();
    const code = await phoneCodeFor(ctx, phone);
    ctx.clock.advance(PHONE_CODE_LIMITS.ttlMs + 1);
    expect((await registerWith(phone, code)).fields?.[0]?.field).toBe('phoneCode');
  });

  it('allows 5 attempts per code, then even the right code is refused; parallel guesses cannot exceed that', async () => {
    const phone = uniquePhone();
    const code = await phoneCodeFor(ctx, phone);
    const guesses = Array.from({ length: 12 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    const answers = await Promise.all(guesses.map((g) => registerWith(phone, g)));
    expect(answers.every((a) => a.__typename === 'ValidationError')).toBe(true);
    const [row] = await ctx.deps.db.select().from(phoneCodes).where(eq(phoneCodes.phone, phone));
    expect(row!.attempts).toBe(PHONE_CODE_LIMITS.attempts);
    expect((await registerWith(phone, code)).__typename).toBe('ValidationError');
  });

  it('limits each phone to one code per 60 s and 10 per day, and each address per hour', async () => {
    const phone = uniquePhone();
    const ip = uniqueAddress();
    expect((await requestCode(phone, 'REGISTER', ip)).__typename).toBe('RequestPhoneCodeSuccess');
    const again = await requestCode(phone, 'REGISTER', uniqueAddress());
    expect(again).toMatchObject({ __typename: 'ForbiddenError', code: 'RATE_LIMITED' });
    expect(new Date(again.retryAt).getTime()).toBe(ctx.clock.now().getTime() + 60_000);
    for (let i = 1; i < PHONE_CODE_LIMITS.perPhonePerDay; i++) {
      ctx.clock.advance(61_000);
      expect((await requestCode(phone, 'REGISTER', uniqueAddress())).__typename).toBe('RequestPhoneCodeSuccess');
    }
    ctx.clock.advance(61_000);
    expect((await requestCode(phone, 'REGISTER', uniqueAddress())).code).toBe('RATE_LIMITED');
    ctx.clock.advance(86_400_000);
    expect((await requestCode(phone, 'REGISTER', uniqueAddress())).__typename).toBe('RequestPhoneCodeSuccess');

  });

  it('limits the codes one client address may request per hour, whatever the phones', async () => {
    const strict = await createTestContext({ config: { TRUST_PROXY: 'true', SMS_CODES_PER_ADDRESS_PER_HOUR: '3' } });
    try {
      const ask = (ip: string) =>
        request(strict.app).post('/graphql').set('x-forwarded-for', ip).send({ query: REQUEST, variables: { input: { phone: uniquePhone(), purpose: 'REGISTER' } } }).then((r) => r.body.data.requestPhoneCode);
      const busy = uniqueAddress();
      for (let i = 0; i < 3; i++) expect((await ask(busy)).__typename).toBe('RequestPhoneCodeSuccess');
      expect(await ask(busy)).toMatchObject({ code: 'RATE_LIMITED' });
      expect((await ask(uniqueAddress())).__typename).toBe('RequestPhoneCodeSuccess');
      strict.clock.advance(3_600_001);
      expect((await ask(busy)).__typename).toBe('RequestPhoneCodeSuccess');
    } finally {
      await strict.close();
    }
  });

  it('answers the same whether or not a phone has an account, and sends login codes only to accounts', async () => {
    const party = await registerParty(ctx);
    const stranger = uniquePhone();
    ctx.clock.advance(61_000);
    const known = await requestCode(party.phone, 'LOGIN');
    const unknown = await requestCode(stranger, 'LOGIN');
    expect(Object.keys(known)).toEqual(Object.keys(unknown));
    expect(known.__typename).toBe(unknown.__typename);
    expect(lastCodeSentTo(ctx, party.phone, 'LOGIN')).toMatch(/^\d{6}$/);
    expect(lastCodeSentTo(ctx, stranger, 'LOGIN')).toBeNull();
    // A login with any code for the unknown phone is the same refusal as a wrong code.
    const a = await gql(LOGIN_CODE, { input: { phone: stranger, phoneCode: '000000' } });
    const b = await gql(LOGIN_CODE, { input: { phone: party.phone, phoneCode: wrong(lastCodeSentTo(ctx, party.phone, 'LOGIN')!) } });
    expect(a.data.loginWithPhoneCode).toEqual(b.data.loginWithPhoneCode);
  });

  it('register does not tell whether an ID number is already registered, and binds it only once', async () => {
    const idNumber = makeIdNumber();
    const first = await registerParty(ctx, { idNumber });
    const phone = uniquePhone();
    const second = await registerWith(phone, await phoneCodeFor(ctx, phone), { idNumber });
    expect(second.__typename).toBe('RegisterSuccess');
    const [row] = await ctx.deps.db.select().from(users).where(eq(users.phone, phone));
    expect(row!.idNumberEnc).toBeNull();
    const owner = await gql(ME, {}, { token: first.token });
    expect(owner.data.me.idNumber).toBe(idNumber);
  });

  it('refuses common passwords', async () => {
    for (const password of ['Passw0rd', '12345678a', 'password1']) {
      const phone = uniquePhone();
      const r = await gql(REGISTER, { input: { phone, phoneCode: await phoneCodeFor(ctx, phone), password, name: '甲' } });
      expect(r.data.register.__typename).toBe('ValidationError');
      expect(r.data.register.fields.map((f: { field: string }) => f.field)).toContain('password');
    }
  });
});

describe('someone else’s phone', () => {
  it('an account holding a respondent’s phone without proving it sees nothing of their case', async () => {
    const w = await createCaseWorld(ctx, { villageMediators: 1 });
    const theirPhone = uniquePhone();
    const filed = await fileNeighborDispute(ctx, w, { respondents: [{ name: '王五', phone: theirPhone }] });
    const caseId = filed.id;
    // An account whose phone was typed in by someone, never proven (as an admin-made account would be).
    const now = ctx.clock.now();
    await ctx.deps.db.insert(users).values({ phone: theirPhone, passwordHash: (await ctx.deps.db.select().from(users).where(eq(users.id, w.applicant.userId)))[0]!.passwordHash, name: '冒名', role: 'PARTY', createdAt: now, updatedAt: now });
    const login = await gql(LOGIN, { input: { phone: theirPhone, password: PASSWORD } });
    const token = login.data.login.token;
    const seen = await gql(`query ($id: ID!) { case(id: $id) { id } }`, { id: caseId }, { token });
    expect(seen.data.case).toBeNull();
    const list = await gql(`{ cases(first: 50) { edges { node { id } } } }`, {}, { token });
    expect(list.data.cases.edges).toEqual([]);

    // Once the holder proves the phone with a code, the case is theirs.
    ctx.clock.advance(61_000);
    const code = await phoneCodeFor(ctx, theirPhone, 'LOGIN');
    const proven = await gql(LOGIN_CODE, { input: { phone: theirPhone, phoneCode: code } });
    expect(proven.data.loginWithPhoneCode.__typename).toBe('LoginWithPhoneCodeSuccess');
    const after = await gql(`query ($id: ID!) { case(id: $id) { id } }`, { id: caseId }, { token: proven.data.loginWithPhoneCode.token });
    expect(after.data.case?.id).toBe(caseId);
  });
});

describe('sign-in and recovery with a code', () => {
  it('the owner proving the phone always gets in, while password guesses are delayed', async () => {
    const party = await registerParty(ctx);
    const ip = uniqueAddress();
    for (let i = 0; i < PASSWORD_THROTTLE.perAccount + 3; i++) {
      ctx.clock.advance(1000 * 2 ** Math.max(0, i - PASSWORD_THROTTLE.perAccount));
      await gql(LOGIN, { input: { phone: party.phone, password: `Wrong-${i}-pass` } }, { ip });
    }
    expect((await gql(LOGIN, { input: { phone: party.phone, password: PASSWORD } })).data.login.code).toBe('RATE_LIMITED');
    ctx.clock.advance(61_000);
    const code = await phoneCodeFor(ctx, party.phone, 'LOGIN');
    const r = await gql(LOGIN_CODE, { input: { phone: party.phone, phoneCode: code } });
    expect(r.data.loginWithPhoneCode.__typename).toBe('LoginWithPhoneCodeSuccess');
    expect(r.data.loginWithPhoneCode.user.id).toBe(party.globalId);
    // Proving the phone lifts the delay for the password too.
    expect((await gql(LOGIN, { input: { phone: party.phone, password: PASSWORD } })).data.login.__typename).toBe('LoginSuccess');
  });

  it('20 concurrent wrong logins get at most the free attempts checked; the rest are refused unchecked', async () => {
    const party = await registerParty(ctx);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => gql(LOGIN, { input: { phone: party.phone, password: `Wrong-${i}-guess` } }).then((b) => b.data.login.code)),
    );
    expect(answers.filter((c) => c === 'UNAUTHENTICATED')).toHaveLength(PASSWORD_THROTTLE.perAccount);
    expect(answers.filter((c) => c === 'RATE_LIMITED')).toHaveLength(20 - PASSWORD_THROTTLE.perAccount);
    // A burst that hides the right password among guesses does not get it checked past the limit.
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) => gql(LOGIN, { input: { phone: party.phone, password: i === 7 ? PASSWORD : `Wrong-b${i}` } }).then((b) => b.data.login.__typename)),
    );
    expect(burst.filter((t) => t === 'LoginSuccess').length).toBeLessThanOrEqual(1);
    expect(burst.filter((t) => t !== 'ForbiddenError').length).toBeLessThanOrEqual(1);
  });

  it('changePassword is throttled like login', async () => {
    const party = await registerParty(ctx);
    const codes: string[] = [];
    for (let i = 0; i < PASSWORD_THROTTLE.perAccount + 1; i++) {
      const r = await gql(CHANGE_PASSWORD, { input: { currentPassword: `Wrong-${i}-pass`, newPassword: 'Brand-new-pass9' } }, { token: party.token });
      codes.push(r.data.changePassword.code);
    }
    expect(codes.slice(0, PASSWORD_THROTTLE.perAccount)).toEqual(Array(PASSWORD_THROTTLE.perAccount).fill('FORBIDDEN'));
    expect(codes.at(-1)).toBe('RATE_LIMITED');
  });

  it('resetPassword sets a new password with a code and ends every session', async () => {
    const party = await registerParty(ctx);
    ctx.clock.advance(61_000);
    const code = await phoneCodeFor(ctx, party.phone, 'RESET_PASSWORD');
    const bad = await gql(RESET, { input: { phone: party.phone, phoneCode: wrong(code), newPassword: 'Brand-new-pass9' } });
    expect(bad.data.resetPassword.fields[0].field).toBe('phoneCode');
    const ok = await gql(RESET, { input: { phone: party.phone, phoneCode: code, newPassword: 'Brand-new-pass9' } });
    expect(ok.data.resetPassword.__typename).toBe('ResetPasswordSuccess');
    expect((await gql(ME, {}, { token: party.token })).data.me).toBeNull();
    expect((await gql(LOGIN, { input: { phone: party.phone, password: PASSWORD } })).data.login.code).toBe('UNAUTHENTICATED');
    expect((await gql(LOGIN, { input: { phone: party.phone, password: 'Brand-new-pass9' } })).data.login.__typename).toBe('LoginSuccess');
  });

  it('changePhone needs codes sent to the old and to the new number', async () => {
    const party = await registerParty(ctx);
    const newPhone = uniquePhone();
    ctx.clock.advance(61_000);
    const oldCode = await phoneCodeFor(ctx, party.phone, 'CHANGE_PHONE');
    const newCode = await phoneCodeFor(ctx, newPhone, 'CHANGE_PHONE');
    const onlyOne = await gql(CHANGE_PHONE, { input: { newPhone, oldPhoneCode: oldCode, newPhoneCode: wrong(newCode) } }, { token: party.token });
    expect(onlyOne.data.changePhone.fields[0].field).toBe('newPhoneCode');
    const ok = await gql(CHANGE_PHONE, { input: { newPhone, oldPhoneCode: oldCode, newPhoneCode: newCode } }, { token: party.token });
    expect(ok.data.changePhone).toMatchObject({ __typename: 'ChangePhoneSuccess', user: { phone: newPhone } });
    expect((await gql(LOGIN, { input: { phone: newPhone, password: PASSWORD } })).data.login.__typename).toBe('LoginSuccess');
    const anon = await gql(CHANGE_PHONE, { input: { newPhone: uniquePhone(), oldPhoneCode: '111111', newPhoneCode: '222222' } });
    expect(anon.data.changePhone.code).toBe('UNAUTHENTICATED');
  });
});
