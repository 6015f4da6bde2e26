import { beforeAll, describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  isValidRegionCodeFormat,
  parentCodeOf,
  readRegionData,
  regionLevel,
  type RegionRow,
} from '../../server/domain/regions/region-data';

let rows: RegionRow[];
let byCode: Map<string, RegionRow>;

beforeAll(async () => {
  rows = await readRegionData();
  byCode = new Map(rows.map((r) => [r.code, r]));
});

describe('region data file', () => {
  it('has unique codes and prints counts', () => {
    expect(byCode.size).toBe(rows.length);
    const yunnanVillages = rows.filter((r) => r.level === 'VILLAGE' && r.code.startsWith('53')).length;
    const yunnanTownships = rows.filter((r) => r.level === 'TOWNSHIP' && r.code.startsWith('53')).length;
    console.log(`regions: ${rows.length} rows, Yunnan townships ${yunnanTownships}, Yunnan villages ${yunnanVillages}`);
    expect(yunnanVillages).toBeGreaterThan(10000);
    expect(rows.filter((r) => r.level === 'PROVINCE')).toHaveLength(31);
    // Only Yunnan is carried below county level.
    expect(rows.every((r) => r.code.length === 6 || r.code.startsWith('53'))).toBe(true);
  });

  it('contains the pilot counties and some of their townships and villages', () => {
    expect(byCode.get('530000')).toMatchObject({ name: '云南省', parentCode: null, level: 'PROVINCE' });
    expect(byCode.get('532900')).toMatchObject({ name: '大理白族自治州', parentCode: '530000', level: 'PREFECTURE' });
    expect(byCode.get('532924')).toMatchObject({ name: '宾川县', parentCode: '532900', level: 'COUNTY' });
    expect(byCode.get('532623')).toMatchObject({ name: '西畴县', parentCode: '532600', level: 'COUNTY' });
    expect(byCode.get('532527')).toMatchObject({ name: '泸西县', parentCode: '532500', level: 'COUNTY' });
    expect(byCode.get('532924101')).toMatchObject({ name: '金牛镇', parentCode: '532924', level: 'TOWNSHIP' });
    expect(byCode.get('532623101')).toMatchObject({ name: '西洒镇', parentCode: '532623', level: 'TOWNSHIP' });
    expect(byCode.get('532527101')).toMatchObject({ name: '中枢镇', parentCode: '532527', level: 'TOWNSHIP' });
    expect(byCode.get('532527101001')).toMatchObject({ name: '长安社区居民委员会', parentCode: '532527101', level: 'VILLAGE' });
    for (const county of ['532924', '532623', '532527']) {
      expect(rows.filter((r) => r.level === 'VILLAGE' && r.code.startsWith(county)).length).toBeGreaterThan(10);
    }
  });

  it('every non-province row has its parent in the data, matching the code-derived parent', () => {
    const problems: string[] = [];
    for (const r of rows) {
      if (r.level === 'PROVINCE') {
        if (r.parentCode !== null) problems.push(`${r.code}: province with parent`);
      } else if (r.parentCode === null || !byCode.has(r.parentCode)) {
        problems.push(`${r.code}: parent ${r.parentCode} missing`);
      } else if (parentCodeOf(r.code) !== r.parentCode) {
        problems.push(`${r.code}: derived parent ${parentCodeOf(r.code)} differs from ${r.parentCode}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('code-derived hierarchy', () => {
  it('derives levels', () => {
    expect(regionLevel('530000')).toBe('PROVINCE');
    expect(regionLevel('532900')).toBe('PREFECTURE');
    expect(regionLevel('532924')).toBe('COUNTY');
    expect(regionLevel('532924101')).toBe('TOWNSHIP');
    expect(regionLevel('532924101001')).toBe('VILLAGE');
    expect(() => regionLevel('5329')).toThrow();
    expect(() => regionLevel('53292410')).toThrow();
    expect(() => regionLevel('53292a')).toThrow();
  });
  it('derives parents and ancestors, nearest first', () => {
    expect(parentCodeOf('530000')).toBeNull();
    expect(parentCodeOf('532924')).toBe('532900');
    expect(ancestorsOf('532924101001')).toEqual(['532924101', '532924', '532900', '530000']);
    expect(ancestorsOf('530000')).toEqual([]);
  });
  it('checks code format', () => {
    expect(isValidRegionCodeFormat('532924')).toBe(true);
    expect(isValidRegionCodeFormat('532924101')).toBe(true);
    expect(isValidRegionCodeFormat('532924101001')).toBe(true);
    expect(isValidRegionCodeFormat('000000')).toBe(false);
    expect(isValidRegionCodeFormat('532924000')).toBe(false);
    expect(isValidRegionCodeFormat('53292')).toBe(false);
    expect(isValidRegionCodeFormat(' 532924')).toBe(false);
  });
});
