import { eq } from 'drizzle-orm';
import { users } from '../../../schema';
import { recordEvent } from '../audit/record-event';
import { hashPassword } from '../auth/passwords';
import type { Deps } from '../context';

/** Creates the platform admin from configuration when no platform admin exists yet. */
export async function ensureAdmin(
  deps: Deps,
  admin: { phone: string; password: string; name: string } | undefined,
): Promise<{ created: boolean; userId: string | null }> {
  const [existing] = await deps.db.select({ id: users.id }).from(users).where(eq(users.role, 'PLATFORM_ADMIN')).limit(1);
  if (existing) return { created: false, userId: existing.id };
  if (!admin) return { created: false, userId: null };
  const passwordHash = await hashPassword(admin.password, deps.config.bcryptCost);
  return deps.db.transaction(async (tx) => {
    const now = deps.clock.now();
    const [byPhone] = await tx.select().from(users).where(eq(users.phone, admin.phone));
    const [user] = byPhone
      ? await tx.update(users).set({ role: 'PLATFORM_ADMIN', updatedAt: now }).where(eq(users.id, byPhone.id)).returning()
      : await tx
          .insert(users)
          .values({ phone: admin.phone, passwordHash, name: admin.name, role: 'PLATFORM_ADMIN', createdAt: now, updatedAt: now })
          .returning();
    await recordEvent(tx, deps.clock, { viewer: null, ip: null, userAgent: null, requestId: null }, {
      subjectType: 'user',
      subjectId: user!.id,
      type: 'user.admin_bootstrapped',
    });
    return { created: true, userId: user!.id };
  });
}
