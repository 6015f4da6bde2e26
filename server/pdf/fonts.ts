import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';
import type { FontCoverage } from './coverage';

export type FontWeight = 'regular' | 'bold';

// Noto Serif SC, the two weights the agreements use, carried in the repository (SIL Open Font
// License, templates/fonts/OFL.txt); fonts are never fetched over the network.
const FONT_FILES: Record<FontWeight, URL> = {
  regular: new URL('../../templates/fonts/NotoSerifSC-Regular.ttf', import.meta.url),
  bold: new URL('../../templates/fonts/NotoSerifSC-Bold.ttf', import.meta.url),
};

const bytesCache = new Map<FontWeight, Uint8Array>();

/** Raw TTF bytes of Noto Serif SC, read once per process. */
export function fontBytes(weight: FontWeight): Uint8Array {
  let bytes = bytesCache.get(weight);
  if (!bytes) {
    bytes = new Uint8Array(readFileSync(FONT_FILES[weight]));
    bytesCache.set(weight, bytes);
  }
  return bytes;
}

// Parsing a 14 MB CJK font dominates the cost of a document; the parsed font is read-only
// for our purposes (each document gets its own subset), so it is shared across documents.
const parsedByBytes = new WeakMap<Uint8Array, fontkit.Font>();
const parsedByDigest = new Map<string, fontkit.Font>();

function parseFont(bytes: Uint8Array): fontkit.Font {
  const known = parsedByBytes.get(bytes);
  if (known) return known;
  // pdf-lib may hand over a copy of the cached array, so identity alone is not enough.
  const digest = createHash('sha1').update(bytes).digest('hex');
  let font = parsedByDigest.get(digest);
  if (!font) {
    font = withStreamingSubsets(fontkit.create(bytes));
    parsedByDigest.set(digest, font);
  }
  parsedByBytes.set(bytes, font);
  return font;
}

/**
 * Adapter that lets pdf-lib use upstream fontkit 2. pdf-lib expects `subset.encodeStream()`
 * (fontkit 1 API); fontkit 2 only has `encode()`, whose CJK subsets are correct, unlike the
 * @pdf-lib/fontkit fork which blanks many glyphs.
 */
export const fontkitAdapter = {
  create(bytes: Uint8Array): fontkit.Font {
    return parseFont(bytes);
  },
};

function withStreamingSubsets(font: fontkit.Font): fontkit.Font {
  const createSubset = font.createSubset.bind(font);
  const glyphs = new Map<number, SimpleGlyph | null>();
  font.createSubset = () => {
    const subset = createSubset();
    withKeptGlyphs(font as unknown as TrueTypeFont, subset as unknown as TrueTypeSubset, glyphs);
    return Object.assign(subset, {
      encodeStream: () => Readable.from([subset.encode()], { objectMode: true }),
    });
  };
  return font;
}

/** What fontkit's TrueType subset reads of a font (fontkit 2's own names). */
export interface TrueTypeFont {
  loca: { offsets: number[] };
  _variationProcessor: unknown;
  _getTableStream(tag: 'glyf'): { pos: number; readBuffer(length: number): Uint8Array };
  getGlyph(id: number): { advanceWidth: number; _getMetrics(): { leftBearing: number } };
}
/** What fontkit's TrueType subset keeps while it gathers glyphs (fontkit 2's own names). */
export interface TrueTypeSubset {
  glyf?: Uint8Array[];
  loca?: { offsets: number[] };
  hmtx?: { metrics: { advance: number; bearing: number }[] };
  offset?: number;
  _addGlyph?: (gid: number) => number;
}
/** A glyph without components: its bytes in the font's glyf table and its horizontal metrics. */
export interface SimpleGlyph {
  bytes: Uint8Array;
  advance: number;
  bearing: number;
}

/**
 * fontkit's TrueType subset decodes every glyph's whole outline, points and all, for each document,
 * only to learn whether the glyph is made of other glyphs: a third of an agreement's render time.
 * A glyph's bytes and metrics do not change, so a glyph without components is read once per font
 * and copied into each subset exactly as fontkit copies it; a composite glyph (whose components are
 * renumbered per subset) and a variable font take fontkit's own path.
 */
