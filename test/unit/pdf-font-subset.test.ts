import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { fontBytes, parsedFont, withKeptGlyphs, type FontWeight } from '../../server/pdf/fonts';

/** What the test reads of fontkit's TrueType font to find glyphs made of other glyphs. */
interface GlyfTable {
  loca: { offsets: number[] };
  _getTableStream(tag: 'glyf'): { pos: number; readBuffer(length: number): Uint8Array };
}

/** Glyph ids whose glyf entry is composite (numberOfContours < 0), from the first `limit` glyphs. */
function compositeGlyphs(font: fontkit.Font, limit: number): number[] {
  const t = font as unknown as GlyfTable;
  const out: number[] = [];
  for (let gid = 0; gid < Math.min(limit, font.numGlyphs); gid++) {
    const start = t.loca.offsets[gid]!;
    if (t.loca.offsets[gid + 1]! - start < 2) continue;
    const stream = t._getTableStream('glyf');
    stream.pos += start;
    const head = stream.readBuffer(2);
    if ((head[0]! & 0x80) !== 0) out.push(gid);
  }
  return out;
}

const TEXT = '宾川县人民调解委员会 调解协议书 第1号：甲方乙方于2026年12月1日达成协议，¥5,000.00 (ABC-xyz) 《》「」。';

describe('font subsets read each glyph once per font', () => {
  for (const weight of ['regular', 'bold'] as FontWeight[]) {
    it(`a ${weight} subset is byte for byte fontkit's own, for the first subset and the ones after it`, () => {
      const kept = parsedFont(weight);
      // A second parse of the same file, outside the adapter: fontkit's subset as it comes.
      const plain = fontkit.create(fontBytes(weight));
      // The fonts carried have no composite glyph; the test below covers how one is handled.
      expect(compositeGlyphs(plain, plain.numGlyphs)).toEqual([]);
      const ids = [...new Set(plain.layout(TEXT).glyphs.map((g) => g.id))];
      expect(ids.length).toBeGreaterThan(40);
      const encode = (font: fontkit.Font) => {
        const subset = font.createSubset();
        for (const id of ids) subset.includeGlyph(id);
        return Buffer.from(subset.encode());
      };
      const expected = encode(plain);
      // The first subset reads the glyphs, the second takes them as read: both are fontkit's bytes.
      expect(encode(kept).equals(expected)).toBe(true);
      expect(encode(kept).equals(expected)).toBe(true);
      // A subset of other glyphs is not the same bytes (the comparison can fail).
      const other = kept.createSubset();
      for (const id of ids.slice(1)) other.includeGlyph(id);
      expect(Buffer.from(other.encode()).equals(expected)).toBe(false);
    }, 60_000);
  }
});

describe('a composite glyph', () => {
  it('takes fontkit’s own path (its components are renumbered per subset), a simple one is read once', () => {
    // glyf: glyph 0 simple (numberOfContours 1), glyph 1 composite (numberOfContours -1).
    const glyf = new Uint8Array([0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0xff, 0xff, 9, 9, 9, 9, 9, 9, 9, 9]);
    const reads: number[] = [];
    const font = {
      loca: { offsets: [0, 10, 20] },
      _variationProcessor: null,
      _getTableStream: () => {
        const stream = { pos: 0, readBuffer: (n: number) => (reads.push(stream.pos), glyf.slice(stream.pos, stream.pos + n)) };
        return stream;
      },
      getGlyph: (id: number) => ({ advanceWidth: 500 + id, _getMetrics: () => ({ leftBearing: 10 + id }) }),
    };
    const delegated: number[] = [];
    const kept = new Map();
    const subset = () => {
      const s = {
        glyf: [] as Uint8Array[],
        loca: { offsets: [] as number[] },
        hmtx: { metrics: [] as { advance: number; bearing: number }[] },
        offset: 0,
        _addGlyph(gid: number) {
          delegated.push(gid);
          this.glyf.push(new Uint8Array([0xee]));
          return this.glyf.length - 1;
        },
      };
      withKeptGlyphs(font, s, kept);
      return s;
    };
    const a = subset();
    expect(a._addGlyph(0)).toBe(0);
    expect(a._addGlyph(1)).toBe(1);
    expect(a.glyf[0]).toEqual(glyf.slice(0, 10));
    expect(a.glyf[1]).toEqual(new Uint8Array([0xee]));
    expect(a.loca.offsets).toEqual([0]);
    expect(a.hmtx.metrics).toEqual([{ advance: 500, bearing: 10 }]);
    const b = subset();
    b._addGlyph(0);
    b._addGlyph(1);
    expect(delegated).toEqual([1, 1]);
    // Each glyph's bytes were read from the font once, whatever the number of subsets.
    expect(reads).toEqual([0, 10]);
  });
});
