import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

export type RegionLevel = 'PROVINCE' | 'PREFECTURE' | 'COUNTY' | 'TOWNSHIP' | 'VILLAGE';

export interface RegionRow {
  code: string;
  name: string;
  parentCode: string | null;
  level: RegionLevel;
}

const gunzipAsync = promisify(gunzip);

/** True if the code has the shape of a 6-, 9- or 12-digit statistical division code. */
export function isValidRegionCodeFormat(code: string): boolean {
  if (/^\d{6}$/.test(code)) return !code.startsWith('00');
  // Townships and villages never use a 000 sequence number; it would collide with their parent.
  if (/^\d{9}$/.test(code) || /^\d{12}$/.test(code)) {
    return !code.startsWith('00') && !code.endsWith('000');
  }
  return false;
}

/** The level of a region, derived from the shape of its code alone. */
export function regionLevel(code: string): RegionLevel {
  if (!isValidRegionCodeFormat(code)) throw new RangeError(`invalid region code: ${code}`);
  if (code.length === 12) return 'VILLAGE';
  if (code.length === 9) return 'TOWNSHIP';
  if (code.endsWith('0000')) return 'PROVINCE';
  if (code.endsWith('00')) return 'PREFECTURE';
  return 'COUNTY';
}

/** The parent's code derived from the code alone, or null for a province. */
export function parentCodeOf(code: string): string | null {
  switch (regionLevel(code)) {
    case 'PROVINCE':
      return null;
    case 'PREFECTURE':
      return `${code.slice(0, 2)}0000`;
    case 'COUNTY':
      return `${code.slice(0, 4)}00`;
    case 'TOWNSHIP':
      return code.slice(0, 6);
    case 'VILLAGE':
      return code.slice(0, 9);
  }
}

/** All ancestor codes, nearest first, derived from the code alone. */
export function ancestorsOf(code: string): string[] {
  const out: string[] = [];
  for (let p = parentCodeOf(code); p !== null; p = parentCodeOf(p)) out.push(p);
  return out;
}

/** Reads the committed region reference data (schema/data/regions.tsv.gz). */
export async function readRegionData(): Promise<RegionRow[]> {
  const url = new URL('../../../schema/data/regions.tsv.gz', import.meta.url);
  const text = (await gunzipAsync(await readFile(url))).toString('utf8');
  const rows: RegionRow[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const [code, name, parent] = line.split('\t');
    if (code === undefined || name === undefined || parent === undefined) {
      throw new Error(`malformed region line: ${line}`);
    }
    rows.push({ code, name, parentCode: parent === '' ? null : parent, level: regionLevel(code) });
  }
  return rows;
}
