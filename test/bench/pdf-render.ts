/**
 * Agreement rendering benchmark: `npx tsx test/bench/pdf-render.ts`.
 * Targets for the compact agreement: warm render ≤ 25 ms, ≤ 150 KB. In the same run it renders the
 * same agreements with pdf-lib's own helpers (no fast paths) and prints the ratio.
 */
import { PDFDocument } from 'pdf-lib';
import { embedFonts } from '../../server/pdf/fonts';
import { usePdfLibFastPaths } from '../../server/pdf/pdf-lib-fast-paths';
import { renderAgreementPdf } from '../../server/pdf/render-agreement';
import { loadTemplate } from '../../server/pdf/templates';
import type { AgreementDocument } from '../../server/pdf/types';
import { compactAgreement } from '../fixtures/pdf/sample-agreement';

const COUNT = Number(process.env.PDF_BENCH_COUNT ?? 200);

function variant(i: number): AgreementDocument {
  return compactAgreement({
    number: `宾川人调字〔2026〕第${i + 1}号`,
    caseNumber: `JF-532924-2026-${String(i + 1).padStart(6, '0')}`,
    verification: { code: `JF${i.toString(36).toUpperCase().padStart(4, '0')}-Q2M9`, url: `https://jiefen.example.cn/v/JF${i}` },
  });
}

/** The strings the agreement prints (data and template wording), for the baseline. */
function textsOf(doc: AgreementDocument): string[] {
  const t = loadTemplate(doc.templateId);
  return [
    t.title,
    t.intro,
    ...Object.values(t.headings),
    ...Object.values(t.labels),
    t.closing.originals,
    t.closing.legalEffect,
    doc.organization.name,
    doc.number,
    ...doc.parties.flatMap((p) => [p.name, p.gender, p.ethnicity, p.birthDate, p.idNumber, p.occupation, p.domicile, p.phone]),
    doc.facts,
    doc.issues,
    ...doc.terms.map((t) => t.text),
    doc.performance.method,
    doc.performance.deadline,
    doc.breach,
    ...doc.mediators,
    doc.date,
  ].filter((s): s is string => !!s);
}

/** Same fonts, same text, no layout: one drawText per 40 characters, top to bottom. */
async function baseline(doc: AgreementDocument): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const fonts = await embedFonts(pdf);
  const page = pdf.addPage([595.28, 841.89]);
  let y = 800;
  for (const text of textsOf(doc)) {
    for (let i = 0; i < text.length; i += 40) {
      page.drawText(text.slice(i, i + 40), { x: 70, y, size: 10.5, font: i === 0 ? fonts.bold : fonts.regular });
      y -= 14;
      if (y < 40) y = 800; // overprinting is fine: only the cost of drawing matters
    }
  }
  return pdf.save({ useObjectStreams: false });
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await fn();
  return [performance.now() - t0, value];
}

async function main(): Promise<void> {
  const [first, firstBytes] = await timed(() => renderAgreementPdf(variant(0)));
  const pages = (await PDFDocument.load(firstBytes)).getPageCount();

  const renderAll = async () => {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 1; i < COUNT; i++) {
      const [ms, out] = await timed(() => renderAgreementPdf(variant(i)));
      times.push(ms);
      bytes += out.length;
    }
    return { times: times.sort((a, b) => a - b), bytes };
  };
  usePdfLibFastPaths(false);
  const plain = await renderAll();
  usePdfLibFastPaths(true);
  const { times, bytes } = await renderAll();

  const baseTimes: number[] = [];
  let baseBytes = 0;
  for (let i = 0; i < Math.min(COUNT, 100); i++) {
    const [ms, out] = await timed(() => baseline(variant(i)));
    if (i > 0) baseTimes.push(ms);
    baseBytes += out.length;
  }
  baseTimes.sort((a, b) => a - b);

  const median = quantile(times, 0.5);
  const p95 = quantile(times, 0.95);
  const baseMedian = quantile(baseTimes, 0.5);
  const avgKb = bytes / (COUNT - 1) / 1024;
  const fmt = (n: number) => n.toFixed(1);
  console.log(`agreements rendered:       ${COUNT} (${pages} page${pages === 1 ? '' : 's'} each)`);
  console.log(`first document:            ${fmt(first)} ms (includes reading and parsing both fonts)`);
  const plainMedian = quantile(plain.times, 0.5);
  console.log(`warm median / p95:         ${fmt(median)} ms / ${fmt(p95)} ms   (target ≤ 25 ms)`);
  console.log(`pdf-lib's own helpers:     median ${fmt(plainMedian)} ms, ${fmt(plain.bytes / (COUNT - 1) / 1024)} KB   (ratio ${fmt(median / plainMedian)}x)`);
  console.log(`bytes per agreement:       ${fmt(avgKb)} KB   (target ≤ 150 KB)`);
  console.log(`baseline (no layout):      median ${fmt(baseMedian)} ms, ${fmt(baseBytes / Math.min(COUNT, 100) / 1024)} KB`);
  console.log(`layout overhead ratio:     ${fmt(median / baseMedian)}x`);
  const ok = median <= 25 && avgKb <= 150;
  console.log(ok ? 'within targets' : 'OUTSIDE TARGETS');
}

await main();
