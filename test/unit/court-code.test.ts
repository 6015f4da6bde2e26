import { describe, expect, it } from 'vitest';
import {
  PROVINCE_ABBREVIATIONS,
  chinaYear,
  courtCodeForRegion,
  courtCodeMatchesRegion,
  formatCaseNumber,
  normalizeCaseNumber,
  parseCaseNumber,
  validateRulingNumber,
} from '../../server/domain/courts/court-code';

describe('PROVINCE_ABBREVIATIONS', () => {
  it('covers the 31 mainland provinces with distinct abbreviations', () => {
    expect(Object.keys(PROVINCE_ABBREVIATIONS)).toHaveLength(31);
    expect(new Set(Object.values(PROVINCE_ABBREVIATIONS)).size).toBe(31);
    expect(PROVINCE_ABBREVIATIONS['53']).toBe('云');
    expect(PROVINCE_ABBREVIATIONS['11']).toBe('京');
    expect(PROVINCE_ABBREVIATIONS['65']).toBe('新');
    expect(PROVINCE_ABBREVIATIONS['71']).toBeUndefined();
  });
});

describe('courtCodeForRegion', () => {
  it.each([
    ['530102', '云0102'], // 五华区 -> basic court
    ['532924', '云2924'], // 宾川县
    ['533103', '云3103'], // 芒市
    ['532900', '云29'], // 大理州 -> intermediate court
    ['530100', '云01'], // 昆明市
    ['110105', '京0105'],
    ['440300', '粤03'],
  ])('%s -> %s', (region, code) => {
    expect(courtCodeForRegion(region)).toBe(code);
  });

  it.each(['530000', '53010', '5301021', 'abcdef', '710100', '990101', ''])('throws for %s', (region) => {
    expect(() => courtCodeForRegion(region)).toThrow();
  });

  it('matches a court code against a region', () => {
    expect(courtCodeMatchesRegion('云0102', '530102')).toBe(true);
    expect(courtCodeMatchesRegion('云29', '532900')).toBe(true);
    expect(courtCodeMatchesRegion('云0102', '530103')).toBe(false);
    expect(courtCodeMatchesRegion('云29', '532924')).toBe(false);
    expect(courtCodeMatchesRegion('云0102', 'bad')).toBe(false);
  });
});

describe('parseCaseNumber / formatCaseNumber', () => {
  it('parses ASCII and full-width parentheses alike', () => {
    const expected = { year: 2026, courtCode: '云0102', typeCode: '民特', serial: 123 };
    expect(parseCaseNumber('(2026)云0102民特123号')).toEqual(expected);
    expect(parseCaseNumber('（2026）云0102民特123号')).toEqual(expected);
    expect(parseCaseNumber(' (2026）云0102民特123号 ')).toEqual(expected);
  });

  it('parses intermediate and high court codes and longer type codes', () => {
    expect(parseCaseNumber('(2025)云29民终7号')).toEqual({ year: 2025, courtCode: '云29', typeCode: '民终', serial: 7 });
    expect(parseCaseNumber('(2025)云民终7号')).toEqual({ year: 2025, courtCode: '云', typeCode: '民终', serial: 7 });
    expect(parseCaseNumber('(2026)云2924民特监3号')).toMatchObject({ typeCode: '民特监', serial: 3 });
  });

  it.each([
    '2026云0102民特123号',
    '(2026)云0102民特123',
    '(26)云0102民特123号',
    '(2026)云102民特123号',
    '(2026)滇0102民特123号',
    '(2026)云0102123号',
    '(2026)云0102民特号',
    '(2026)云0102民特0123号',
    '(2026)云0102民特0号',
    '(2026)云0102mt123号',
    '',
  ])('rejects %s', (s) => {
    expect(parseCaseNumber(s)).toBeNull();
  });

  it('formats with full-width parentheses, as court documents do, and round-trips', () => {
    expect(formatCaseNumber({ year: 2026, courtCode: '云0102', typeCode: '民特', serial: 123 })).toBe('（2026）云0102民特123号');
    expect(normalizeCaseNumber('(2026)云0102民特123号')).toBe('（2026）云0102民特123号');
    expect(normalizeCaseNumber('（2026）云0102民特123号')).toBe('（2026）云0102民特123号');
    expect(normalizeCaseNumber('nonsense')).toBeNull();
  });
});

describe('validateRulingNumber', () => {
  const now = new Date('2026-06-15T04:00:00Z');
  const opts = { courtCode: '云0102', typeCode: '民特', now };

  it('with a required year (the year of acceptance) accepts only that year', () => {
    expect(validateRulingNumber('（2025）云0102民特1号', { ...opts, year: 2025 })).toBeNull();
    expect(validateRulingNumber('（2026）云0102民特1号', { ...opts, year: 2025 })).toContain('受理年份 2025');
  });

  it('accepts the current and previous year', () => {
    expect(validateRulingNumber('(2026)云0102民特123号', opts)).toBeNull();
    expect(validateRulingNumber('（2025）云0102民特1号', opts)).toBeNull();
  });

  it.each([
    ['(2024)云0102民特123号', '年份'],
    ['(2027)云0102民特123号', '年份'],
    ['(2026)云0103民特123号', '法院代字'],
    ['(2026)云29民特123号', '法院代字'],
    ['(2026)云0102民初123号', '类型代字'],
    ['(2026)云0102民特0123号', '序号'],
    ['(2026)云0102民特0号', '序号'],
    ['云0102民特123号', '格式'],
  ])('rejects %s (%s)', (s, word) => {
    expect(validateRulingNumber(s, opts)).toContain(word);
  });

  it('uses the year in China time, not UTC', () => {
    // 2026-12-31T16:30Z is already 2027-01-01 00:30 in Beijing.
    const newYearInChina = new Date('2026-12-31T16:30:00Z');
    expect(chinaYear(newYearInChina)).toBe(2027);
    expect(validateRulingNumber('(2027)云0102民特1号', { ...opts, now: newYearInChina })).toBeNull();
    expect(validateRulingNumber('(2025)云0102民特1号', { ...opts, now: newYearInChina })).toContain('年份');
    const stillDecember = new Date('2026-12-31T15:59:59Z');
    expect(validateRulingNumber('(2027)云0102民特1号', { ...opts, now: stillDecember })).toContain('年份');
  });

  it('checks the type code the caller expects', () => {
    expect(validateRulingNumber('(2026)云0102民初5号', { ...opts, typeCode: '民初' })).toBeNull();
  });
});
