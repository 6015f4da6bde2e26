import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { caseParties, users } from '../../../schema';
import type { Actor, Deps } from '../context';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { uniqueViolation } from '../db-errors';
import { recordEvent } from '../audit/record-event';
import { parseInput } from '../validate';
import { phoneSchema } from './fields';
import { checkPhoneCode, spendPhoneCode } from './phone-codes';
import { requireUser } from './policy';
import { findUserByPhone, type UserRow } from './users';

/** Moves the account to a new phone; needs a CHANGE_PHONE code sent to the old and one sent to the new number. */
export async function changePhone(
  deps: Deps,
  actor: Actor,
  input: { newPhone: string; oldPhoneCode: string; newPhoneCode: string },
): Promise<UserRow> {
  const viewer = requireUser(actor);
  const data = parseInput(
    z.object({
      newPhone: phoneSchema,
      oldPhoneCode: z.string().trim().min(1, 'is required'),
      newPhoneCode: z.string().trim().min(1, 'is required'),
    }),
    input,
  );
  const [user] = await deps.db.select().from(users).where(eq(users.id, viewer.userId));
  if (!user) throw new NotFoundError('User');
  if (data.newPhone === user.phone) throw ValidationError.field('newPhone', 'is already this account’s phone');
  const now = deps.clock.now();
  const oldId = await checkPhoneCode(deps.db, deps.config.dataKey, now, { phone: user.phone, purpose: 'CHANGE_PHONE', code: data.oldPhoneCode, field: 'oldPhoneCode' });
  const newId = await checkPhoneCode(deps.db, deps.config.dataKey, now, { phone: data.newPhone, purpose: 'CHANGE_PHONE', code: data.newPhoneCode, field: 'newPhoneCode' });
  if (await findUserByPhone(deps.db, data.newPhone)) throw ValidationError.field('newPhone', 'belongs to another account');
  try {
    return await deps.db.transaction(async (tx) => {
      await spendPhoneCode(tx, oldId, now, 'oldPhoneCode');
      await spendPhoneCode(tx, newId, now, 'newPhoneCode');
      const [updated] = await tx
        .update(users)
        .set({ phone: data.newPhone, phoneVerifiedAt: now, updatedAt: now, version: user.version + 1 })
        .where(and(eq(users.id, user.id), eq(users.version, user.version)))
        .returning();
      if (!updated) throw new ConflictError();
      await tx.update(caseParties).set({ userId: user.id }).where(and(eq(caseParties.phone, data.newPhone), isNull(caseParties.userId)));
      await recordEvent(tx, deps.clock, actor, { subjectType: 'user', subjectId: user.id, type: 'user.phone_changed' });
      return updated;
    });
  } catch (err) {
    if (uniqueViolation(err) === 'users_phone_key') throw ValidationError.field('newPhone', 'belongs to another account');
    throw err;
  }
}
