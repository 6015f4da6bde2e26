/** How a viewer reads a personal-data field: in full, masked (138****1234), or not at all. */
export type FieldAccess = 'FULL' | 'MASKED' | 'HIDDEN';

/** Applies an access level to a value, given its masked form. */
export function readField<T>(access: FieldAccess, full: T, masked: T | null): T | null {
  if (access === 'FULL') return full;
  if (access === 'MASKED') return masked;
  return null;
}
