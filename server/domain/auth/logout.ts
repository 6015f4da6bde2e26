import { and, eq, isNull } from 'drizzle-orm';
import { sessions } from '../../../schema';
import type { Actor, Deps } from '../context';
import { requireUser } from './policy';

/** Revokes the current session, or every session of the user when `everywhere` is set. */
export async function logout(deps: Deps, actor: Actor, input: { everywhere?: boolean | null }): Promise<number> {
  const user = requireUser(actor);
  const now = deps.clock.now();
  const revoked = await deps.db
    .update(sessions)
    .set({ revokedAt: now })
    .where(
      and(
        input.everywhere ? eq(sessions.userId, user.userId) : eq(sessions.id, user.sessionId),
        isNull(sessions.revokedAt),
      ),
    )
    .returning({ id: sessions.id });
  return revoked.length;
}
