import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { mediators, organizations } from '../../../schema';
import { recordEvent } from '../audit/record-event';
import { nameSchema, phoneSchema } from '../auth/fields';
import { hashPassword, passwordSchema } from '../auth/passwords';
import { requireOrgManager } from '../auth/policy';
import { findUserByPhone, insertStaffAccount, type UserRow } from '../auth/users';
import type { Actor, Deps } from '../context';
import { uniqueViolation } from '../db-errors';
import { DISPUTE_CATEGORIES, LANGUAGE_CODES, MEDIATION_CHANNELS } from '../enums';
import { NotFoundError, ValidationError } from '../errors';
import { parseInput } from '../validate';

export type MediatorRow = typeof mediators.$inferSelect;

export interface CreateMediatorInput {
  organizationId: string;
  name: string;
  phone: string;
  password: string;
  channel: (typeof MEDIATION_CHANNELS)[number];
  categories?: (typeof DISPUTE_CATEGORIES)[number][] | null;
  languages?: string[] | null;
  capacity?: number | null;
  title?: string | null;
  profile?: string | null;
  chargesFee?: boolean | null;
}

const inputSchema = z.object({
  organizationId: z.string().uuid('is not a valid id'),
  name: nameSchema,
  phone: phoneSchema,
  password: passwordSchema,
  channel: z.enum(MEDIATION_CHANNELS),
  categories: z.array(z.enum(DISPUTE_CATEGORIES)).nullish(),
  languages: z
    .array(z.string().refine((c) => c in LANGUAGE_CODES, 'is not a supported ISO 639 language code'))
    .nullish(),
  capacity: z.number().int().min(1).max(200).nullish(),
  title: z.string().max(100).nullish(),
  profile: z.string().max(2000).nullish(),
  chargesFee: z.boolean().nullish(),
});

/** Adds a mediator (with a login) to an organisation; platform admins or that organisation's admins. */
export async function createMediator(
  deps: Deps,
  actor: Actor,
  input: CreateMediatorInput,
): Promise<{ mediator: MediatorRow; user: UserRow }> {
  const data = parseInput(inputSchema, input);
  const [org] = await deps.db.select().from(organizations).where(eq(organizations.id, data.organizationId));
  if (!org) throw new NotFoundError('Organization');
  requireOrgManager(actor, org.id);
  if (org.channel !== data.channel && org.kind !== 'COMPREHENSIVE_CENTER') {
    throw ValidationError.field('channel', `must be ${org.channel} for a ${org.kind}`);
  }
  if (await findUserByPhone(deps.db, data.phone)) throw ValidationError.field('phone', 'is already registered');
  const passwordHash = await hashPassword(data.password, deps.config.bcryptCost);
  const now = deps.clock.now();
  try {
    return await deps.db.transaction(async (tx) => {
      const user = await insertStaffAccount(tx, {
        phone: data.phone,
        passwordHash,
        name: data.name,
        role: 'MEDIATOR',
        organizationId: org.id,
        now,
      });
      const [mediator] = await tx
        .insert(mediators)
        .values({
          userId: user.id,
          organizationId: org.id,
          channel: data.channel,
          categories: data.categories ?? org.categories,
          languages: data.languages?.length ? data.languages : ['zh'],
          capacity: data.capacity ?? 10,
          title: data.title ?? null,
          profile: data.profile ?? null,
          chargesFee: data.chargesFee ?? org.chargesFee,
          createdAt: now,
        })
        .returning();
      await recordEvent(tx, deps.clock, actor, {
        subjectType: 'organization',
        subjectId: org.id,
        type: 'mediator.created',
        data: { mediatorId: mediator!.id, userId: user.id, name: user.name },
      });
      return { mediator: mediator!, user };
    });
  } catch (err) {
    if (uniqueViolation(err) === 'users_phone_key') throw ValidationError.field('phone', 'is already registered');
    throw err;
  }
}
