const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/** True for an 11-digit mainland China mobile number (1[3-9] followed by nine digits). */
export function isMainlandMobile(s: string): boolean {
  return MAINLAND_MOBILE.test(s);
}

/**
 * Strips spaces and dashes and a leading +86 / 0086 / 86 country code.
 * The bare "86" is only removed when 11 digits remain, so a national number
 * that happens to start with 86 is left intact.
 */
export function normalizePhone(s: string): string {
  let t = s.replace(/[\s-]/g, '');
  if (t.startsWith('+86')) t = t.slice(3);
  else if (t.startsWith('0086')) t = t.slice(4);
  else if (t.startsWith('86') && t.length === 13) t = t.slice(2);
  return t;
}