export function withKeptGlyphs(font: TrueTypeFont, subset: TrueTypeSubset, kept: Map<number, SimpleGlyph | null>): void {
  const addGlyph = subset._addGlyph;
  if (typeof addGlyph !== 'function' || !font.loca || font._variationProcessor) return;
  subset._addGlyph = function (this: TrueTypeSubset, gid: number): number {
    let glyph = kept.get(gid);
    if (glyph === undefined) {
      const start = font.loca.offsets[gid]!;
      const stream = font._getTableStream('glyf');
      stream.pos += start;
      const bytes = stream.readBuffer(font.loca.offsets[gid + 1]! - start);
      // The glyph header's first field, numberOfContours (int16), is negative for a composite.
      const composite = bytes.length >= 2 && (bytes[0]! & 0x80) !== 0;
      const g = font.getGlyph(gid);
      glyph = composite ? null : { bytes, advance: g.advanceWidth, bearing: g._getMetrics().leftBearing };
      kept.set(gid, glyph);
    }
    if (glyph === null || !this.glyf || !this.loca || !this.hmtx || this.offset === undefined) return addGlyph.call(this, gid);
    this.glyf.push(glyph.bytes);
    this.loca.offsets.push(this.offset);
    this.hmtx.metrics.push({ advance: glyph.advance, bearing: glyph.bearing });
    this.offset += glyph.bytes.length;
    return this.glyf.length - 1;
  };
}

export interface DocumentFonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** Registers fontkit and embeds both weights as subsets. */
export async function embedFonts(pdf: PDFDocument): Promise<DocumentFonts> {
  // The adapter's shape matches what pdf-lib calls; its declared Fontkit type is fontkit 1's.
  pdf.registerFontkit(fontkitAdapter as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
  const regular = await pdf.embedFont(fontBytes('regular'), { subset: true });
  const bold = await pdf.embedFont(fontBytes('bold'), { subset: true });
  return { regular, bold };
}

interface SubsetEmbedderInternals {
  fontName: string;
  customName?: string;
  glyphs: ({ id: number } | undefined)[];
}

/**
 * Gives each subset the "ABCDEF+" tag that PDF readers and archivers expect (PDF 32000 9.6.4).
 * The tag is derived from the glyphs used, so the same document always gets the same name,
 * while pdf-lib would otherwise append a counter suffix and no tag. Call after all text is drawn.
 */
export function tagSubsetNames(fonts: PDFFont[]): void {
  for (const font of fonts) {
    const embedder = (font as unknown as { embedder: SubsetEmbedderInternals }).embedder;
    const hash = createHash('sha256');
    hash.update(embedder.fontName);
    for (const glyph of embedder.glyphs) hash.update(`${glyph?.id ?? -1},`);
    const digest = hash.digest();
    let tag = '';
    for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + ((digest[i] ?? 0) % 26));
    embedder.customName = `${tag}+${embedder.fontName}`;
  }
}

/** The parsed font of a weight (shared, read-only): glyph outlines and coverage. */
export function parsedFont(weight: FontWeight): fontkit.Font {
  return parseFont(fontBytes(weight));
}

/**
 * Asks the fonts themselves, code point by code point, which ones every weight can draw: the table
 * `coverage.ts` checks text against (written by `npm run fonts:coverage`).
 */
export function computeCoverage(): FontCoverage {
  const weights: FontWeight[] = ['regular', 'bold'];
  const fonts = weights.map((w) => parsedFont(w));
  const ranges: [number, number][] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (!fonts.every((f) => f.hasGlyphForCodePoint(cp))) continue;
    const last = ranges.at(-1);
    if (last && last[1] === cp - 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  return {
    fonts: weights.map((w) => ({ file: basename(fileURLToPath(FONT_FILES[w])), sha256: createHash('sha256').update(fontBytes(w)).digest('hex') })),
    ranges,
  };
}
