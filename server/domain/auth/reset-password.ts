import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { loginThrottles, sessions, users } from '../../../schema';
import type { Actor, Deps } from '../context';
import { ConflictError, ValidationError } from '../errors';
import { recordEvent } from '../audit/record-event';
import { parseInput } from '../validate';
import { phoneSchema } from './fields';
import { hashPassword, passwordSchema } from './passwords';
import { checkPhoneCode, spendPhoneCode } from './phone-codes';
import { findUserByPhone, type UserRow } from './users';

/** Sets a new password for the holder of the phone, proven by a code; every session is revoked. */
export async function resetPassword(
  deps: Deps,
  actor: Actor,
  input: { phone: string; phoneCode: string; newPassword: string },
): Promise<UserRow> {
  const data = parseInput(
    z.object({ phone: phoneSchema, phoneCode: z.string().trim().min(1, 'is required'), newPassword: passwordSchema }),
    input,
  );
  const now = deps.clock.now();
  const codeId = await checkPhoneCode(deps.db, deps.config.dataKey, now, { phone: data.phone, purpose: 'RESET_PASSWORD', code: data.phoneCode });
  const user = await findUserByPhone(deps.db, data.phone);
  if (!user) throw ValidationError.field('phoneCode', 'is wrong or has expired; request a new code');
  const passwordHash = await hashPassword(data.newPassword, deps.config.bcryptCost);
  return deps.db.transaction(async (tx) => {
    await spendPhoneCode(tx, codeId, now);
    const [updated] = await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: now, updatedAt: now, version: user.version + 1, phoneVerifiedAt: user.phoneVerifiedAt ?? now })
      .where(and(eq(users.id, user.id), eq(users.version, user.version)))
      .returning();
    if (!updated) throw new ConflictError();
    await tx.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt)));
    await tx.delete(loginThrottles).where(eq(loginThrottles.key, `phone:${user.phone}`));
    await tx.delete(loginThrottles).where(eq(loginThrottles.key, `user:${user.id}`));
    await recordEvent(tx, deps.clock, { ...actor, viewer: null }, { subjectType: 'user', subjectId: user.id, type: 'user.password_reset' });
    return updated;
  });
}
