import { inArray, or, sql } from 'drizzle-orm';
import { regions } from '../../../schema';
import type { Executor } from '../../db';

export interface ResolvedDomicile {
  /** 2-digit province code, null when the address names none we recognise. */
  province: string | null;
  /** 6-digit county code, null when no single county is named. */
  county: string | null;
  /** How it was found: given as a code at filing, or recognised in the address text. */
  source: 'CODE' | 'TEXT' | 'UNKNOWN';
}

type RegionRow = { code: string; name: string; level: string };

/** 云南省 -> 云南, 广西壮族自治区 -> 广西, 北京市 -> 北京 */
function provinceShort(name: string): string {
  return name.replace(/(壮族|回族|维吾尔)?(自治区|省|市)$/, '');
}

/**
 * Where a domicile lies: from its division code when one was given, otherwise from the address
 * text. The text counts when it names a province (full or short name), or a county whose name is
 * unique in the country (or unique in the named province).
 */
export async function resolveDomiciles(db: Executor, items: { regionCode: string | null; address: string | null }[]): Promise<ResolvedDomicile[]> {
  const texts = items.filter((i) => !i.regionCode && i.address?.trim()).map((i) => i.address!.trim());
  let provinces: RegionRow[] = [];
  let counties: RegionRow[] = [];
  if (texts.length) {
    provinces = await db.select({ code: regions.code, name: regions.name, level: regions.level }).from(regions).where(sql`${regions.level} = 'PROVINCE'`);
    // Only counties whose name occurs in one of the addresses: the table has ~3,000 of them.
    counties = await db
      .select({ code: regions.code, name: regions.name, level: regions.level })
      .from(regions)
      .where(sql`${regions.level} = 'COUNTY' and ${or(...texts.map((t) => sql`position(${regions.name} in ${t}) > 0`))} and ${regions.name} not in ('市辖区', '县')`);
  }
  return items.map((i): ResolvedDomicile => {
    if (i.regionCode) return { province: i.regionCode.slice(0, 2), county: i.regionCode.length >= 6 ? i.regionCode.slice(0, 6) : null, source: 'CODE' };
    const text = i.address?.trim() ?? '';
    if (!text) return { province: null, county: null, source: 'UNKNOWN' };
    const named = provinces.find((p) => text.startsWith(p.name) || text.startsWith(provinceShort(p.name)));
    const province = named ? named.code.slice(0, 2) : null;
    const candidates = counties.filter((c) => text.includes(c.name) && (!province || c.code.startsWith(province)));
    if (candidates.length === 1) return { province: candidates[0]!.code.slice(0, 2), county: candidates[0]!.code, source: 'TEXT' };
    return { province, county: null, source: province ? 'TEXT' : 'UNKNOWN' };
  });
}

/** The names of the given region codes. */
export async function regionNames(db: Executor, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.select({ code: regions.code, name: regions.name }).from(regions).where(inArray(regions.code, [...new Set(codes)]));
  return new Map(rows.map((r) => [r.code, r.name]));
}
