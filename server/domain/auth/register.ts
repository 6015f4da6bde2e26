import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { addressSchema } from '../validation/printable';
import { caseParties, identityVerifications, users } from '../../../schema';
import type { Actor, Deps } from '../context';
import { ValidationError } from '../errors';
import { uniqueViolation } from '../db-errors';
import { recordEvent } from '../audit/record-event';
import { parseInput } from '../validate';
import { idNumberSchema, nameSchema, phoneSchema } from './fields';
import { ethnicitySchema, genderSchema, occupationSchema } from './profile-fields';
import { hashPassword, passwordSchema } from './passwords';
import { checkPhoneCode, spendPhoneCode } from './phone-codes';
import { createSession } from './sessions';
import { findUserByPhone, idNumberColumns, type UserRow } from './users';
import { keyedDigest } from './crypto';
import { identityServiceOf } from '../identity/verify-identity-in-person';

export interface RegisterInput {
  phone: string;
  phoneCode: string;
  password: string;
  name: string;
  idNumber?: string | null;
  address?: string | null;
  gender?: 'MALE' | 'FEMALE' | null;
  ethnicity?: string | null;
  occupation?: string | null;
}

/**
 * Creates a party account with a phone proven by an SMS code, and logs it in. Only after the code
 * is the phone bound: the account is then matched to the cases that name this phone. An ID number
 * already held by another account is not bound (and not reported: that would tell a stranger whose
 * number is registered); the answer is the same either way, and in-person or identity-service
 * verification settles it later.
 */
export async function register(
  deps: Deps,
  actor: Actor,
  input: RegisterInput,
): Promise<{ token: string; user: UserRow }> {
  const data = parseInput(
    z.object({
      phone: phoneSchema,
      phoneCode: z.string().trim().min(1, 'is required'),
      password: passwordSchema,
      name: nameSchema,
      idNumber: idNumberSchema(deps.clock.now()).nullish(),
      address: addressSchema.nullish(),
      gender: genderSchema.nullish(),
      ethnicity: ethnicitySchema.nullish(),
      occupation: occupationSchema.nullish(),
    }),
    input,
  );
  const now = deps.clock.now();
  const codeId = await checkPhoneCode(deps.db, deps.config.dataKey, now, { phone: data.phone, purpose: 'REGISTER', code: data.phoneCode });
  // The caller has just proven they hold this phone: telling them it has an account tells no one else.
  if (data.gender && data.idNumber && data.gender !== data.idNumber.gender) throw ValidationError.field('gender', 'does not match the ID number');
  if (await findUserByPhone(deps.db, data.phone)) {
    throw ValidationError.field('phone', 'is already registered; log in instead');
  }
  let idNumber = data.idNumber ?? null;
  if (idNumber) {
    const digest = keyedDigest(deps.config.dataKey, idNumber.value);
    const [holder] = await deps.db.select({ id: users.id }).from(users).where(eq(users.idNumberDigest, digest)).limit(1);
    if (holder) idNumber = null;
  }
  // 实名: ask the identity service (if one is configured) before the transaction, never inside it.
  const service = identityServiceOf(deps);
  const checked = idNumber ? await service.check({ name: data.name, idNumber: idNumber.value }) : null;
  const passwordHash = await hashPassword(data.password, deps.config.bcryptCost);
  try {
    return await deps.db.transaction(async (tx) => {
      await spendPhoneCode(tx, codeId, now);
      const [user] = await tx
        .insert(users)
        .values({
          phone: data.phone,
          phoneVerifiedAt: now,
          identityMethod: checked?.passed ? 'ID_SERVICE' : 'PHONE',
          identityVerifiedAt: now,
          passwordHash,
          name: data.name,
          role: 'PARTY',
          address: data.address ?? null,
          gender: data.gender ?? null,
          ethnicity: data.ethnicity ?? null,
          occupation: data.occupation ?? null,
          ...(idNumber
            ? {
                ...idNumberColumns(deps.config.dataKey, idNumber.value),
                birthDate: idNumber.birthDate,
                gender: idNumber.gender,
              }
            : {}),
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await tx.insert(identityVerifications).values({
        userId: user!.id,
        method: 'PHONE',
        passed: true,
        verifiedBy: 'sms-code',
        createdAt: now,
      });
      if (checked) {
        await tx.insert(identityVerifications).values({ userId: user!.id, method: 'ID_SERVICE', passed: checked.passed, verifiedBy: service.name, detail: checked.detail, createdAt: now });
      }
      // Bind the cases that name this (now proven) phone.
      await tx.update(caseParties).set({ userId: user!.id }).where(and(eq(caseParties.phone, data.phone), isNull(caseParties.userId)));
      await recordEvent(tx, deps.clock, { ...actor, viewer: null }, {
        subjectType: 'user',
        subjectId: user!.id,
        type: 'user.registered',
        data: { role: 'PARTY', idNumberBound: !!idNumber || !data.idNumber },
      });
      const session = await createSession(tx, deps.clock, deps.config.sessionTtlMs, user!.id, actor);
      return { token: session.token, user: user! };
    });
  } catch (err) {
    // The unique indexes decide races between two registrations of the same phone or ID number.
    const constraint = uniqueViolation(err);
    if (constraint === 'users_phone_key') throw ValidationError.field('phone', 'is already registered; log in instead');
    if (constraint === 'users_id_number_digest_key') {
      // Lost a race for the ID number: register without it, as when it was already held.
      return register(deps, actor, { ...input, idNumber: null });
    }
    throw err;
  }
}
