import { z } from 'zod';
import { ValidationError } from './errors';

/** Parses command input with a zod schema; failures become one ValidationError naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((issue) => ({
      field: issue.path.length > 0 ? issue.path.map(String).join('.') : 'input',
      message: issue.message,
    })),
  );
}
