import { localDate } from '../clock/calendar';

export type ResidentIdResult =
  | {
      ok: true;
      /** The number with a lowercase check character normalised to X. */
      normalized: string;
      birthDate: string;
      gender: 'MALE' | 'FEMALE';
      regionCode: string;
    }
  | { ok: false; reason: string };

// GB 11643-1999: weight W_i = 2^(i-1) mod 11, with i counted from the right (check character is i = 1).
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
// Indexed by (sum mod 11); the result of ISO 7064 MOD 11-2.
const CHECK_CHARS = '10X98765432';

const MIN_BIRTH_DATE = '1900-01-01';
const MAX_AGE_YEARS = 150;

/** ISO 7064 MOD 11-2 check character for the first 17 digits of a resident identity number. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Validates an 18-character GB 11643 resident identity number and extracts birth date, gender and region code. */
export function parseResidentId(s: string, today: Date): ResidentIdResult {
  const id = s.trim().toUpperCase();
  if (id.length !== 18) return { ok: false, reason: 'must be 18 characters' };
  if (!/^\d{17}[\dX]$/.test(id)) {
    return { ok: false, reason: 'must be 17 digits followed by a digit or X' };
  }
  if (residentIdCheckChar(id.slice(0, 17)) !== id[17]) {
    return { ok: false, reason: 'check digit does not match' };
  }

  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  if (!isRealDate(y, m, d)) return { ok: false, reason: 'birth date is not a real calendar date' };
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (birthDate < MIN_BIRTH_DATE) return { ok: false, reason: 'birth date is before 1900-01-01' };

  // Birthdays are civil dates, so compare against today's date in China, not UTC.
  const todayLocal = localDate(today);
  if (birthDate > todayLocal) return { ok: false, reason: 'birth date is in the future' };
  const ty = Number(todayLocal.slice(0, 4));
  const hadBirthday = todayLocal.slice(5) >= birthDate.slice(5);
  const age = ty - y - (hadBirthday ? 0 : 1);
  if (age > MAX_AGE_YEARS) return { ok: false, reason: `age is over ${MAX_AGE_YEARS} years` };

  return {
    ok: true,
    normalized: id,
    birthDate,
    // GB 11643-1999: the sequence code's last digit is odd for men, even for women.
    gender: Number(id[16]) % 2 === 1 ? 'MALE' : 'FEMALE',
    regionCode: id.slice(0, 6),
  };
}

/** Masks an identity number for display, keeping the first 4 and last 4 characters. */
export function maskIdNumber(s: string): string {
  const t = s.trim().toUpperCase();
  if (t.length <= 8) return '*'.repeat(t.length);
  return t.slice(0, 4) + '*'.repeat(t.length - 8) + t.slice(-4);
}

/** Masks a phone number for display, keeping the first 3 and last 4 digits. */
export function maskPhone(s: string): string {
  const t = s.trim();
  if (t.length <= 7) return '*'.repeat(t.length);
  return t.slice(0, 3) + '*'.repeat(t.length - 7) + t.slice(-4);
}
