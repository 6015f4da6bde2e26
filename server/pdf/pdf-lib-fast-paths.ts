import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';

// Three of pdf-lib's inner helpers, replaced by faster ones with the same results. pdf-lib (1.17)
// looks each of them up on its module object at every call, so replacing the property is enough.
// Installed when the renderer loads; `usePdfLibFastPaths(false)` restores pdf-lib's own (the
// benchmark measures both in one run).

const load = createRequire(import.meta.url);
const pako = load('pako') as { deflate: (data: Uint8Array, options?: unknown) => Uint8Array };
const utils = load('pdf-lib/cjs/utils') as { numberToString: (n: number) => string };
const svgPath = load('pdf-lib/cjs/api/svgPath') as { svgPathToOperators: (path: string) => unknown[] };
const originals = { deflate: pako.deflate, numberToString: utils.numberToString, svgPathToOperators: svgPath.svgPathToOperators };

/**
 * Every content stream and font subset is compressed with pako, a zlib written in JavaScript:
 * about a quarter of an agreement's render time. Node's zlib (C) writes the same deflate format
 * several times faster; readers see ordinary FlateDecode streams either way.
 */
function deflate(data: Uint8Array, options?: unknown): Uint8Array {
  // pdf-lib passes no options; any other caller of pako's deflate (levels, raw) keeps pako's.
  if (options !== undefined) return originals.deflate(data, options);
  const out = deflateSync(data);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Every number of every drawing operator goes through a helper that formats it three times to rule
 * out exponent notation. A number whose plain string has no exponent (all but the tiniest and the
 * hugest) gets that string, which is what the helper returns for it; the rest still go through it.
 */
function numberToString(n: number): string {
  const s = String(n);
  return s.includes('e') ? originals.numberToString(n) : s;
}

/**
 * The seal is drawn from the font's outlines as SVG paths, and pdf-lib parses a path's text into
 * operators at every draw: the same few characters, for every agreement of an organisation. The
 * operators of a path are kept (up to a few thousand paths) and given again; pdf-lib only reads
 * them when it writes the page.
 */
const parsed = new Map<string, unknown[]>();
function svgPathToOperators(path: string): unknown[] {
  let ops = parsed.get(path);
  if (!ops) {
    if (parsed.size >= 4000) parsed.clear();
    ops = originals.svgPathToOperators(path);
    parsed.set(path, ops);
  }
  return ops;
}

/** Switches between the fast paths (the default) and pdf-lib's own helpers. */
export function usePdfLibFastPaths(on: boolean): void {
  pako.deflate = on ? deflate : originals.deflate;
  utils.numberToString = on ? numberToString : originals.numberToString;
  svgPath.svgPathToOperators = on ? svgPathToOperators : originals.svgPathToOperators;
}

usePdfLibFastPaths(true);
