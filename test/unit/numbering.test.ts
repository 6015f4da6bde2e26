import { describe, expect, it } from 'vitest';
import { deriveShortName, isNumberOf, regionShortName } from '../../server/domain/cases/numbering';

const BINCHUAN = ['云南省', '大理白族自治州', '宾川县'];

describe('short names in case numbers', () => {
  it.each([
    ['宾川县金牛镇人民调解委员会', [...BINCHUAN, '金牛镇'], '金牛'],
    ['金牛镇圭山村人民调解委员会', [...BINCHUAN, '金牛镇', '圭山村'], '圭山'],
    ['宾川县人民调解委员会', BINCHUAN, '宾川'],
    ['宾川县医疗纠纷人民调解委员会', BINCHUAN, '医疗'],
    ['宾川县律师调解工作室', BINCHUAN, '律师'],
    ['大理白族自治州中级人民法院', BINCHUAN.slice(0, 2), '大理'],
    ['西洒镇北回社区人民调解委员会', ['云南省', '文山壮族苗族自治州', '西畴县', '西洒镇', '北回社区'], '北回'],
  ])('%s -> %s', (name, regions, short) => {
    expect(deriveShortName(name, regions)).toBe(short);
  });

  it('region names shorten as numbers write them', () => {
    expect(regionShortName('漾濞彝族自治县')).toBe('漾濞');
    expect(regionShortName('金牛镇')).toBe('金牛');
    expect(regionShortName('城关街道')).toBe('城关');
  });

  it('a number belongs to the organisation whose short name it carries, and no other', () => {
    expect(isNumberOf('（2026）金牛调字第12号', '金牛')).toBe(true);
    expect(isNumberOf('（2026）金牛镇调字第12号', '金牛')).toBe(false);
    expect(isNumberOf('（2026）宾川调登字第3号', '宾川')).toBe(false);
    expect(isNumberOf('（2026）金牛调协字第12号', '金牛')).toBe(false);
  });
});
