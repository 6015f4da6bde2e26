import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function hasTool(name: string): boolean {
  return spawnSync(name, ['-v'], { stdio: 'ignore' }).error === undefined;
}

/** Whether poppler-utils (pdftotext, pdffonts, pdftoppm, pdfsig) is installed; CI installs it. */
export const poppler = ['pdftotext', 'pdffonts', 'pdftoppm', 'pdfsig'].every(hasTool);

export const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });
export const squeeze = (s: string) => s.replace(/\s+/g, '');

export interface Raster {
  width: number;
  height: number;
  channels: number;
  data: Buffer;
}

export interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Reads a binary PGM (P5) or PPM (P6) as written by pdftoppm. */
export function readPnm(file: string): Raster {
  const buf = readFileSync(file);
  const header: string[] = [];
  let pos = 0;
  while (header.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[pos] ?? 32))) pos++;
    let token = '';
    while (!/\s/.test(String.fromCharCode(buf[pos] ?? 32))) token += String.fromCharCode(buf[pos++] ?? 32);
    header.push(token);
  }
  pos++;
  const [magic, w, h] = header;
  return { width: Number(w), height: Number(h), channels: magic === 'P6' ? 3 : 1, data: buf.subarray(pos) };
}

/** The words of page 1 with their boxes, in PDF points. */
export function wordsOnPage1(pdfFile: string): Word[] {
  const html = run('pdftotext', ['-bbox', '-f', '1', '-l', '1', pdfFile, '-']);
  const re = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  return [...html.matchAll(re)].map((m) => ({ xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]), text: m[5] ?? '' }));
}

/** A temporary folder for PDFs and their renderings, removed by cleanup(). */
export class Scratch {
  readonly dir: string;
  private counter = 0;
  constructor(prefix: string) {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
  }
  save(bytes: Uint8Array): string {
    const file = join(this.dir, `doc-${++this.counter}.pdf`);
    writeFileSync(file, bytes);
    return file;
  }
  rasterPage1(pdfFile: string, opts: { dpi: number; gray: boolean }): Raster {
    const prefix = join(this.dir, `raster-${++this.counter}`);
    run('pdftoppm', ['-r', String(opts.dpi), '-f', '1', '-l', '1', '-singlefile', ...(opts.gray ? ['-gray'] : []), pdfFile, prefix]);
    return readPnm(`${prefix}.${opts.gray ? 'pgm' : 'ppm'}`);
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Words whose glyphs left (almost) no ink on page 1 at 50 dpi: what a broken CJK subset looks like
 * (its text still extracts correctly). Only the middle band of each word box is sampled, where CJK
 * glyphs are drawn but table borders and underlines are not.
 */
export function uninkedWords(scratch: Scratch, pdfFile: string, words: Word[]): string[] {
  const dpi = 50;
  const raster = scratch.rasterPage1(pdfFile, { dpi, gray: true });
  const scale = dpi / 72;
  const blank: string[] = [];
  for (const word of words) {
    const h = word.yMax - word.yMin;
    let dark = 0;
    let total = 0;
    for (let y = Math.round((word.yMin + 0.3 * h) * scale); y <= Math.round((word.yMax - 0.3 * h) * scale); y++) {
      for (let x = Math.ceil(word.xMin * scale) + 1; x < Math.floor(word.xMax * scale) - 1; x++) {
        total++;
        if ((raster.data[y * raster.width + x] ?? 255) < 200) dark++;
      }
    }
    // Even small grey CJK text inks several percent of its band at 50 dpi; blank glyphs none.
    if (total > 0 && dark / total < 0.04) blank.push(`${word.text} (${((100 * dark) / total).toFixed(1)}%)`);
  }
  return blank;
}
