// GB 32100-2015: 31 characters, excluding I, O, Z, S and V.
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
// GB 32100-2015: weight of each of the first 17 positions.
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CHARSET.indexOf(first17[i]!);
    if (v < 0) throw new Error(`invalid character at position ${i + 1}`);
    sum += v * WEIGHTS[i]!;
  }
  const c = 31 - (sum % 31);
  return CHARSET[c === 31 ? 0 : c]!;
}

/** Explains why a unified social credit code is invalid, or returns null if it is valid. */
export function creditCodeError(s: string): string | null {
  if (s.length !== 18) return 'must be 18 characters';
  for (let i = 0; i < 18; i++) {
    if (!CHARSET.includes(s[i]!)) {
      return `invalid character "${s[i]}" at position ${i + 1} (allowed: 0-9 and uppercase letters except I, O, S, V, Z)`;
    }
  }
  // Positions 3–8 carry the GB/T 2260 administrative division code of the registration authority.
  if (!/^\d{6}$/.test(s.slice(2, 8))) return 'characters 3-8 must be a 6-digit division code';
  if (checkChar(s.slice(0, 17)) !== s[17]) return 'check character does not match';
  return null;
}

/** True if the string is a well-formed GB 32100-2015 unified social credit code. */
export function isValidCreditCode(s: string): boolean {
  return creditCodeError(s) === null;
}

/** Appends the GB 32100-2015 check character to the first 17 characters of a credit code. */
export function withCreditCodeCheck(first17: string): string {
  if (first17.length !== 17) throw new Error('expected 17 characters');
  return first17 + checkChar(first17);
}
