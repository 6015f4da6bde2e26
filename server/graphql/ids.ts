import { decodeGlobalID } from '@pothos/plugin-relay';
import { ValidationError } from '../domain/errors';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Decodes a global ID of the expected type to the database id; anything else is a ValidationError. */
export function localId(globalId: string, typename: string | string[], field: string): string {
  const expected = Array.isArray(typename) ? typename : [typename];
  try {
    const decoded = decodeGlobalID(globalId);
    if (expected.includes(decoded.typename) && UUID_RE.test(decoded.id)) return decoded.id;
  } catch {
    // falls through to the typed error below
  }
  throw ValidationError.field(field, `is not a ${expected.join(' or ')} id`);
}

/** Like localId but null when absent. */
export function optionalLocalId(globalId: string | null | undefined, typename: string, field: string): string | null {
  return globalId ? localId(globalId, typename, field) : null;
}
