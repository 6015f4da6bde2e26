import { describe, expect, it } from 'vitest';
import {
  creditCodeError,
  isMainlandMobile,
  isValidCreditCode,
  maskIdNumber,
  maskPhone,
  normalizePhone,
  parseResidentId,
  withCreditCodeCheck,
} from '../../server/domain/validation';

// Independent ISO 7064 MOD 11-2 so the tests do not just mirror the implementation.
function withIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const weight = 2 ** (17 - i) % 11;
    sum += Number(first17[i]) * weight;
  }
  const check = (12 - (sum % 11)) % 11;
  return first17 + (check === 10 ? 'X' : String(check));
}

const TODAY = new Date('2026-03-01T04:00:00Z');

describe('parseResidentId', () => {
  it('accepts the GB 11643 worked example', () => {
    expect(parseResidentId('11010519491231002X', TODAY)).toEqual({
      ok: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'FEMALE',
      regionCode: '110105',
    });
  });

  it('accepts built Yunnan numbers and derives gender from the 17th digit', () => {
    const male = withIdCheck('53292419900101123');
    const female = withIdCheck('53262320000229004');
    expect(parseResidentId(male, TODAY)).toMatchObject({
      ok: true,
      birthDate: '1990-01-01',
      gender: 'MALE',
      regionCode: '532924',
    });
    expect(parseResidentId(female, TODAY)).toMatchObject({ ok: true, birthDate: '2000-02-29', gender: 'FEMALE' });
  });

  it('normalises a lowercase x check character', () => {
    // Find a sequence number whose check character is X.
    let id = '';
    for (let seq = 100; seq < 1000 && !id.endsWith('X'); seq++) id = withIdCheck(`53252719850615${seq}`);
    expect(id.endsWith('X')).toBe(true);
    const r = parseResidentId(id.toLowerCase(), TODAY);
    expect(r).toMatchObject({ ok: true, normalized: id });
  });

  it('rejects a wrong check digit', () => {
    const good = withIdCheck('53292419900101123');
    const wrongLast = good.endsWith('0') ? '1' : '0';
    expect(parseResidentId(good.slice(0, 17) + wrongLast, TODAY)).toEqual({
      ok: false,
      reason: 'check digit does not match',
    });
  });

  it('rejects wrong length and characters', () => {
    expect(parseResidentId('5329241990010112', TODAY)).toEqual({ ok: false, reason: 'must be 18 characters' });
    expect(parseResidentId('53292419900101A234', TODAY)).toMatchObject({ ok: false });
    expect(parseResidentId('532924199001011Y23', TODAY)).toMatchObject({ ok: false });
  });

  it('rejects a non-existent birth date 1999-02-30 even with a correct check digit', () => {
    expect(parseResidentId(withIdCheck('53292419990230123'), TODAY)).toEqual({
      ok: false,
      reason: 'birth date is not a real calendar date',
    });
    expect(parseResidentId(withIdCheck('53292419990229123'), TODAY)).toMatchObject({ ok: false });
  });

  it('rejects a birth date in the future, judged by the China local date', () => {
    expect(parseResidentId(withIdCheck('53292420260302123'), TODAY)).toEqual({
      ok: false,
      reason: 'birth date is in the future',
    });
    // 2026-03-01T20:00Z is already 2026-03-02 in China.
    expect(parseResidentId(withIdCheck('53292420260302123'), new Date('2026-03-01T20:00:00Z'))).toMatchObject({
      ok: true,
    });
  });

  it('rejects births before 1900 and ages over 150', () => {
    expect(parseResidentId(withIdCheck('53292418991231123'), TODAY)).toEqual({
      ok: false,
      reason: 'birth date is before 1900-01-01',
    });
    const old = withIdCheck('53292419000101123');
    expect(parseResidentId(old, new Date('2050-06-01T00:00:00Z'))).toMatchObject({ ok: true });
    expect(parseResidentId(old, new Date('2051-01-01T00:00:00Z'))).toMatchObject({ ok: false, reason: 'age is over 150 years' });
  });
});

describe('masking', () => {
  it('masks identity numbers keeping first and last four', () => {
    expect(maskIdNumber('532924199001011234')).toBe('5329**********1234');
    expect(maskIdNumber('53292419900101123x')).toBe('5329**********123X');
  });
  it('masks phones keeping first three and last four', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('12345')).toBe('*****');
  });
});

describe('credit codes', () => {
  it('accepts a real-format code and a built one', () => {
    expect(isValidCreditCode('91350100M000100Y43')).toBe(true);
    expect(creditCodeError('91350100M000100Y43')).toBeNull();
    const built = withCreditCodeCheck('93532924MA6K0AB1C');
    expect(built).toHaveLength(18);
    expect(isValidCreditCode(built)).toBe(true);
  });
  it('maps a computed 31 to check character 0', () => {
    let found = '';
    for (let i = 0; i < 1000 && !found; i++) {
      const c = withCreditCodeCheck(`91530000${String(i).padStart(9, '0')}`);
      if (c.endsWith('0')) found = c;
    }
    expect(found).not.toBe('');
    expect(isValidCreditCode(found)).toBe(true);
  });
  it('rejects wrong check character, bad charset, length and region part', () => {
    expect(creditCodeError('91350100M000100Y44')).toBe('check character does not match');
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(creditCodeError('91350100M000100I43')).toMatch(/invalid character "I" at position 16/);
    expect(isValidCreditCode('91350100m000100y43')).toBe(false);
    expect(creditCodeError('91350100M000100Y4')).toBe('must be 18 characters');
    expect(creditCodeError(withCreditCodeCheck('9135A100M000100Y4'))).toMatch(/division code/);
  });
});

describe('phones', () => {
  it('recognises mainland mobiles', () => {
    expect(isMainlandMobile('13812341234')).toBe(true);
    expect(isMainlandMobile('19912341234')).toBe(true);
    expect(isMainlandMobile('12812341234')).toBe(false);
    expect(isMainlandMobile('1381234123')).toBe(false);
    expect(isMainlandMobile('138123412345')).toBe(false);
    expect(isMainlandMobile('0871-6512345')).toBe(false);
  });
  it('normalises spaces, dashes and country code', () => {
    expect(normalizePhone('138 1234 1234')).toBe('13812341234');
    expect(normalizePhone('138-1234-1234')).toBe('13812341234');
    expect(normalizePhone('+86 138 1234 1234')).toBe('13812341234');
    expect(normalizePhone('8613812341234')).toBe('13812341234');
    expect(normalizePhone('0086-13812341234')).toBe('13812341234');
    expect(isMainlandMobile(normalizePhone('+86-138-1234-1234'))).toBe(true);
  });
});
