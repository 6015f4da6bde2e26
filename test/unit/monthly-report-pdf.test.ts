import { afterAll, describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { niceAxis, renderMonthlyReportPdf, type MonthlyReportRow } from '../../server/pdf/render-monthly-report';
import { poppler, run, Scratch, squeeze, uninkedWords, wordsOnPage1 } from '../support/poppler';

const row = (label: string, filed: number, settled: number): MonthlyReportRow => ({
  label, filed, settled, failed: filed - settled, successRate: filed ? settled / filed : null, villageShare: 0.5, overdueNow: 1, confirmed: 0, followUpsDone: settled,
});
const rows = [row('家庭纠纷', 40, 30), row('邻里纠纷', 20, 10), row('道路交通事故损害赔偿纠纷', 10, 5), row('土地纠纷', 5, 0)];
const total = { ...row('合计', 75, 45) };
const doc = {
  regionCode: '532924', regionName: '宾川县', month: '2026-10', generatedAt: new Date('2026-11-01T02:00:00Z'), rows, total,
  highRisk: [{ number: '（2026）宾川调字第12号', title: '家庭暴力引发离婚纠纷', category: '婚姻纠纷', status: '调解中', createdOn: '2026-10-03' }],
};
const scratch = new Scratch('monthly-pdf-');
afterAll(() => scratch.cleanup());

describe('the monthly report PDF', () => {
  it('picks round axis steps', () => {
    expect(niceAxis(63)).toEqual({ top: 80, step: 20 });
    expect(niceAxis(40)).toEqual({ top: 40, step: 10 });
    expect(niceAxis(0)).toEqual({ top: 5, step: 1 });
    expect(niceAxis(4)).toEqual({ top: 4, step: 1 });
    expect(niceAxis(1_000_000).top).toBeGreaterThanOrEqual(1_000_000);
  });

  it('holds the figures, its metadata and embedded CJK subsets', async () => {
    const bytes = await renderMonthlyReportPdf(doc);
    const reloaded = await PDFDocument.load(bytes, { updateMetadata: false });
    expect(reloaded.getTitle()).toBe('宾川县矛盾纠纷化解月报');
    expect(reloaded.getKeywords()).toContain('2026-10');
    expect(await renderMonthlyReportPdf(doc)).toEqual(bytes);
    if (!poppler) return;
    const file = scratch.save(bytes);
    const textOut = squeeze(run('pdftotext', [file, '-']));
    expect(textOut).toContain('本月受理纠纷75件，调解成功45件');
    expect(textOut).toContain('各类纠纷受理与调解成功件数');
    expect(textOut).toContain('道路交通事故损害赔偿纠纷');
    expect(textOut).toContain('（2026）宾川调字第12号');
    expect(run('pdffonts', [file])).toMatch(/\+NotoSerifSC-Regular\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(uninkedWords(scratch, file, wordsOnPage1(file))).toEqual([]);
  });

  it('draws each bar in proportion to its count', async () => {
    if (!poppler) return;
    const file = scratch.save(await renderMonthlyReportPdf(doc));
    const raster = scratch.rasterPage1(file, { dpi: 144, gray: false });
    // Horizontal extents of the bars of one colour, top to bottom.
    const bars = (rgb: [number, number, number]) => {
      const found: { y: number; width: number }[] = [];
      let inBar = false;
      for (let y = 0; y < raster.height; y++) {
        let first = -1;
        let last = -1;
        for (let x = 0; x < raster.width; x++) {
          const i = (y * raster.width + x) * 3;
          const near = Math.abs(raster.data[i]! - rgb[0]) < 12 && Math.abs(raster.data[i + 1]! - rgb[1]) < 12 && Math.abs(raster.data[i + 2]! - rgb[2]) < 12;
          if (near) {
            if (first < 0) first = x;
            last = x;
          }
        }
        const width = first < 0 ? 0 : last - first + 1;
        // The legend swatch (18 px) is narrower than any bar here.
        if (width > 24 && !inBar) found.push({ y, width });
        inBar = width > 24;
      }
      return found;
    };
    const filed = bars([168, 186, 209]);
    const settled = bars([31, 77, 140]);
    expect(filed).toHaveLength(4);
    // The land row settled none: no bar.
    expect(settled).toHaveLength(3);
    const unit = filed[0]!.width / 40;
    expect(filed.map((b) => Math.round(b.width / unit))).toEqual([40, 20, 10, 5]);
    expect(settled.map((b) => Math.round(b.width / unit))).toEqual([30, 10, 5]);
  });
});
