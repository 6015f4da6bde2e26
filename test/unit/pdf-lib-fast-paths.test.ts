import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { usePdfLibFastPaths } from '../../server/pdf/pdf-lib-fast-paths';
import { renderAgreementPdf } from '../../server/pdf/render-agreement';
import { compactAgreement } from '../fixtures/pdf/sample-agreement';

const load = createRequire(import.meta.url);
const utils = load('pdf-lib/cjs/utils') as { numberToString: (n: number) => string };
const pako = load('pako') as { deflate: (d: Uint8Array) => Uint8Array };
const svgPath = load('pdf-lib/cjs/api/svgPath') as { svgPathToOperators: (p: string) => { toString(): string }[] };

afterAll(() => usePdfLibFastPaths(true));

/** pdf-lib's own helper and the fast one, for the same inputs. */
function both<T>(fn: () => T): [T, T] {
  usePdfLibFastPaths(false);
  const plain = fn();
  usePdfLibFastPaths(true);
  return [plain, fn()];
}

describe('pdf-lib fast paths give what pdf-lib gives', () => {
  it('formats numbers exactly as pdf-lib does, exponents included', () => {
    const samples = [0, -0, 1, -1, 0.5, -0.25, 123.456, 1e-7, -3.2e-9, 1.5e21, -2e25, 1e20, 595.28, 841.89, 0.1 + 0.2, Number.MAX_SAFE_INTEGER];
    for (let i = 0; i < 2000; i++) samples.push((Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 30 - 12));
    const [plain, fast] = both(() => samples.map((n) => utils.numberToString(n)));
    expect(fast).toEqual(plain);
    expect(fast.some((s) => s.includes('e'))).toBe(false);
  });

  it('compresses with Node’s zlib into streams that inflate back to the same bytes', () => {
    const data = new TextEncoder().encode('BT /F1 10.5 Tf 70 800 Td <0041> Tj ET\n'.repeat(500));
    const [plain, fast] = both(() => pako.deflate(data));
    expect(Buffer.from(inflateSync(fast))).toEqual(Buffer.from(data));
    expect(Buffer.from(inflateSync(plain))).toEqual(Buffer.from(data));
  });

  it('parses an SVG path once and gives the same operators again', () => {
    const path = 'M 10 10 L 20 30 C 40 50 60 70 80 90 Q 100 110 120 130 Z';
    const [plain, fast] = both(() => svgPath.svgPathToOperators(path).map(String));
    expect(fast).toEqual(plain);
    expect(svgPath.svgPathToOperators(path)).toBe(svgPath.svgPathToOperators(path));
  });

  it('renders the same agreement, read the same way by poppler, either way', async () => {
    const doc = compactAgreement({});
    usePdfLibFastPaths(false);
    const plain = await renderAgreementPdf(doc);
    usePdfLibFastPaths(true);
    const fast = await renderAgreementPdf(doc);
    const dir = mkdtempSync(join(tmpdir(), 'jiefen-fast-'));
    try {
      const text = (bytes: Uint8Array, name: string) => {
        writeFileSync(join(dir, name), bytes);
        return execFileSync('pdftotext', ['-layout', join(dir, name), '-'], { encoding: 'utf8' });
      };
      const [a, b] = [text(plain, 'plain.pdf'), text(fast, 'fast.pdf')];
      expect(b).toContain('调解');
      expect(b).toBe(a);
      expect((await PDFDocument.load(fast)).getPageCount()).toBe((await PDFDocument.load(plain)).getPageCount());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
