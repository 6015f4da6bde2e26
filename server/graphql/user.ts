import { inArray } from 'drizzle-orm';
import { users } from '../../schema';
import { changePassword } from '../domain/auth/change-password';
import { login } from '../domain/auth/login';
import { logout } from '../domain/auth/logout';
import { register } from '../domain/auth/register';
import { requestPhoneCode } from '../domain/auth/request-phone-code';
import { loginWithPhoneCode } from '../domain/auth/login-with-phone-code';
import { resetPassword } from '../domain/auth/reset-password';
import { changePhone } from '../domain/auth/change-phone';
import { PHONE_CODE_PURPOSES } from '../domain/auth/phone-codes';
import { revealIdNumber, type UserRow } from '../domain/auth/users';
import { canSeeUser, readField, userPersonalAccess } from '../domain/access';
import { GENDERS } from '../domain/auth/profile-fields';
import { updateProfile } from '../domain/auth/update-profile';
import { USER_ROLES } from '../domain/enums';
import { maskPhone } from '../domain/validation';
import { builder } from './builder';
import { IDENTITY_METHODS } from '../domain/identity/identity-service';
import type { GraphQLContext } from './context';
import { OrganizationRef } from './organization';
import { publishSessionsRevoked } from './pubsub';

export const UserRoleEnum = builder.enumType('UserRole', { values: USER_ROLES });
export const GenderEnum = builder.enumType('Gender', { values: GENDERS });

export const UserRef = builder.loadableNodeRef('User', {
  id: { resolve: (u: UserRow) => u.id },
  load: async (ids: string[], ctx: GraphQLContext) => {
    const rows = await ctx.deps.db.select().from(users).where(inArray(users.id, ids));
    const byId = new Map(rows.filter((r) => canSeeUser(ctx.viewer, r)).map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null) as UserRow[];
  },
});

export const IdentityMethodEnum = builder.enumType('IdentityMethod', {
  description: '实名: PHONE (an SMS code), ID_SERVICE (name and ID number checked by an identity service), IN_PERSON (a mediator saw a document).',
  values: IDENTITY_METHODS,
});

UserRef.implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    role: t.field({ type: UserRoleEnum, resolve: (u) => u.role }),
    phone: t.string({
      description: 'In full for the user; masked (138****1234) for admins who manage the account (access policy).',
      resolve: (u, _a, ctx) => readField(userPersonalAccess(ctx.viewer, u), u.phone, maskPhone(u.phone)) ?? maskPhone(u.phone),
    }),
    idNumber: t.string({
      nullable: true,
      description: 'Resident ID number: in full for its owner, masked for everyone else (access policy).',
      resolve: (u, _a, ctx) => readField(userPersonalAccess(ctx.viewer, u), revealIdNumber(ctx.deps.config.dataKey, u), u.idNumberMasked),
    }),
    identityMethod: t.field({
      type: IdentityMethodEnum,
      nullable: true,
      description: '实名: how the identity was verified (the strongest way); to whom the access policy shows personal data in full.',
      resolve: (u, _a, ctx) => readField(userPersonalAccess(ctx.viewer, u), u.identityMethod, null),
    }),
    identityVerifiedAt: t.field({
      type: 'DateTime',
      nullable: true,
      resolve: (u, _a, ctx) => readField(userPersonalAccess(ctx.viewer, u), u.identityVerifiedAt, null),
    }),
    gender: t.exposeString('gender', { nullable: true }),
    ethnicity: t.exposeString('ethnicity', { nullable: true, description: '民族, e.g. 彝族.' }),
    occupation: t.exposeString('occupation', { nullable: true, description: '职业.' }),
    serviceAddress: t.string({
      nullable: true,
      description: 'Electronic service address (电子送达地址): only to whom the access policy shows personal data in full.',
      resolve: (u, _a, ctx) => readField(userPersonalAccess(ctx.viewer, u), u.serviceAddress, null),
    }),
    electronicServiceConsentAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the user consented to electronic service (null: no consent, nothing is served electronically).',
      resolve: (u, _a, ctx) => readField(userPersonalAccess(ctx.viewer, u), u.serviceConsentAt, null),
    }),
    birthDate: t.field({ type: 'Date', nullable: true, resolve: (u) => u.birthDate }),
    address: t.exposeString('address', { nullable: true, description: 'Domicile (住所).' }),
    organization: t.field({
      type: OrganizationRef,
      nullable: true,
      resolve: (u) => u.organizationId,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (u) => u.createdAt }),
  }),
});

