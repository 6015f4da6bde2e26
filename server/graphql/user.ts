import { inArray } from 'drizzle-orm';
import { users } from '../../schema';
import { changePassword } from '../domain/auth/change-password';
import { login } from '../domain/auth/login';
import { logout } from '../domain/auth/logout';
import { register } from '../domain/auth/register';
import { GENDERS } from '../domain/auth/profile-fields';
import { updateProfile } from '../domain/auth/update-profile';
import { canSeeFullIdNumber, revealIdNumber, type UserRow } from '../domain/auth/users';
import { USER_ROLES } from '../domain/enums';
import { maskPhone } from '../domain/validation';
import { builder } from './builder';
import type { GraphQLContext } from './context';
import { OrganizationRef } from './organization';

export const UserRoleEnum = builder.enumType('UserRole', { values: USER_ROLES });
export const GenderEnum = builder.enumType('Gender', { values: GENDERS });

/** Users are visible to themselves, to platform admins, and to admins of their own organisation. */
function canSeeUser(ctx: GraphQLContext, u: UserRow): boolean {
  const v = ctx.viewer;
  if (v?.kind !== 'user') return false;
  if (v.userId === u.id || v.role === 'PLATFORM_ADMIN') return true;
  return v.role === 'ORG_ADMIN' && u.organizationId !== null && u.organizationId === v.organizationId;
}

export const UserRef = builder.loadableNodeRef('User', {
  id: { resolve: (u: UserRow) => u.id },
  load: async (ids: string[], ctx: GraphQLContext) => {
    const rows = await ctx.deps.db.select().from(users).where(inArray(users.id, ids));
    const byId = new Map(rows.filter((r) => canSeeUser(ctx, r)).map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null) as UserRow[];
  },
});

UserRef.implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    role: t.field({ type: UserRoleEnum, resolve: (u) => u.role }),
    phone: t.string({
      description: 'In full for the user and platform admins; masked (138****1234) for others.',
      resolve: (u, _a, ctx) => (canSeeFullIdNumber(ctx.viewer, u.id) ? u.phone : maskPhone(u.phone)),
    }),
    idNumber: t.string({
      nullable: true,
      description: 'Resident ID number: in full for its owner and platform admins, masked for everyone else.',
      resolve: (u, _a, ctx) =>
        canSeeFullIdNumber(ctx.viewer, u.id) ? revealIdNumber(ctx.deps.config.dataKey, u) : u.idNumberMasked,
    }),
    gender: t.exposeString('gender', { nullable: true }),
    ethnicity: t.exposeString('ethnicity', { nullable: true, description: '民族, e.g. 彝族.' }),
    occupation: t.exposeString('occupation', { nullable: true, description: '职业.' }),
    serviceAddress: t.string({
      nullable: true,
      description: 'Electronic service address (电子送达地址): only to the user and platform admins.',
      resolve: (u, _a, ctx) => (canSeeFullIdNumber(ctx.viewer, u.id) ? u.serviceAddress : null),
    }),
    electronicServiceConsentAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the user consented to electronic service (null: no consent, nothing is served electronically).',
      resolve: (u, _a, ctx) => (canSeeFullIdNumber(ctx.viewer, u.id) ? u.serviceConsentAt : null),
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
    resolve: (_p, _a, ctx) => (ctx.viewer?.kind === 'user' ? ctx.viewer.userId : null),
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
    resolve: async (_p, { input }, ctx) => ({ revokedSessions: await logout(ctx.deps, ctx.actor, input) }),
  }),
);

builder.mutationField('changePassword', (t) =>
  t.field({
    type: ChangePasswordSuccess,
    errors: { union: { name: 'ChangePasswordResult' } },
    args: { input: t.arg({ type: ChangePasswordInput, required: true }) },
    resolve: async (_p, { input }, ctx) => ({ user: await changePassword(ctx.deps, ctx.actor, input) }),
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
