import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { addressSchema } from '../validation/printable';
import { users } from '../../../schema';
import { recordEvent } from '../audit/record-event';
import type { Actor, Deps } from '../context';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { parseInput } from '../validate';
import { requireUser } from './policy';
import { ethnicitySchema, genderSchema, occupationSchema, serviceAddressSchema } from './profile-fields';
import type { UserRow } from './users';

const inputSchema = z.object({
  address: addressSchema.nullish(),
  gender: genderSchema.nullish(),
  ethnicity: ethnicitySchema.nullish(),
  occupation: occupationSchema.nullish(),
  /** 电子送达地址; only with consentsToElectronicService: true. */
  serviceAddress: serviceAddressSchema.nullish(),
  /** true records the consent (time and channel PROFILE); false withdraws it. */
  consentsToElectronicService: z.boolean().nullish(),
});

export type UpdateProfileInput = z.input<typeof inputSchema>;

/**
 * The logged-in user updates their own profile: domicile, gender, ethnicity, occupation (printed on
 * agreements, PML 29), and the electronic service address with the consent that makes it usable.
 */
export async function updateProfile(deps: Deps, actor: Actor, input: UpdateProfileInput): Promise<UserRow> {
  const viewer = requireUser(actor);
  const data = parseInput(inputSchema, input);
  const changed = Object.entries(data).filter(([, v]) => v !== undefined && v !== null);
  if (changed.length === 0) throw ValidationError.field('input', 'name at least one of address, gender, ethnicity, occupation, serviceAddress, consentsToElectronicService');
  const [user] = await deps.db.select().from(users).where(eq(users.id, viewer.userId));
  if (!user) throw new NotFoundError('User');
  // The gender on a verified ID number is the legal one.
  if (data.gender && user.idNumberEnc && user.gender && user.gender !== data.gender) throw ValidationError.field('gender', 'does not match the ID number on the profile');
  if (data.serviceAddress && data.consentsToElectronicService !== true) {
    throw ValidationError.field('consentsToElectronicService', 'must be true to designate an electronic service address (consent is recorded with its time)');
  }
  if (data.consentsToElectronicService === true && !data.serviceAddress && !user.serviceAddress) {
    throw ValidationError.field('serviceAddress', 'is required to consent to electronic service');
  }
  const now = deps.clock.now();
  const set: Partial<typeof users.$inferInsert> = { updatedAt: now, version: user.version + 1 };
  if (data.address) set.address = data.address;
  if (data.gender) set.gender = data.gender;
  if (data.ethnicity) set.ethnicity = data.ethnicity;
  if (data.occupation) set.occupation = data.occupation;
  if (data.serviceAddress) set.serviceAddress = data.serviceAddress;
  if (data.consentsToElectronicService === true) Object.assign(set, { serviceConsentAt: now, serviceConsentChannel: 'PROFILE' });
  if (data.consentsToElectronicService === false) Object.assign(set, { serviceConsentAt: null, serviceConsentChannel: null });
  const updated = await deps.db.transaction(async (tx) => {
    // Conditional on the version read above: two concurrent edits cannot both win.
    const [row] = await tx.update(users).set(set).where(and(eq(users.id, user.id), eq(users.version, user.version))).returning();
    if (!row) throw new ConflictError();
    await recordEvent(tx, deps.clock, actor, {
      subjectType: 'user',
      subjectId: user.id,
      type: 'user.profile_updated',
      data: { fields: changed.map(([k]) => k), electronicServiceConsent: data.consentsToElectronicService ?? null },
    });
    return row;
  });
  // The address the login read follows the change, for what the same request does next (a filing).
  if (viewer.address !== undefined) viewer.address = updated.address;
  return updated;
}