const AuthPayload = (name: string) =>
  builder.objectRef<{ token: string; user: UserRow }>(name).implement({
    fields: (t) => ({
      token: t.exposeString('token', { description: 'Send as `Authorization: Bearer <token>`.' }),
      user: t.field({ type: UserRef, resolve: (p) => p.user }),
    }),
  });
const RegisterSuccess = AuthPayload('RegisterSuccess');
const LoginSuccess = AuthPayload('LoginSuccess');

const RegisterInput = builder.inputType('RegisterInput', {
  fields: (t) => ({
    phone: t.string({ required: true }),
    phoneCode: t.string({ required: true, description: 'The code sent by requestPhoneCode(purpose: REGISTER).' }),
    password: t.string({ required: true }),
    name: t.string({ required: true }),
    idNumber: t.string({ description: 'Resident ID number (GB 11643).' }),
    address: t.string({ description: 'Domicile.' }),
    gender: t.field({ type: GenderEnum, description: 'Must match the ID number when one is given.' }),
    ethnicity: t.string({ description: '民族, one of the 56 groups (彝族 or 彝).' }),
    occupation: t.string({ description: '职业.' }),
  }),
});

const UpdateProfileInput = builder.inputType('UpdateProfileInput', {
  fields: (t) => ({
    address: t.string({ description: 'Domicile (住所).' }),
    gender: t.field({ type: GenderEnum }),
    ethnicity: t.string({ description: '民族, one of the 56 groups.' }),
    occupation: t.string({ description: '职业.' }),
    serviceAddress: t.string({ description: 'Electronic service address (email or mobile); needs consentsToElectronicService: true.' }),
    consentsToElectronicService: t.boolean({ description: 'true records the consent with its time; false withdraws it.' }),
  }),
});
const UpdateProfileSuccess = builder.objectRef<{ user: UserRow }>('UpdateProfileSuccess').implement({
  fields: (t) => ({ user: t.field({ type: UserRef, resolve: (p) => p.user }) }),
});

const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({ phone: t.string({ required: true }), password: t.string({ required: true }) }),
});

const LogoutInput = builder.inputType('LogoutInput', {
  fields: (t) => ({ everywhere: t.boolean({ description: 'Revoke every session of this user.' }) }),
});
const LogoutSuccess = builder.objectRef<{ revokedSessions: number }>('LogoutSuccess').implement({
  fields: (t) => ({ revokedSessions: t.exposeInt('revokedSessions') }),
});

const ChangePasswordInput = builder.inputType('ChangePasswordInput', {
  fields: (t) => ({ currentPassword: t.string({ required: true }), newPassword: t.string({ required: true }) }),
});
const ChangePasswordSuccess = builder.objectRef<{ user: UserRow }>('ChangePasswordSuccess').implement({
  fields: (t) => ({ user: t.field({ type: UserRef, resolve: (p) => p.user }) }),
});

builder.queryField('me', (t) =>
  t.field({
    type: UserRef,
    nullable: true,
    description: 'The logged-in user; null when anonymous.',
    // The row the login was checked against in this request, when there is one; else loaded by id.
    resolve: (_p, _a, ctx) => (ctx.viewer?.kind === 'user' ? (ctx.viewerUser?.id === ctx.viewer.userId && canSeeUser(ctx.viewer, ctx.viewerUser) ? ctx.viewerUser : ctx.viewer.userId) : null),
  }),
);

// Mutations carry no field auth scope: ScopeAuthPlugin is listed before ErrorsPlugin, so a scope
// failure would be thrown outside the result union. Each command checks the caller itself and
// returns the contract's ForbiddenError (UNAUTHENTICATED or FORBIDDEN) inside the union.
builder.mutationField('register', (t) =>
  t.field({
    type: RegisterSuccess,
    errors: { union: { name: 'RegisterResult' } },
    args: { input: t.arg({ type: RegisterInput, required: true }) },
    resolve: (_p, { input }, ctx) => register(ctx.deps, ctx.actor, input),
  }),
);

builder.mutationField('login', (t) =>
  t.field({
    type: LoginSuccess,
    errors: { union: { name: 'LoginResult' } },
    args: { input: t.arg({ type: LoginInput, required: true }) },
    resolve: (_p, { input }, ctx) => login(ctx.deps, ctx.actor, input),
  }),
);

builder.mutationField('logout', (t) =>
  t.field({
    type: LogoutSuccess,
    errors: { union: { name: 'LogoutResult' } },
    args: { input: t.arg({ type: LogoutInput, required: true }) },
    resolve: async (_p, { input }, ctx) => {
      const revokedSessions = await logout(ctx.deps, ctx.actor, input);
      // Live streams opened with a revoked token close (on every instance).
      if (ctx.viewer?.kind === 'user') publishSessionsRevoked(ctx.deps.config, ctx.viewer.userId);
      return { revokedSessions };
    },
  }),
);

