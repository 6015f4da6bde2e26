import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder';
import './errors';
import './user';
import './organization';
import './case';
import './session';
import './agreement';
import './evidence';
import './confirmation';
import './litigation';
import './webhook-delivery';
import './statistics';

/** The executable schema; importing this module registers every type file. */
export const schema = builder.toSchema();

export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
