import { and, eq, isNull, ne } from 'drizzle-orm';
import { z } from 'zod';
import { sessions, users } from '../../../schema';
import type { Actor, Deps } from '../context';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { recordEvent } from '../audit/record-event';
import { parseInput } from '../validate';
import { hashPassword, passwordSchema, verifyPassword } from './passwords';
import { requireUser } from './policy';
import { accountKeys, throttledCheck } from './password-throttle';
import type { UserRow } from './users';

/** Changes the password after checking the current one; other sessions are revoked. */
export async function changePassword(
  deps: Deps,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
): Promise<UserRow> {
  const viewer = requireUser(actor);
  const data = parseInput(
    z.object({ currentPassword: z.string().min(1, 'is required'), newPassword: passwordSchema }),
    input,
  );
  const [user] = await deps.db.select().from(users).where(eq(users.id, viewer.userId));
  if (!user) throw new NotFoundError('User');
  const ok = await throttledCheck(deps.db, deps.clock.now(), accountKeys({ userId: user.id }, actor.ip), () =>
    verifyPassword(data.currentPassword, user.passwordHash),
  );
  if (!ok) {
    throw new ForbiddenError('The current password is wrong.', 'FORBIDDEN');
  }
  const passwordHash = await hashPassword(data.newPassword, deps.config.bcryptCost);
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    // Conditional on the version read above: a concurrent change makes this one fail, not overwrite.
    const [updated] = await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: now, updatedAt: now, version: user.version + 1 })
      .where(and(eq(users.id, user.id), eq(users.version, user.version)))
      .returning();
    if (!updated) throw new ConflictError();
    await tx
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, user.id), ne(sessions.id, viewer.sessionId), isNull(sessions.revokedAt)));
    await recordEvent(tx, deps.clock, actor, { subjectType: 'user', subjectId: user.id, type: 'user.password_changed' });
    return updated;
  });
}
