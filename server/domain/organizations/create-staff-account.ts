import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { organizations } from '../../../schema';
import { recordEvent } from '../audit/record-event';
import { nameSchema, phoneSchema } from '../auth/fields';
import { hashPassword, passwordSchema } from '../auth/passwords';
import { requireOrgManager } from '../auth/policy';
import { findUserByPhone, insertStaffAccount, type UserRow } from '../auth/users';
import type { Actor, Deps } from '../context';
import { uniqueViolation } from '../db-errors';
import { NotFoundError, ValidationError } from '../errors';
import { parseInput } from '../validate';

const inputSchema = z.object({
  organizationId: z.string().uuid('is not a valid id'),
  role: z.enum(['ORG_ADMIN', 'GRID_WORKER']),
  name: nameSchema,
  phone: phoneSchema,
  password: passwordSchema,
});

/** Creates an organisation admin or a grid worker account attached to an organisation. */
export async function createStaffAccount(
  deps: Deps,
  actor: Actor,
  input: z.input<typeof inputSchema>,
): Promise<UserRow> {
  const data = parseInput(inputSchema, input);
  const [org] = await deps.db.select().from(organizations).where(eq(organizations.id, data.organizationId));
  if (!org) throw new NotFoundError('Organization');
  requireOrgManager(actor, org.id);
  if (await findUserByPhone(deps.db, data.phone)) throw ValidationError.field('phone', 'is already registered');
  const passwordHash = await hashPassword(data.password, deps.config.bcryptCost);
  try {
    return await deps.db.transaction(async (tx) => {
      const user = await insertStaffAccount(tx, { ...data, passwordHash, organizationId: org.id, now: deps.clock.now() });
      await recordEvent(tx, deps.clock, actor, {
        subjectType: 'organization',
        subjectId: org.id,
        type: 'staff.created',
        data: { userId: user.id, role: user.role, name: user.name },
      });
      return user;
    });
  } catch (err) {
    if (uniqueViolation(err) === 'users_phone_key') throw ValidationError.field('phone', 'is already registered');
    throw err;
  }
}
