import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import { embedFonts, tagSubsetNames } from './fonts';

/** One category's figures in the 月报. */
export interface MonthlyReportRow {
  label: string;
  filed: number;
  settled: number;
  failed: number;
  successRate: number | null;
  villageShare: number | null;
  overdueNow: number;
  confirmed: number;
  followUpsDone: number;
}

export interface MonthlyReportDocument {
  regionCode: string;
  regionName: string;
  month: string;
  generatedAt: Date;
  rows: MonthlyReportRow[];
  total: MonthlyReportRow;
  highRisk: { number: string; title: string; category: string; status: string; createdOn: string }[];
}

const MM = 72 / 25.4;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const MARGIN_X = 20 * MM;
const MARGIN_TOP = 20 * MM;
const MARGIN_BOTTOM = 18 * MM;
const CONTENT_W = PAGE_W - 2 * MARGIN_X;

const INK = rgb(0, 0, 0);
const GREY = rgb(0.35, 0.35, 0.35);
const LIGHT = rgb(0.85, 0.85, 0.85);
const HEADER_FILL = rgb(0.94, 0.94, 0.94);
/** Filed: a quiet grey-blue; settled: the deep blue of official charts. */
const FILED = rgb(0.66, 0.73, 0.82);
const SETTLED = rgb(0.12, 0.3, 0.55);

const pct = (v: number | null) => (v === null ? '—' : `${(Math.round(v * 1000) / 10).toFixed(1)}%`);

/** A round axis maximum and step for counts: 1, 2, 5 × 10^n steps, four to six of them. */
export function niceAxis(max: number): { top: number; step: number } {
  if (max <= 0) return { top: 5, step: 1 };
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const stepInt = Math.max(1, Math.round(step));
  return { top: Math.ceil(max / stepInt) * stepInt, step: stepInt };
}

class Pages {
  pages: PDFPage[] = [];
  page!: PDFPage;
  y = 0;
  constructor(private readonly pdf: PDFDocument) {
    this.add();
  }
  add(): void {
    this.page = this.pdf.addPage([PAGE_W, PAGE_H]);
    this.pages.push(this.page);
    this.y = PAGE_H - MARGIN_TOP;
  }
  /** A new page unless `height` still fits. */
  need(height: number): void {
    if (this.y - height < MARGIN_BOTTOM) this.add();
  }
}

function text(page: PDFPage, s: string, x: number, y: number, font: PDFFont, size: number, color = INK): void {
  page.drawText(s, { x, y, size, font, color });
}

function fit(s: string, font: PDFFont, size: number, width: number): string {
  if (font.widthOfTextAtSize(s, size) <= width) return s;
  let out = s;
  while (out.length > 1 && font.widthOfTextAtSize(`${out}…`, size) > width) out = out.slice(0, -1);
  return `${out}…`;
}

/**
 * Horizontal bars per category, filed and settled side by side, drawn as rectangles: an axis with
 * round ticks and light grid lines, the count at the end of each bar, a legend; a long list continues on the next page.
 */
