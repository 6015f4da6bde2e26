import { z } from 'zod';
import { isMainlandMobile, normalizePhone, parseResidentId } from '../validation';
import { printable } from '../validation/printable';

/** A mainland mobile number, normalised (spaces and +86 removed). */
export const phoneSchema = z
  .string()
  .transform((s) => normalizePhone(s))
  .refine((s) => isMainlandMobile(s), 'must be a mainland mobile number (11 digits starting with 1)');

/** A person's or organisation's name, printed on agreements: refused when the fonts cannot draw it. */
export const nameSchema = printable(z.string().trim().min(1, 'is required').max(100, 'is too long'));

/** Resident ID number checked against GB 11643 (check digit and birth date) as of `today`. */
export function idNumberSchema(today: Date) {
  return z
    .string()
    .trim()
    .transform((s, ctx) => {
      const parsed = parseResidentId(s, today);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: `is not a valid resident ID number: ${parsed.reason}` });
        return z.NEVER;
      }
      return { value: s.toUpperCase(), birthDate: parsed.birthDate, gender: parsed.gender };
    });
}
