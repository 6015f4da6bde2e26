/** Province abbreviations (简称) used in court codes, keyed by the two-digit division code (GB/T 2260). */
export const PROVINCE_ABBREVIATIONS: Readonly<Record<string, string>> = Object.freeze({
  '11': '京', '12': '津', '13': '冀', '14': '晋', '15': '蒙',
  '21': '辽', '22': '吉', '23': '黑',
  '31': '沪', '32': '苏', '33': '浙', '34': '皖', '35': '闽', '36': '赣', '37': '鲁',
  '41': '豫', '42': '鄂', '43': '湘', '44': '粤', '45': '桂', '46': '琼',
  '50': '渝', '51': '川', '52': '贵', '53': '云', '54': '藏',
  '61': '陕', '62': '甘', '63': '青', '64': '宁', '65': '新',
});

const ABBREVIATION_SET = new Set(Object.values(PROVINCE_ABBREVIATIONS));

/**
 * Court code for the court serving a division (domain §5): a county-level code gives the basic
 * court (530102 -> 云0102), a prefecture code ending in 00 the intermediate court (532900 -> 云29).
 */
export function courtCodeForRegion(regionCode: string): string {
  if (!/^\d{6}$/.test(regionCode)) throw new Error(`region code must have 6 digits: ${regionCode}`);
  const abbr = PROVINCE_ABBREVIATIONS[regionCode.slice(0, 2)];
  if (!abbr) throw new Error(`unknown province in region code: ${regionCode}`);
  const prefecture = regionCode.slice(2, 4);
  const county = regionCode.slice(4, 6);
  // A province-level code would name the high court, which confirms no agreements (CPL 205).
  if (prefecture === '00') throw new Error(`region code is not a prefecture or county: ${regionCode}`);
  return county === '00' ? `${abbr}${prefecture}` : `${abbr}${prefecture}${county}`;
}

/** True when `courtCode` is the code of the basic or intermediate court serving `regionCode`. */
export function courtCodeMatchesRegion(courtCode: string, regionCode: string): boolean {
  try {
    return courtCodeForRegion(regionCode) === courtCode.trim();
  } catch {
    return false;
  }
}

/** The parts of a case number such as `(2026)云0102民特123号`. */
export interface CaseNumber {
  year: number;
  courtCode: string;
  typeCode: string;
  serial: number;
}

// Court code: abbreviation alone (high court), + 2 digits (intermediate) or + 4 digits (basic).
// Type code: one or more CJK characters (民特, 民初, 执, 民特监…).
const CASE_NUMBER_RE = /^[(（](\d{4})[)）]([\u4e00-\u9fff])(\d{4}|\d{2})?([\u4e00-\u9fff]+?)(\d+)号$/u;

interface RawCaseNumber {
  year: number;
  courtCode: string;
  typeCode: string;
  serialText: string;
}

function matchCaseNumber(s: string): RawCaseNumber | null {
  const m = CASE_NUMBER_RE.exec(s.trim());
  if (!m) return null;
  const [, year, abbr, digits, typeCode, serialText] = m;
  if (!year || !abbr || !typeCode || !serialText || !ABBREVIATION_SET.has(abbr)) return null;
  return { year: Number(year), courtCode: `${abbr}${digits ?? ''}`, typeCode, serialText };
}

function isCanonicalSerial(serialText: string): boolean {
  return /^[1-9]\d*$/.test(serialText) && Number.isSafeInteger(Number(serialText));
}

/** Parses a case number written with ASCII or full-width parentheses; null when malformed. */
export function parseCaseNumber(s: string): CaseNumber | null {
  const raw = matchCaseNumber(s);
  // A zero-padded serial would not survive formatting unchanged, so it is not a valid number.
  if (!raw || !isCanonicalSerial(raw.serialText)) return null;
  return { year: raw.year, courtCode: raw.courtCode, typeCode: raw.typeCode, serial: Number(raw.serialText) };
}

/** Canonical form of a case number, with full-width parentheses as court documents print it: （2026）云0102民特123号. */
export function formatCaseNumber(n: CaseNumber): string {
  return `（${n.year}）${n.courtCode}${n.typeCode}${n.serial}号`;
}

/** Re-writes a case number in canonical form (full-width parentheses); null when it does not parse. */
export function normalizeCaseNumber(s: string): string | null {
  const n = parseCaseNumber(s);
  return n ? formatCaseNumber(n) : null;
}

// China Standard Time has had no daylight saving since 1991, so a fixed offset is exact.
const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Calendar year at `now` in China time (UTC+8). */
export function chinaYear(now: Date): number {
  return new Date(now.getTime() + CHINA_OFFSET_MS).getUTCFullYear();
}

/**
 * Checks a ruling number a court submits; returns an error message, or null when it is acceptable.
 * The year may be the previous one because rulings made in late December are often entered in January.
 */
export function validateRulingNumber(
  s: string,
  opts: { courtCode: string; typeCode: '民特' | '民初' | (string & {}); now: Date; /** The one year the number must carry (a ruling: the year the court accepted the application). */ year?: number },
): string | null {
  const raw = matchCaseNumber(s);
  const shown = opts.year ?? chinaYear(opts.now);
  if (!raw) return `文书编号格式不正确，应形如 （${shown}）${opts.courtCode}${opts.typeCode}1号`;
  if (opts.year !== undefined) {
    if (raw.year !== opts.year) return `文书编号年份 ${raw.year} 不正确，应为受理年份 ${opts.year}`;
  } else {
    const year = chinaYear(opts.now);
    if (raw.year !== year && raw.year !== year - 1) {
      return `文书编号年份 ${raw.year} 不正确，应为 ${year} 或 ${year - 1}`;
    }
  }
  if (raw.courtCode !== opts.courtCode) {
    return `文书编号法院代字 ${raw.courtCode} 与本院代字 ${opts.courtCode} 不符`;
  }
  if (raw.typeCode !== opts.typeCode) {
    return `文书编号类型代字 ${raw.typeCode} 不正确，应为 ${opts.typeCode}`;
  }
  if (!isCanonicalSerial(raw.serialText)) {
    return `文书编号序号 ${raw.serialText} 不正确，应为不以 0 开头的正整数`;
  }
  return null;
}
