import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder';
import './errors';
import './user';
import './organization';
import './case';
import './session';
import './identity';
import './agreement';
import './evidence';
import './confirmation';
import './litigation';
import './calendar';
import './webhook-delivery';
import './lead';
import './screening-report';
import './follow-up';
import './rating';
import './supervision-order';
import './statistics';
import './subsidy';

/** The executable schema; importing this module registers every type file. */
export const schema = builder.toSchema();

export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
