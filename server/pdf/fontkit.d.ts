// fontkit 2 ships no type declarations; only the surface the PDF code touches is typed here.
declare module 'fontkit' {
  export interface Glyph {
    id: number;
    advanceWidth: number;
    codePoints: number[];
    path: Path;
  }
  export interface Path {
    scale(sx: number, sy?: number): Path;
    toSVG(): string;
  }
  export interface GlyphRun {
    glyphs: Glyph[];
  }
  export interface Subset {
    includeGlyph(glyph: number | Glyph): number;
    encode(): Uint8Array;
  }
  export interface Font {
    postscriptName: string;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    numGlyphs: number;
    layout(text: string, features?: unknown): GlyphRun;
    createSubset(): Subset;
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): Glyph;
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font;
}
