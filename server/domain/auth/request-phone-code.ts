import { and, count, eq, gt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { phoneCodes } from '../../../schema';
import type { Actor, Deps } from '../context';
import { ForbiddenError } from '../errors';
import { parseInput } from '../validate';
import { phoneSchema } from './fields';
import { PHONE_CODE_LIMITS, PHONE_CODE_PURPOSES, hashPhoneCode, newPhoneCode, type PhoneCodePurpose } from './phone-codes';
import { findUserByPhone } from './users';

/** SMS template of a one-time code; providers map it to their own template. */
export const PHONE_CODE_TEMPLATE = 'auth.phone_code';

const rateLimited = (message: string, retryAt: Date) => new ForbiddenError(message, 'RATE_LIMITED', retryAt);

/**
 * Sends a 6-digit code by SMS. The answer is the same whether or not the phone has an account;
 * a login or reset code for an unknown phone is recorded (so limits hold alike) but not sent.
 */
export async function requestPhoneCode(
  deps: Deps,
  actor: Actor,
  input: { phone: string; purpose: PhoneCodePurpose },
): Promise<{ expiresAt: Date }> {
  const data = parseInput(z.object({ phone: phoneSchema, purpose: z.enum(PHONE_CODE_PURPOSES) }), input);
  const now = deps.clock.now();
  const code = newPhoneCode();
  const expiresAt = new Date(now.getTime() + PHONE_CODE_LIMITS.ttlMs);
  const since = (ms: number) => new Date(now.getTime() - ms);
  await deps.db.transaction(async (tx) => {
    // One request per phone (and per address) at a time, so two parallel requests cannot both pass the limits.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`phone-code:${data.phone}`}))`);
    if (actor.ip) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`phone-code-ip:${actor.ip}`}))`);
    const [last] = await tx
      .select({ createdAt: phoneCodes.createdAt })
      .from(phoneCodes)
      .where(and(eq(phoneCodes.phone, data.phone), gt(phoneCodes.createdAt, since(PHONE_CODE_LIMITS.perPhoneIntervalMs))))
      .limit(1);
    if (last) {
      throw rateLimited('A code was sent to this phone less than a minute ago.', new Date(last.createdAt.getTime() + PHONE_CODE_LIMITS.perPhoneIntervalMs));
    }
    const [day] = await tx
      .select({ n: count() })
      .from(phoneCodes)
      .where(and(eq(phoneCodes.phone, data.phone), gt(phoneCodes.createdAt, since(86_400_000))));
    if ((day?.n ?? 0) >= PHONE_CODE_LIMITS.perPhonePerDay) {
      throw rateLimited('This phone has had too many codes today.', new Date(now.getTime() + 86_400_000));
    }
    if (actor.ip) {
      const [hour] = await tx
        .select({ n: count() })
        .from(phoneCodes)
        .where(and(eq(phoneCodes.ip, actor.ip), gt(phoneCodes.createdAt, since(3_600_000))));
      if ((hour?.n ?? 0) >= deps.config.sms.codesPerAddressPerHour) {
        throw rateLimited('Too many codes requested from this address.', new Date(now.getTime() + 3_600_000));
      }
    }
    await tx.insert(phoneCodes).values({
      phone: data.phone,
      purpose: data.purpose,
      codeHash: hashPhoneCode(deps.config.dataKey, data.phone, data.purpose, code),
      ip: actor.ip,
      createdAt: now,
      expiresAt,
    });
  });
  const needsAccount = data.purpose === 'LOGIN' || data.purpose === 'RESET_PASSWORD';
  if (!needsAccount || (await findUserByPhone(deps.db, data.phone))) {
    await deps.notifier.send({
      channel: 'SMS',
      to: data.phone,
      template: PHONE_CODE_TEMPLATE,
      params: { code, purpose: data.purpose, minutes: String(PHONE_CODE_LIMITS.ttlMs / 60_000) },
    });
  }
  return { expiresAt };
}