builder.mutationField('changePassword', (t) =>
  t.field({
    type: ChangePasswordSuccess,
    errors: { union: { name: 'ChangePasswordResult' } },
    args: { input: t.arg({ type: ChangePasswordInput, required: true }) },
    resolve: async (_p, { input }, ctx) => {
      const user = await changePassword(ctx.deps, ctx.actor, input);
      publishSessionsRevoked(ctx.deps.config, user.id);
      return { user };
    },
  }),
);

export const PhoneCodePurposeEnum = builder.enumType('PhoneCodePurpose', { values: PHONE_CODE_PURPOSES });

const RequestPhoneCodeInput = builder.inputType('RequestPhoneCodeInput', {
  fields: (t) => ({
    phone: t.string({ required: true }),
    purpose: t.field({ type: PhoneCodePurposeEnum, required: true }),
  }),
});
const RequestPhoneCodeSuccess = builder.objectRef<{ expiresAt: Date }>('RequestPhoneCodeSuccess').implement({
  fields: (t) => ({ expiresAt: t.field({ type: 'DateTime', resolve: (p) => p.expiresAt }) }),
});

builder.mutationField('requestPhoneCode', (t) =>
  t.field({
    type: RequestPhoneCodeSuccess,
    description: 'Sends a 6-digit code by SMS, valid 5 minutes; the answer is the same whether or not the phone has an account.',
    errors: { union: { name: 'RequestPhoneCodeResult' } },
    args: { input: t.arg({ type: RequestPhoneCodeInput, required: true }) },
    resolve: (_p, { input }, ctx) => requestPhoneCode(ctx.deps, ctx.actor, input),
  }),
);

const LoginWithPhoneCodeInput = builder.inputType('LoginWithPhoneCodeInput', {
  fields: (t) => ({ phone: t.string({ required: true }), phoneCode: t.string({ required: true }) }),
});
const LoginWithPhoneCodeSuccess = AuthPayload('LoginWithPhoneCodeSuccess');

builder.mutationField('loginWithPhoneCode', (t) =>
  t.field({
    type: LoginWithPhoneCodeSuccess,
    errors: { union: { name: 'LoginWithPhoneCodeResult' } },
    args: { input: t.arg({ type: LoginWithPhoneCodeInput, required: true }) },
    resolve: (_p, { input }, ctx) => loginWithPhoneCode(ctx.deps, ctx.actor, input),
  }),
);

const ResetPasswordInput = builder.inputType('ResetPasswordInput', {
  fields: (t) => ({
    phone: t.string({ required: true }),
    phoneCode: t.string({ required: true }),
    newPassword: t.string({ required: true }),
  }),
});
const ResetPasswordSuccess = builder.objectRef<{ user: UserRow }>('ResetPasswordSuccess').implement({
  fields: (t) => ({ user: t.field({ type: UserRef, resolve: (p) => p.user }) }),
});

builder.mutationField('resetPassword', (t) =>
  t.field({
    type: ResetPasswordSuccess,
    errors: { union: { name: 'ResetPasswordResult' } },
    args: { input: t.arg({ type: ResetPasswordInput, required: true }) },
    resolve: async (_p, { input }, ctx) => {
      const user = await resetPassword(ctx.deps, ctx.actor, input);
      publishSessionsRevoked(ctx.deps.config, user.id);
      return { user };
    },
  }),
);

const ChangePhoneInput = builder.inputType('ChangePhoneInput', {
  fields: (t) => ({
    newPhone: t.string({ required: true }),
    oldPhoneCode: t.string({ required: true, description: 'CHANGE_PHONE code sent to the current number.' }),
    newPhoneCode: t.string({ required: true, description: 'CHANGE_PHONE code sent to the new number.' }),
  }),
});
const ChangePhoneSuccess = builder.objectRef<{ user: UserRow }>('ChangePhoneSuccess').implement({
  fields: (t) => ({ user: t.field({ type: UserRef, resolve: (p) => p.user }) }),
});

builder.mutationField('changePhone', (t) =>
  t.field({
    type: ChangePhoneSuccess,
    errors: { union: { name: 'ChangePhoneResult' } },
    args: { input: t.arg({ type: ChangePhoneInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ user: await changePhone(ctx.deps, ctx.actor, input) }),
  }),
);

builder.mutationField('updateProfile', (t) =>
  t.field({
    type: UpdateProfileSuccess,
    errors: { union: { name: 'UpdateProfileResult' } },
    args: { input: t.arg({ type: UpdateProfileInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ user: await updateProfile(ctx.deps, ctx.actor, input) }),
  }),
);
