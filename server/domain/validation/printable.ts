import { z } from 'zod';
import { unprintableCharacters } from '../../pdf/coverage';

/** The message for text holding characters the agreement fonts cannot draw. */
export function unprintableMessage(bad: string[]): string {
  return `contains characters the agreement font cannot print (${bad.join(' ')}); write them another way (e.g. a common variant) or register the name with the character described`;
}

/**
 * Text that ends up on an agreement (names, domiciles, occupations, agents' authority) is refused
 * where it enters, naming the field, when the agreement fonts cannot draw it (e.g. CJK Extension B
 * such as 𠮷): an agreement never prints a box.
 */
export function printable<T extends z.ZodType<string, string>>(schema: T) {
  return schema.superRefine((s, ctx) => {
    const bad = unprintableCharacters(s);
    if (bad.length) ctx.addIssue({ code: 'custom', message: unprintableMessage(bad) });
  });
}

/** A domicile or other postal address printed on agreements. */
export const addressSchema = printable(z.string().trim().min(2).max(300));
