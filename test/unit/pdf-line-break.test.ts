import { describe, expect, it } from 'vitest';
import { NO_LINE_END, NO_LINE_START, breakLines, tokenize } from '../../server/pdf/line-break';

// CJK characters are one unit wide, everything else half a unit: close to a real CJK font.
const measure = (s: string) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e7f ? 1 : 0.5), 0);

describe('breakLines', () => {
  it('breaks between any two CJK characters', () => {
    expect(breakLines('一二三四五六七', 3, measure)).toEqual(['一二三', '四五六', '七']);
  });

  it('never starts a line with closing punctuation', () => {
    // Greedy filling would put 。at the start of the second line.
    const lines = breakLines('甲乙丙。丁戊', 3, measure);
    expect(lines).toEqual(['甲乙', '丙。丁', '戊']);
  });

  it('never ends a line with opening punctuation', () => {
    const lines = breakLines('甲乙（丙丁）戊', 3, measure);
    expect(lines[0]).toBe('甲乙');
    for (const line of lines) expect(NO_LINE_END.has([...line].at(-1) ?? '')).toBe(false);
  });

  it('keeps runs of closing punctuation with the preceding character', () => {
    const lines = breakLines('甲乙丙丁”。戊', 4, measure);
    expect(lines).toEqual(['甲乙丙', '丁”。戊']);
  });

  it('keeps Latin words and numbers together', () => {
    expect(breakLines('金额12,000.50元整', 5, measure)).toEqual(['金额', '12,000.50', '元整']);
    expect(breakLines('see https://x.cn/a now', 7, measure)).toEqual(['see', 'https://x.cn/a', 'now']);
    expect(tokenize('2026年11月')).toEqual(['2026', '年', '11', '月']);
  });

  it('cuts a word wider than the line by character rather than overflowing', () => {
    const lines = breakLines('532924196804120011', 4, measure);
    expect(lines.every((l) => measure(l) <= 4)).toBe(true);
    expect(lines.join('')).toBe('532924196804120011');
  });

  it('keeps hard line breaks and drops spaces at a break', () => {
    expect(breakLines('甲乙\n丙', 10, measure)).toEqual(['甲乙', '丙']);
    expect(breakLines('ab cd', 1, measure)).toEqual(['ab', 'cd']);
  });

  it('respects both rules and the width for every width on a punctuation-heavy text', () => {
    const text =
      '被申请人于2026年12月10日前（含当日）支付人民币3,000元；逾期的，按“每日万分之五”计付违约金……双方再无争议！《人民调解法》第三十一条、第三十三条：“当事人可以申请司法确认。”';
    for (let width = 3; width <= 30; width++) {
      const lines = breakLines(text, width, measure);
      expect(lines.join('')).toBe(text.replace(/ /g, ''));
      lines.forEach((line, i) => {
        const chars = [...line];
        if (i > 0) expect(NO_LINE_START.has(chars[0] ?? ''), `line ${i} at width ${width}: ${line}`).toBe(false);
        if (i < lines.length - 1) expect(NO_LINE_END.has(chars.at(-1) ?? ''), `line ${i} at width ${width}: ${line}`).toBe(false);
        expect(measure(line)).toBeLessThanOrEqual(width);
      });
    }
  });
});
