import { describe, expect, it } from 'vitest';
import { printableCodePoint, readCoverage, unprintableCharacters } from '../../server/pdf/coverage';
import { computeCoverage, parsedFont } from '../../server/pdf/fonts';

const table = readCoverage();

describe('the agreement fonts’ coverage table', () => {
  it('is what the fonts themselves answer, code point by code point (run `npm run fonts:coverage` after changing a font)', () => {
    expect(table).toEqual(computeCoverage());
  });

  it('answers as both fonts do at every range’s edges and for characters in and out of the fonts', () => {
    const regular = parsedFont('regular');
    const bold = parsedFont('bold');
    const both = (cp: number) => regular.hasGlyphForCodePoint(cp) && bold.hasGlyphForCodePoint(cp);
    const probes = table.ranges.flatMap(([a, b]) => [a - 1, a, b, b + 1]).concat([0x20bb7, 0x5409, 0x5f5d, 0x10ffff, 0]);
    for (const cp of probes) expect(printableCodePoint(cp), cp.toString(16)).toBe(both(cp));
    expect(probes.some((cp) => both(cp)) && probes.some((cp) => !both(cp))).toBe(true);
  });

  it('names the characters that would print as boxes, once each, and passes spaces and controls', () => {
    expect(unprintableCharacters('吉𠮷李𠮷')).toEqual(['𠮷']);
    expect(unprintableCharacters('彝族李桂英，住云南省大理白族自治州宾川县。\n\t　')).toEqual([]);
  });
});
