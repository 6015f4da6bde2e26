import { z } from 'zod';
import { users } from '../../../schema';
import type { Actor, Deps } from '../context';
import { ValidationError } from '../errors';
import { uniqueViolation } from '../db-errors';
import { recordEvent } from '../audit/record-event';
import { parseInput } from '../validate';
import { idNumberSchema, nameSchema, phoneSchema } from './fields';
import { ethnicitySchema, genderSchema, occupationSchema } from './profile-fields';
import { hashPassword, passwordSchema } from './passwords';
import { createSession } from './sessions';
import { findUserByPhone, idNumberColumns, type UserRow } from './users';

export interface RegisterInput {
  phone: string;
  password: string;
  name: string;
  idNumber?: string | null;
  address?: string | null;
  gender?: 'MALE' | 'FEMALE' | null;
  ethnicity?: string | null;
  occupation?: string | null;
}

/** Creates a party account and logs it in. */
export async function register(
  deps: Deps,
  actor: Actor,
  input: RegisterInput,
): Promise<{ token: string; user: UserRow }> {
  const data = parseInput(
    z.object({
      phone: phoneSchema,
      password: passwordSchema,
      name: nameSchema,
      idNumber: idNumberSchema(deps.clock.now()).nullish(),
      address: z.string().trim().min(2).max(300).nullish(),
      gender: genderSchema.nullish(),
      ethnicity: ethnicitySchema.nullish(),
      occupation: occupationSchema.nullish(),
    }),
    input,
  );
  if (data.gender && data.idNumber && data.gender !== data.idNumber.gender) throw ValidationError.field('gender', 'does not match the ID number');
  if (await findUserByPhone(deps.db, data.phone)) {
    throw ValidationError.field('phone', 'is already registered; log in instead');
  }
  const passwordHash = await hashPassword(data.password, deps.config.bcryptCost);
  try {
    return await deps.db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          phone: data.phone,
          passwordHash,
          name: data.name,
          role: 'PARTY',
          address: data.address ?? null,
          gender: data.gender ?? null,
          ethnicity: data.ethnicity ?? null,
          occupation: data.occupation ?? null,
          ...(data.idNumber
            ? {
                ...idNumberColumns(deps.config.dataKey, data.idNumber.value),
                birthDate: data.idNumber.birthDate,
                gender: data.idNumber.gender,
              }
            : {}),
          createdAt: deps.clock.now(),
          updatedAt: deps.clock.now(),
        })
        .returning();
      await recordEvent(tx, deps.clock, { ...actor, viewer: null }, {
        subjectType: 'user',
        subjectId: user!.id,
        type: 'user.registered',
        data: { role: 'PARTY' },
      });
      const session = await createSession(tx, deps.clock, deps.config.sessionTtlMs, user!.id, actor);
      return { token: session.token, user: user! };
    });
  } catch (err) {
    // The unique indexes decide races between two registrations of the same phone or ID number.
    const constraint = uniqueViolation(err);
    if (constraint === 'users_phone_key') throw ValidationError.field('phone', 'is already registered; log in instead');
    if (constraint === 'users_id_number_digest_key') {
      throw ValidationError.field('idNumber', 'is already registered to another account');
    }
    throw err;
  }
}
