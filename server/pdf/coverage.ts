import { readFileSync } from 'node:fs';

// The code points both agreement fonts (Noto Serif SC Regular and Bold) can draw, as inclusive
// ranges, read from a table written beside the fonts (`npm run fonts:coverage`). Checking text
// against the table needs neither the 14 MB fonts nor a font parser in the server's own thread;
// `test/unit/font-coverage.test.ts` recomputes the table from the fonts and fails if it differs.
export const COVERAGE_FILE = new URL('../../templates/fonts/coverage.json', import.meta.url);

export interface FontCoverage {
  /** What the table was computed from (file names and their SHA-256). */
  fonts: { file: string; sha256: string }[];
  /** Sorted, disjoint, inclusive [first, last] code point ranges drawable in every font. */
  ranges: [number, number][];
}

let starts: Uint32Array | null = null;
let ends: Uint32Array | null = null;

/** The table as written beside the fonts. */
export function readCoverage(): FontCoverage {
  return JSON.parse(readFileSync(COVERAGE_FILE, 'utf8')) as FontCoverage;
}

function load(): void {
  const table = readCoverage();
  starts = Uint32Array.from(table.ranges, (r) => r[0]);
  ends = Uint32Array.from(table.ranges, (r) => r[1]);
}

/** Whether every agreement font has a glyph for the code point. */
export function printableCodePoint(cp: number): boolean {
  if (!starts) load();
  let lo = 0;
  let hi = starts!.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (cp < starts![mid]!) hi = mid - 1;
    else if (cp > ends![mid]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * The characters of `text` the agreement fonts cannot draw (e.g. CJK Extension B such as 𠮷):
 * printed, they would come out as empty boxes, so callers refuse such text instead.
 */
export function unprintableCharacters(text: string): string[] {
  const missing = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || ch === '\u3000') continue;
    if (!printableCodePoint(cp)) missing.add(ch);
  }
  return [...missing];
}