function drawBarChart(p: Pages, rows: MonthlyReportRow[], fonts: { regular: PDFFont; bold: PDFFont }): void {
  const labelW = 46 * MM;
  const valueW = 10 * MM;
  const plotX = MARGIN_X + labelW;
  const plotW = CONTENT_W - labelW - valueW;
  const barH = 6.5;
  const gap = 1.5;
  const groupH = 2 * barH + gap + 7;
  const { top, step } = niceAxis(Math.max(0, ...rows.map((r) => Math.max(r.filed, r.settled))));
  const scale = (v: number) => (v / top) * plotW;

  p.need(40);
  text(p.page, '各类纠纷受理与调解成功件数', MARGIN_X, p.y - 12, fonts.bold, 12);
  // Legend at the right of the caption.
  const legend: [string, ReturnType<typeof rgb>][] = [['受理', FILED], ['调解成功', SETTLED]];
  let lx = MARGIN_X + CONTENT_W;
  for (const [label, color] of [...legend].reverse()) {
    lx -= fonts.regular.widthOfTextAtSize(label, 9);
    text(p.page, label, lx, p.y - 11, fonts.regular, 9, GREY);
    lx -= 12;
    p.page.drawRectangle({ x: lx, y: p.y - 11, width: 9, height: 7, color });
    lx -= 10;
  }
  p.y -= 24;

  const drawAxis = (plotTop: number, plotBottom: number) => {
    for (let v = 0; v <= top; v += step) {
      const x = plotX + scale(v);
      p.page.drawLine({ start: { x, y: plotTop }, end: { x, y: plotBottom }, thickness: v === 0 ? 0.8 : 0.4, color: v === 0 ? GREY : LIGHT });
      const label = String(v);
      text(p.page, label, x - fonts.regular.widthOfTextAtSize(label, 7.5) / 2, plotBottom - 10, fonts.regular, 7.5, GREY);
    }
    text(p.page, '（件）', plotX + plotW + 8, plotBottom - 10, fonts.regular, 7.5, GREY);
  };

  let plotTop = p.y;
  let i = 0;
  while (i < rows.length) {
    // As many groups as fit on this page, then the axis under them.
    const room = Math.max(1, Math.floor((p.y - MARGIN_BOTTOM - 20) / groupH));
    const chunk = rows.slice(i, i + room);
    plotTop = p.y;
    for (const r of chunk) {
      const y0 = p.y - 3.5;
      const label = fit(r.label, fonts.regular, 9, labelW - 6);
      text(p.page, label, plotX - 6 - fonts.regular.widthOfTextAtSize(label, 9), y0 - barH - 3, fonts.regular, 9);
      for (const [k, v, color] of [[0, r.filed, FILED], [1, r.settled, SETTLED]] as const) {
        const by = y0 - (k + 1) * barH - k * gap;
        const w = scale(v);
        if (w > 0) p.page.drawRectangle({ x: plotX, y: by, width: w, height: barH, color });
        text(p.page, String(v), plotX + w + 3, by + 1, fonts.regular, 7, GREY);
      }
      p.y -= groupH;
    }
    drawAxis(plotTop, p.y);
    p.y -= 16;
    i += chunk.length;
    if (i < rows.length) p.add();
  }
}

/** Header, relative width, and the cell of a row. */
const COLUMNS: [string, number, (r: MonthlyReportRow) => string][] = [
  ['纠纷类型', 34, (r) => r.label],
  ['受理', 9, (r) => String(r.filed)],
  ['调解成功', 11, (r) => String(r.settled)],
  ['调解不成', 11, (r) => String(r.failed)],
  ['成功率', 11, (r) => pct(r.successRate)],
  ['村级化解', 11, (r) => pct(r.villageShare)],
  ['当前超期', 11, (r) => String(r.overdueNow)],
  ['司法确认', 11, (r) => String(r.confirmed)],
  ['回访', 9, (r) => String(r.followUpsDone)],
];

/** Column widths in points from relative weights, filling the text width. */
const spread = (weights: number[]) => {
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (w / sum) * CONTENT_W);
};

function drawTable(p: Pages, header: string[], widths: number[], rows: string[][], fonts: { regular: PDFFont; bold: PDFFont }, opts: { boldLast?: boolean; leftColumns?: number[] } = {}): void {
  const rowH = 16;
  const size = 9;
  const drawRow = (cells: string[], font: PDFFont, fill: boolean) => {
    p.need(rowH);
    if (fill) p.page.drawRectangle({ x: MARGIN_X, y: p.y - rowH, width: CONTENT_W, height: rowH, color: HEADER_FILL });
    let x = MARGIN_X;
    cells.forEach((c, i) => {
      const w = widths[i]!;
      const s = fit(c, font, size, w - 6);
      const tx = (opts.leftColumns ?? [0]).includes(i) ? x + 3 : x + (w - font.widthOfTextAtSize(s, size)) / 2;
      text(p.page, s, tx, p.y - rowH + 4.5, font, size);
      x += w;
    });
    p.page.drawLine({ start: { x: MARGIN_X, y: p.y - rowH }, end: { x: MARGIN_X + CONTENT_W, y: p.y - rowH }, thickness: 0.4, color: GREY });
    p.y -= rowH;
  };
  p.need(rowH * 2);
  p.page.drawLine({ start: { x: MARGIN_X, y: p.y }, end: { x: MARGIN_X + CONTENT_W, y: p.y }, thickness: 0.8, color: INK });
  drawRow(header, fonts.bold, true);
  rows.forEach((r, i) => drawRow(r, opts.boldLast && i === rows.length - 1 ? fonts.bold : fonts.regular, false));
}

