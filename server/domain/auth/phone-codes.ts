import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { phoneCodes, type PhoneCodePurpose } from '../../../schema';
import type { Executor } from '../../db';
import { ValidationError } from '../errors';

export const PHONE_CODE_PURPOSES = ['REGISTER', 'LOGIN', 'RESET_PASSWORD', 'CHANGE_PHONE'] as const satisfies readonly PhoneCodePurpose[];
export type { PhoneCodePurpose };

/** Limits on one-time codes (issue: 5 minutes, 5 attempts, 1 per 60 s and 10 per day per phone). */
export const PHONE_CODE_LIMITS = {
  ttlMs: 5 * 60_000,
  attempts: 5,
  perPhoneIntervalMs: 60_000,
  perPhonePerDay: 10,
  // Per client address: SMS_CODES_PER_ADDRESS_PER_HOUR (config.sms.codesPerAddressPerHour).
};

/** The keyed hash stored instead of the code: without the data key a leaked table gives nothing. */
export function hashPhoneCode(dataKey: Buffer, phone: string, purpose: PhoneCodePurpose, code: string): string {
  return createHmac('sha256', dataKey).update(`${phone}:${purpose}:${code}`).digest('hex');
}

/** A uniformly random 6-digit code. */
export function newPhoneCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

const wrongCode = (field: string) => ValidationError.field(field, 'is wrong or has expired; request a new code');

/**
 * Checks `code` against the newest live code for this phone and purpose and returns its id. The
 * attempt is counted by a conditional update before the comparison, on its own (not inside the
 * caller's transaction, whose rollback would give the attempt back), so concurrent guesses cannot
 * exceed the limit. Spend the code with {@link spendPhoneCode} in the transaction that uses it.
 */
export async function checkPhoneCode(
  db: Executor,
  dataKey: Buffer,
  now: Date,
  input: { phone: string; purpose: PhoneCodePurpose; code: string; field?: string },
): Promise<string> {
  const field = input.field ?? 'phoneCode';
  if (!/^\d{6}$/.test(input.code)) throw ValidationError.field(field, 'must be the 6 digits sent by SMS');
  const live = and(
    eq(phoneCodes.phone, input.phone),
    eq(phoneCodes.purpose, input.purpose),
    isNull(phoneCodes.consumedAt),
    gt(phoneCodes.expiresAt, now),
  );
  const [latest] = await db.select({ id: phoneCodes.id }).from(phoneCodes).where(live).orderBy(desc(phoneCodes.createdAt)).limit(1);
  if (!latest) throw wrongCode(field);
  const [counted] = await db
    .update(phoneCodes)
    .set({ attempts: sql`${phoneCodes.attempts} + 1` })
    .where(and(eq(phoneCodes.id, latest.id), lt(phoneCodes.attempts, PHONE_CODE_LIMITS.attempts), isNull(phoneCodes.consumedAt)))
    .returning();
  if (!counted) throw wrongCode(field);
  const expected = Buffer.from(counted.codeHash, 'hex');
  const given = Buffer.from(hashPhoneCode(dataKey, input.phone, input.purpose, input.code), 'hex');
  if (!timingSafeEqual(expected, given)) throw wrongCode(field);
  return counted.id;
}

/** Spends a checked code; conditional, so two requests cannot both use one code. */
export async function spendPhoneCode(tx: Executor, codeId: string, now: Date, field = 'phoneCode'): Promise<void> {
  const [spent] = await tx
    .update(phoneCodes)
    .set({ consumedAt: now })
    .where(and(eq(phoneCodes.id, codeId), isNull(phoneCodes.consumedAt)))
    .returning({ id: phoneCodes.id });
  if (!spent) throw wrongCode(field);
}
