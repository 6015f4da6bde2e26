import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { caseParties, loginThrottles, users } from '../../../schema';
import type { Actor, Deps } from '../context';
import { ValidationError } from '../errors';
import { parseInput } from '../validate';
import { phoneSchema } from './fields';
import { checkPhoneCode, spendPhoneCode } from './phone-codes';
import { createSession } from './sessions';
import { findUserByPhone, type UserRow } from './users';

/**
 * Logs in with a code sent to the phone instead of the password. The owner who proves the phone
 * always gets in, whatever delays password guessing has put on the account, and the delays are lifted.
 */
export async function loginWithPhoneCode(
  deps: Deps,
  actor: Actor,
  input: { phone: string; phoneCode: string },
): Promise<{ token: string; user: UserRow }> {
  const data = parseInput(z.object({ phone: phoneSchema, phoneCode: z.string().trim().min(1, 'is required') }), input);
  const now = deps.clock.now();
  const codeId = await checkPhoneCode(deps.db, deps.config.dataKey, now, { phone: data.phone, purpose: 'LOGIN', code: data.phoneCode });
  const user = await findUserByPhone(deps.db, data.phone);
  // No account: the same answer as a wrong code (a code for an unknown phone is never sent anyway).
  if (!user) throw ValidationError.field('phoneCode', 'is wrong or has expired; request a new code');
  return deps.db.transaction(async (tx) => {
    await spendPhoneCode(tx, codeId, now);
    const [updated] = await tx
      .update(users)
      .set({ phoneVerifiedAt: user.phoneVerifiedAt ?? now, identityMethod: user.identityMethod ?? 'PHONE', identityVerifiedAt: user.identityVerifiedAt ?? now })
      .where(eq(users.id, user.id))
      .returning();
    await tx.update(caseParties).set({ userId: user.id }).where(and(eq(caseParties.phone, user.phone), isNull(caseParties.userId)));
    await tx.delete(loginThrottles).where(eq(loginThrottles.key, `phone:${user.phone}`));
    await tx.delete(loginThrottles).where(eq(loginThrottles.key, `user:${user.id}`));
    const session = await createSession(tx, deps.clock, deps.config.sessionTtlMs, user.id, actor);
    return { token: session.token, user: updated! };
  });
}