/** Renders the 月报 to PDF: pure, from figures to bytes, in the agreements' type (Noto Serif SC). */
export async function renderMonthlyReportPdf(doc: MonthlyReportDocument): Promise<Uint8Array> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const fonts = await embedFonts(pdf);
  const p = new Pages(pdf);

  const title = `${doc.regionName}矛盾纠纷化解月报`;
  text(p.page, title, (PAGE_W - fonts.bold.widthOfTextAtSize(title, 18)) / 2, p.y - 18, fonts.bold, 18);
  const sub = `${doc.month.replace('-', '年')}月　区划代码 ${doc.regionCode}`;
  text(p.page, sub, (PAGE_W - fonts.regular.widthOfTextAtSize(sub, 10)) / 2, p.y - 38, fonts.regular, 10, GREY);
  p.y -= 54;
  p.page.drawLine({ start: { x: MARGIN_X, y: p.y }, end: { x: MARGIN_X + CONTENT_W, y: p.y }, thickness: 1.2, color: INK });
  p.y -= 20;

  // Key figures in one sentence, as a 月报 opens.
  const t = doc.total;
  const summary = `本月受理纠纷${t.filed}件，调解成功${t.settled}件，调解不成${t.failed}件，调解成功率${pct(t.successRate)}，村级化解占比${pct(t.villageShare)}；当前超期${t.overdueNow}件，司法确认${t.confirmed}件，回访${t.followUpsDone}次；高风险未结事项${doc.highRisk.length}件。`;
  const size = 10.5;
  let line = '';
  for (const ch of summary) {
    if (fonts.regular.widthOfTextAtSize(line + ch, size) > CONTENT_W - 2 * size && line) {
      text(p.page, line, MARGIN_X, p.y - size, fonts.regular, size);
      p.y -= size * 1.6;
      line = '';
    }
    line += ch;
  }
  if (line) text(p.page, line, MARGIN_X, p.y - size, fonts.regular, size);
  p.y -= size * 1.6 + 12;

  drawBarChart(p, doc.rows, fonts);

  p.need(40);
  text(p.page, '分类统计', MARGIN_X, p.y - 12, fonts.bold, 12);
  p.y -= 20;
  const widths = spread(COLUMNS.map(([, w]) => w));
  drawTable(p, COLUMNS.map(([h]) => h), widths, [...doc.rows, { ...t, label: '合计' }].map((r) => COLUMNS.map(([, , f]) => f(r))), fonts, { boldLast: true });
  p.y -= 20;

  p.need(60);
  text(p.page, '高风险未结事项', MARGIN_X, p.y - 12, fonts.bold, 12);
  p.y -= 20;
  if (doc.highRisk.length === 0) {
    text(p.page, '无。', MARGIN_X, p.y - 10.5, fonts.regular, 10.5);
    p.y -= 20;
  } else {
    const riskWidths = spread([30, 42, 22, 18, 16]);
    drawTable(p, ['案号', '案由', '纠纷类型', '状态', '受理日期'], riskWidths, doc.highRisk.map((r) => [r.number, r.title, r.category, r.status, r.createdOn]), fonts, { leftColumns: [0, 1, 2] });
  }

  const generated = `生成时间：${new Date(doc.generatedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')}（北京时间）`;
  const total = p.pages.length;
  p.pages.forEach((page, i) => {
    const label = `第 ${i + 1} 页 共 ${total} 页`;
    text(page, label, (PAGE_W - fonts.regular.widthOfTextAtSize(label, 9)) / 2, 10 * MM, fonts.regular, 9, GREY);
    if (i === 0) text(page, generated, MARGIN_X + CONTENT_W - fonts.regular.widthOfTextAtSize(generated, 8), 10 * MM, fonts.regular, 8, GREY);
  });

  pdf.setTitle(title);
  pdf.setSubject(`${doc.regionName} ${doc.month} 月报`);
  pdf.setKeywords([doc.regionCode, doc.month, '月报']);
  pdf.setAuthor('jiefen');
  pdf.setCreator('jiefen');
  pdf.setProducer('jiefen');
  pdf.setLanguage('zh-CN');
  pdf.setCreationDate(doc.generatedAt);
  pdf.setModificationDate(doc.generatedAt);
  tagSubsetNames([fonts.regular, fonts.bold]);
  return pdf.save();
}
