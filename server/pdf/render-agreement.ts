import './pdf-lib-fast-paths';
import {
  BlendMode,
  PDFContentStream,
  PDFDocument,
  PDFRawStream,
  type PDFFont,
  type PDFOperator,
  type PDFPage,
  type PDFRef,
  type RGB,
  clip,
  concatTransformationMatrix,
  degrees,
  drawEllipse,
  drawObject,
  drawSvgPath,
  endPath,
  fill,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  setFillingRgbColor,
} from 'pdf-lib';
import QRCode from 'qrcode';
import { embedFonts, parsedFont, tagSubsetNames, type DocumentFonts } from './fonts';
import { breakLines } from './line-break';
import { fillPlaceholders, loadTemplate, type AgreementTemplate } from './templates';
import type { AgreementDocument, AgreementPartyView, AgreementSignature } from './types';
export { NO_RESPONSIBILITY, chineseDate } from './agreement-text';
import { NO_RESPONSIBILITY, chineseDate } from './agreement-text';

const MM = 72 / 25.4;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const MARGIN_X = 25 * MM;
const MARGIN_TOP = 20 * MM;
const MARGIN_BOTTOM = 20 * MM;
const CONTENT_W = PAGE_W - 2 * MARGIN_X;

const BODY = 10.5;
const BODY_LH = BODY * 1.5;
const TABLE = 9;
const TABLE_LH = TABLE * 1.4;
const CELL_PAD_X = 3.5;
const CELL_PAD_Y = 2.5;
const SMALL = 8.5;

const INK = rgb(0, 0, 0);
const GREY = rgb(0.35, 0.35, 0.35);
const RULE = rgb(0.25, 0.25, 0.25);
const HEADER_FILL = rgb(0.94, 0.94, 0.94);
// Seal ink: the vermilion of 印泥, slightly darker than pure red so it prints well.
const SEAL_RED = rgb(0.86, 0.08, 0.1);

/** CJK glyph top relative to the baseline, as a share of the font size (Noto Serif SC). */
const CAP = 0.86;

const DIGITS = '零一二三四五六七八九';

/** Printed at the top of a signature page that carries no clause of the agreement. */
export const NO_BODY_MARKER = '（本页无正文）';

/** 1 -> 一, 12 -> 十二, 105 -> 一百零五; enough for article and section numbers. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 9999) return String(n);
  if (n < 10) return DIGITS[n] ?? String(n);
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ''}`;
  if (n < 100) return `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ''}`;
  if (n < 1000) {
    const rest = n % 100;
    const tail = rest === 0 ? '' : rest < 10 ? `零${DIGITS[rest]}` : rest < 20 ? `一${chineseNumeral(rest)}` : chineseNumeral(rest);
    return `${DIGITS[Math.floor(n / 100)]}百${tail}`;
  }
  const rest = n % 1000;
  const tail = rest === 0 ? '' : rest < 100 ? `零${chineseNumeral(rest).replace(/^十/, '一十')}` : chineseNumeral(rest);
  return `${DIGITS[Math.floor(n / 1000)]}千${tail}`;
}


// Advance widths at 1000 units per em, per font, shared across documents: measuring by
// character keeps wrapping cheap, and CJK advances do not depend on context.
const widthCache = new WeakMap<object, Map<string, number>>();
const widthKeyByName = new Map<string, object>();

function measurer(font: PDFFont): (text: string, size: number) => number {
  const name = (font as unknown as { embedder: { fontName: string } }).embedder.fontName;
  let key = widthKeyByName.get(name);
  if (!key) {
    key = {};
    widthKeyByName.set(name, key);
  }
  let widths = widthCache.get(key);
  if (!widths) {
    widths = new Map();
    widthCache.set(key, widths);
  }
  const table = widths;
  return (text, size) => {
    let total = 0;
    for (const ch of text) {
      let w = table.get(ch);
      if (w === undefined) {
        w = font.widthOfTextAtSize(ch, 1000);
        table.set(ch, w);
      }
      total += w;
    }
    return (total * size) / 1000;
  };
}

interface Style {
  font: PDFFont;
  size: number;
  color?: RGB;
}

class Writer {
  readonly pages: PDFPage[] = [];
  page!: PDFPage;
  y = 0;
  private readonly measureRegular;
  private readonly measureBold;

  constructor(
    readonly pdf: PDFDocument,
    readonly fonts: DocumentFonts,
    private readonly onNewPage: (page: PDFPage) => void,
  ) {
    this.measureRegular = measurer(fonts.regular);
    this.measureBold = measurer(fonts.bold);
    this.newPage();
  }

  get bottom(): number {
    return MARGIN_BOTTOM;
  }

  newPage(): void {
    this.page = this.pdf.addPage([PAGE_W, PAGE_H]);
    this.pages.push(this.page);
    this.y = PAGE_H - MARGIN_TOP;
    this.onNewPage(this.page);
  }

  /** Starts a new page unless `height` still fits above the bottom margin. */
  ensure(height: number): void {
    if (this.y - height < this.bottom) this.newPage();
  }

  width(text: string, style: Style): number {
    return (style.font === this.fonts.bold ? this.measureBold : this.measureRegular)(text, style.size);
  }

  lines(text: string, maxWidth: number, style: Style): string[] {
    return breakLines(text, maxWidth, (s) => this.width(s, style));
  }

  /** Draws a line of text whose line box top is at `top`. */
  drawLine(text: string, x: number, top: number, lineHeight: number, style: Style): void {
    if (!text) return;
    const baseline = top - (lineHeight - style.size) / 2 - style.size * CAP;
    this.page.drawText(text, { x, y: baseline, size: style.size, font: style.font, color: style.color ?? INK });
  }

  /**
   * A wrapped paragraph. `lead` is a prefix (e.g. 第一条) set in `leadStyle`; with `hanging`
   * the continuation lines align with the text after the lead, as numbered clauses are set.
   */
  paragraph(
    text: string,
    style: Style,
    opts: {
      indent?: number;
      lead?: string;
      leadStyle?: Style;
      /** Width reserved for the lead, so that a run of numbered clauses aligns. */
      leadWidth?: number;
      hanging?: boolean;
      lineHeight?: number;
      firstLineIndent?: boolean;
    } = {},
  ): void {
    const lh = opts.lineHeight ?? style.size * 1.7;
    const x0 = MARGIN_X + (opts.indent ?? 0);
    const avail = CONTENT_W - (opts.indent ?? 0);
    const leadStyle = opts.leadStyle ?? style;
    const leadW = opts.lead ? Math.max(opts.leadWidth ?? 0, this.width(opts.lead, leadStyle)) : 0;
    const body = (opts.firstLineIndent ? '\u3000\u3000' : '') + text;
    let lines: string[];
    if (opts.lead && opts.hanging) {
      lines = this.lines(body, avail - leadW, style);
    } else if (opts.lead) {
      // The lead occupies the start of the first line only: wrap the first line shorter.
      const first = this.lines(body, avail - leadW, style);
      const head = first[0] ?? '';
      const rest = body.slice(head.length).replace(/^ +/, '');
      lines = [head, ...(rest ? this.lines(rest, avail, style) : [])];
    } else {
      lines = this.lines(body, avail, style);
    }
    lines.forEach((line, i) => {
      this.ensure(lh);
      let x = x0;
      if (i === 0 && opts.lead) {
        this.drawLine(opts.lead, x0, this.y, lh, leadStyle);
        x += leadW;
      } else if (opts.lead && opts.hanging) {
        x += leadW;
      }
      this.drawLine(line, x, this.y, lh, style);
      this.y -= lh;
    });
  }

  gap(h: number): void {
    this.y -= h;
  }
}

// ---------------------------------------------------------------------------------------------
// Party table

interface Cell {
  label: string;
  value: string;
  /** How many cells of this kind share a row. */
  perRow: 1 | 2 | 4;
  /** Share of the row's width relative to its neighbours; equal when absent. */
  weight?: number;
}

function partyCells(p: AgreementPartyView, t: AgreementTemplate): Cell[] {
  const L = t.labels;
  const cells: Cell[] = [];
  const add = (label: string, value: string | undefined, perRow: Cell['perRow'], weight?: number) => {
    if (value !== undefined && value !== '') cells.push({ label, value, perRow, weight });
  };
  if (p.kind === 'PERSON') {
    // Short facts share one row, sized to what they usually hold.
    add(L.gender, p.gender, 4, 0.19);
    add(L.ethnicity, p.ethnicity, 4, 0.22);
    const birth =
      p.birthDate && p.age !== undefined
        ? `${p.birthDate}（${p.age}${L.ageUnit}）`
        : (p.birthDate ?? (p.age !== undefined ? `${p.age}${L.ageUnit}` : undefined));
    add(p.birthDate ? L.birthDate : L.age, birth, 4, 0.33);
    add(L.occupation, p.occupation, 4, 0.26);
    add(L.idNumber, p.idNumber, 2);
    add(L.phone, p.phone, 2);
  } else {
    add(L.creditCode, p.creditCode, 2);
    add(L.legalRepresentative, p.legalRepresentative, 2);
    add(L.phone, p.phone, 2);
  }
  add(L.serviceAddress, p.serviceAddress, 2);
  add(L.domicile, p.domicile, 1);
  if (p.agents?.length) {
    add(L.agents, p.agents.map((a) => `${a.name}（${L.authority}：${a.authority}）`).join('；'), 1);
  }
  return cells;
}

/** Packs consecutive cells of the same kind into rows; a row left short stretches its last cell. */
function cellRows(cells: Cell[]): Cell[][] {
  const rows: Cell[][] = [];
  let current: Cell[] = [];
  for (const cell of cells) {
    const last = current[0];
    if (last && (last.perRow !== cell.perRow || current.length === last.perRow)) {
      rows.push(current);
      current = [];
    }
    current.push(cell);
  }
  if (current.length) rows.push(current);
  return rows;
}

function drawPartyTable(w: Writer, parties: AgreementPartyView[], t: AgreementTemplate): void {
  const regular: Style = { font: w.fonts.regular, size: TABLE };
  const bold: Style = { font: w.fonts.bold, size: TABLE };
  const border = { borderColor: RULE, borderWidth: 0.6 };

  const rect = (x: number, top: number, width: number, height: number, shade = false) =>
    w.page.drawRectangle({ x, y: top - height, width, height, ...border, ...(shade ? { color: HEADER_FILL } : {}) });

  const cellLines = (text: string, width: number, style: Style) => w.lines(text, width - 2 * CELL_PAD_X, style);
  const rowHeight = (n: number) => n * TABLE_LH + 2 * CELL_PAD_Y;

  const drawCellText = (lines: string[], x: number, top: number, style: Style) => {
    lines.forEach((line, i) => w.drawLine(line, x + CELL_PAD_X, top - CELL_PAD_Y - i * TABLE_LH, TABLE_LH, style));
  };

  for (const party of parties) {
    const role = party.role === 'APPLICANT' ? t.labels.applicant : t.labels.respondent;
    const nameLabel = party.kind === 'PERSON' ? t.labels.name : t.labels.organizationName;
    const header = (continued: boolean) => {
      const text = `${role}　${nameLabel}：${party.name}${continued ? '（续）' : ''}`;
      const lines = cellLines(text, CONTENT_W, bold);
      const h = rowHeight(lines.length);
      rect(MARGIN_X, w.y, CONTENT_W, h, true);
      drawCellText(lines, MARGIN_X, w.y, bold);
      w.y -= h;
    };
    const rows = cellRows(partyCells(party, t)).map((row) => {
      const weights = row.map((c) => c.weight ?? 1);
      const totalWeight = weights.reduce((a, b) => a + b, 0);
      let used = 0;
      const laid = row.map((cell, i) => {
        // The last cell takes what is left, so a short row still spans the table.
        const cellW = i === row.length - 1 ? CONTENT_W - used : (CONTENT_W * (weights[i] ?? 1)) / totalWeight;
        used += cellW;
        // Labels get the room they need on one line where possible, at least 12 mm.
        const labelW = Math.min(Math.max(12 * MM, w.width(cell.label, regular) + 2 * CELL_PAD_X + 1), cellW / 2);
        const valueW = cellW - labelW;
        return { labelW, valueW, label: cellLines(cell.label, labelW, regular), value: cellLines(cell.value, valueW, regular) };
      });
      const h = rowHeight(Math.max(...laid.map((c) => Math.max(c.label.length, c.value.length))));
      return { laid, h };
    });

    // Keep the header with at least its first row, as a table header row never ends a page.
    const firstH = rows[0]?.h ?? 0;
    w.ensure(rowHeight(1) + firstH);
    header(false);
    for (const row of rows) {
      if (w.y - row.h < w.bottom) {
        w.newPage();
        header(true);
      }
      let x = MARGIN_X;
      for (const c of row.laid) {
        rect(x, w.y, c.labelW, row.h, true);
        drawCellText(c.label, x, w.y, regular);
        rect(x + c.labelW, w.y, c.valueW, row.h);
        drawCellText(c.value, x + c.labelW, w.y, regular);
        x += c.labelW + c.valueW;
      }
      w.y -= row.h;
    }
    w.gap(3);
  }
}

// ---------------------------------------------------------------------------------------------
// Seal, QR code, watermark

/** A five-pointed star centred on (0, 0), as an SVG path (y down). */
function starPath(outer: number): string {
  const inner = outer * 0.382;
  const pts: string[] = [];
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? outer : inner;
    const a = Math.PI / 2 + (k * Math.PI) / 5;
    pts.push(`${k === 0 ? 'M' : 'L'}${(r * Math.cos(a)).toFixed(3)} ${(-r * Math.sin(a)).toFixed(3)}`);
  }
  return `${pts.join(' ')} Z`;
}

/**
 * The organisation seal: a red ring, the name along the upper arc with each character turned
 * to face the centre, and a five-pointed star, as on the round seals of mediation committees.
 * It is ink over paper: every part is drawn with the multiply blend, so what lies under it (the
 * organisation's name, the date) stays legible. The characters are drawn as glyph outlines, not
 * text, so copying the page or a screen reader does not read the seal as words.
 *
 * The seal is one form XObject per document, centred on (0, 0), placed where it is stamped and
 * again in each strip of the cross-page seal: its outlines are written once in the file instead
 * of once per placement.
 */
function sealOperators(name: string, radius: number): PDFOperator[] {
  const ring = radius * 0.075;
  const ops: PDFOperator[] = drawEllipse({
    x: 0,
    y: 0,
    xScale: radius - ring / 2,
    yScale: radius - ring / 2,
    color: undefined,
    borderColor: SEAL_RED,
    borderWidth: ring,
    graphicsState: SEAL_STATE,
  });
  // Filled outlines, as drawSvgPath on a page fills them (no border).
  const ink = { color: SEAL_RED, borderColor: undefined, borderWidth: 0, graphicsState: SEAL_STATE };
  const font = parsedFont('regular');
  const em = font.unitsPerEm;
  const chars = [...name];
  const n = Math.max(chars.length, 1);
  const inset = radius * (1 - 0.075 - 0.07);
  // Up to about 240 degrees of arc, as engraved seals use; the size follows from the arc so
  // that characters sit side by side without overlapping, capped for short names.
  const span = Math.min((240 * Math.PI) / 180, (n * 20 * Math.PI) / 180);
  const size = Math.min(radius * 0.3, (span * inset) / (Math.max(n - 1, 1) * 1.05 + span * CAP));
  const baseR = inset - size * CAP;
  const step = n > 1 ? span / (n - 1) : 0;
  chars.forEach((ch, i) => {
    const phi = Math.PI / 2 + span / 2 - i * step;
    const glyph = font.glyphForCodePoint(ch.codePointAt(0)!);
    const w = (glyph.advanceWidth * size) / em;
    const x = baseR * Math.cos(phi) - (w / 2) * Math.sin(phi);
    const y = baseR * Math.sin(phi) + (w / 2) * Math.cos(phi);
    // Font outlines are y-up; drawSvgPath expects SVG's y-down and flips them back.
    ops.push(...drawSvgPath(glyph.path.scale(1, -1).toSVG(), { x, y, scale: size / em, rotate: degrees(((phi - Math.PI / 2) * 180) / Math.PI), ...ink }));
  });
  ops.push(...drawSvgPath(starPath(radius * 0.3), { x: 0, y: -radius * 0.02, scale: undefined, ...ink }));
  return ops;
}

/** The name the seal's one graphics state has in its XObject's resources: 0.9 opacity, multiply. */
const SEAL_STATE = 'GS0';
/**
 * The compressed content of a seal, by organisation name and radius: every agreement of an
 * organisation carries the same seal. A few hundred organisations at most per instance.
 */
const sealContents = new Map<string, Uint8Array>();

function sealXObject(pdf: PDFDocument, name: string, radius: number): PDFRef {
  const key = `${radius}|${name}`;
  let contents = sealContents.get(key);
  if (contents === undefined) {
    if (sealContents.size >= 500) sealContents.clear();
    const stream = PDFContentStream.of(pdf.context.obj({}), sealOperators(name, radius), false);
    contents = pdf.context.flateStream(stream.getContents()).getContents();
    sealContents.set(key, contents);
  }
  const edge = radius + 1;
  const dict = pdf.context.obj({
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [-edge, -edge, edge, edge],
    Resources: { ExtGState: { [SEAL_STATE]: { Type: 'ExtGState', ca: 0.9, CA: 0.9, BM: BlendMode.Multiply } } },
    Filter: 'FlateDecode',
  });
  return pdf.context.register(PDFRawStream.of(dict, contents));
}

/** Stamps the seal centred on (cx, cy). */
function drawSeal(page: PDFPage, seal: PDFRef, cx: number, cy: number): void {
  const key = page.node.newXObject('Seal', seal);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(1, 0, 0, 1, cx, cy), drawObject(key), popGraphicsState());
}

/**
 * 骑缝章: the seal cut into one vertical strip per page, each strip at the right edge of its page,
 * so that the pages laid edge to edge show one seal and no page can be swapped unnoticed.
 */
function drawCrossPageSeal(pages: PDFPage[], seal: PDFRef, radius: number, cy: number): void {
  const strip = (2 * radius) / pages.length;
  pages.forEach((page, i) => {
    const cx = PAGE_W + radius - (i + 1) * strip;
    page.pushOperators(pushGraphicsState(), rectangle(PAGE_W - strip, cy - radius - 2, strip, 2 * radius + 4), clip(), endPath());
    drawSeal(page, seal, cx, cy);
    page.pushOperators(popGraphicsState());
  });
}

export const QR_QUIET_MODULES = 4;

/** QR code drawn as filled squares (one rectangle per horizontal run), so it stays vector. */
function drawQr(page: PDFPage, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  // ISO/IEC 18004: a quiet zone of 4 modules on every side.
  const quiet = QR_QUIET_MODULES;
  const cell = size / (n + 2 * quiet);
  const ops = [pushGraphicsState(), setFillingRgbColor(1, 1, 1), rectangle(x, y, size, size), fill(), setFillingRgbColor(0, 0, 0)];
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.modules.get(r, c)) {
        c++;
        continue;
      }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c++;
      const top = y + size - (quiet + r) * cell;
      ops.push(rectangle(x + (quiet + start) * cell, top - cell, (c - start) * cell, cell));
    }
  }
  ops.push(fill(), popGraphicsState());
  page.pushOperators(...ops);
}

function drawDraftMark(page: PDFPage, font: PDFFont, text: string): void {
  const size = 54;
  const w = font.widthOfTextAtSize(text, size);
  const angle = (32 * Math.PI) / 180;
  const cx = PAGE_W / 2;
  const cy = PAGE_H / 2;
  page.drawText(text, {
    x: cx - (w / 2) * Math.cos(angle),
    y: cy - (w / 2) * Math.sin(angle),
    size,
    font,
    color: rgb(0.6, 0.6, 0.6),
    opacity: 0.22,
    rotate: degrees(32),
  });
}

// ---------------------------------------------------------------------------------------------

function signatureLabel(sig: AgreementSignature, doc: AgreementDocument, t: AgreementTemplate): string {
  if (sig.role === 'MEDIATOR') return '';
  const party = doc.parties.find((p) => p.name === sig.name);
  if (!party) return '';
  return party.role === 'APPLICANT' ? t.labels.applicant : t.labels.respondent;
}

/** Renders the agreement to PDF bytes. Pure: the same input always gives the same bytes. */
export async function renderAgreementPdf(doc: AgreementDocument, template?: AgreementTemplate): Promise<Uint8Array> {
  const t = template ?? loadTemplate(doc.templateId, doc.templateVersion);
  if (t.templateId !== doc.templateId) {
    throw new Error(`template ${t.templateId} does not fit agreement template ${doc.templateId}`);
  }
  // updateMetadata: false keeps pdf-lib from stamping the current time and its own producer.
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const fonts = await embedFonts(pdf);
  const L = t.labels;

  const body: Style = { font: fonts.regular, size: BODY };
  const bodyBold: Style = { font: fonts.bold, size: BODY };
  const small: Style = { font: fonts.regular, size: SMALL, color: GREY };

  const w = new Writer(pdf, fonts, (page) => {
    if (doc.draft) drawDraftMark(page, fonts.bold, L.draft);
  });

  // Heading: organisation, title, number; the verification QR code sits at the top right of
  // the first page, where e-documents in China customarily carry it.
  // Large enough that a 96 dpi scan still resolves each module (about 2.5 pixels).
  const qrSize = 21 * MM;
  const headTop = w.y;
  drawQr(w.page, doc.verification.url, MARGIN_X + CONTENT_W - qrSize, headTop - qrSize + 6, qrSize);
  const codeStyle: Style = { font: fonts.regular, size: 6.5, color: GREY };
  const codeW = w.width(doc.verification.code, codeStyle);
  w.drawLine(doc.verification.code, MARGIN_X + CONTENT_W - qrSize / 2 - codeW / 2, headTop - qrSize + 6, 9, codeStyle);
  const headW = CONTENT_W - 2 * (qrSize + 6);
  const centred = (text: string, style: Style, lh: number) => {
    for (const line of w.lines(text, headW, style)) {
      w.drawLine(line, MARGIN_X + (CONTENT_W - w.width(line, style)) / 2, w.y, lh, style);
      w.y -= lh;
    }
  };
  centred(doc.organization.name, { font: fonts.bold, size: 15 }, 22);
  const titleStyle: Style = { font: fonts.bold, size: 22 };
  // Titles of official documents are letter-spaced when short, as on printed forms.
  const title = [...t.title].length <= 7 ? [...t.title].join(' ') : t.title;
  centred(title, titleStyle, 34);
  if (t.subtitle) centred(t.subtitle, { font: fonts.regular, size: 12 }, 20);
  w.y = Math.min(w.y, headTop - qrSize - 2);
  const numberText = `${L.numberPrefix}${doc.number}`;
  w.drawLine(numberText, MARGIN_X + CONTENT_W - w.width(numberText, body), w.y, BODY_LH, body);
  w.y -= BODY_LH + 2;
  if (doc.replacesNumber) {
    const replaces = `（本协议变更并取代${doc.replacesNumber}调解协议）`;
    w.drawLine(replaces, MARGIN_X + CONTENT_W - w.width(replaces, small), w.y, 12, small);
    w.y -= 14;
  }

  let section = 0;
  const heading = (text: string) => {
    section += 1;
    w.ensure(BODY_LH * 2.2);
    w.gap(3);
    w.drawLine(`${chineseNumeral(section)}、${text}`, MARGIN_X, w.y, BODY_LH, bodyBold);
    w.y -= BODY_LH;
  };
  const labelled = (label: string, value: string) =>
    w.paragraph(value, body, { lead: `${label}：`, leadStyle: bodyBold, lineHeight: BODY_LH, indent: BODY * 2 });

  heading(t.headings.parties);
  drawPartyTable(w, doc.parties, t);
  w.paragraph(fillPlaceholders(t.intro, { organization: doc.organization.name }), body, {
    lineHeight: BODY_LH,
    firstLineIndent: true,
  });

  heading(t.headings.facts);
  labelled(L.category, doc.categoryLabel);
  labelled(L.facts, doc.facts);
  labelled(L.issues, doc.issues);

  // 各方责任 is never left out: where the parties agreed that no one bears responsibility, it says so.
  heading(t.headings.responsibilities);
  w.paragraph(doc.responsibilities?.trim() || NO_RESPONSIBILITY, body, { lineHeight: BODY_LH, firstLineIndent: true });

  heading(t.headings.terms);
  const termLead = (i: number) => (t.termNumbering === 'article' ? `第${chineseNumeral(i + 1)}条　` : `${i + 1}. `);
  const leadWidth = Math.max(0, ...doc.terms.map((_, i) => w.width(termLead(i), bodyBold)));
  doc.terms.forEach((term, i) => {
    const lead = termLead(i);
    w.paragraph(term.text, body, { lead, leadStyle: bodyBold, leadWidth, hanging: true, lineHeight: BODY_LH, indent: BODY * 2 });
    const details = [
      term.obligor && `${L.obligor}：${term.obligor}`,
      term.amount && `${L.amount}：${term.amount}`,
      term.dueDate && `${L.dueDate}：${term.dueDate}`,
    ].filter(Boolean);
    if (details.length) {
      w.paragraph(`（${details.join('；')}）`, { ...body, size: 10, color: GREY }, {
        lineHeight: 10 * 1.6,
        indent: BODY * 2 + leadWidth,
      });
    }
  });

  heading(t.headings.performance);
  labelled(L.method, doc.performance.method);
  if (doc.performance.place) labelled(L.place, doc.performance.place);
  labelled(L.deadline, doc.performance.deadline);

  heading(t.headings.breach);
  w.paragraph(doc.breach, body, { lineHeight: BODY_LH, firstLineIndent: true });

  w.gap(4);
  w.paragraph(fillPlaceholders(t.closing.originals, { originals: chineseNumeral(doc.originals) }), body, {
    lineHeight: BODY_LH,
    firstLineIndent: true,
  });
  w.paragraph(t.closing.legalEffect, body, { lineHeight: BODY_LH, firstLineIndent: true });

  // Signatures: parties on the left, mediators and recorder on the right; below the mediators
  // the organisation and the date, with the seal stamped across them and the lines above.
  const sigLH = 20;
  const partySigs = doc.signatures.filter((s) => s.role === 'PARTY');
  const mediatorSigs = doc.signatures.filter((s) => s.role === 'MEDIATOR');
  // Everyone named on the agreement gets a line, signed or not.
  for (const name of doc.mediators) {
    if (!mediatorSigs.some((s) => s.name === name)) mediatorSigs.push({ role: 'MEDIATOR', name });
  }
  for (const party of doc.parties) {
    if (!partySigs.some((s) => s.name === party.name)) partySigs.push({ role: 'PARTY', name: party.name });
  }
  // 40 mm across: the round seal of a people's mediation committee.
  const sealRadius = 20 * MM;
  const orgStyle: Style = { font: fonts.regular, size: 12 };
  const rightRows = mediatorSigs.length + (doc.recorder ? 1 : 0);
  const columnsH = BODY_LH + Math.max(partySigs.length, rightRows) * sigLH;
  // The organisation block: its name (wrapped when long) and, once effective, the effective date.
  const orgLines = w.lines(doc.organization.name, CONTENT_W * 0.55, orgStyle);
  const dateText = !doc.draft && doc.date ? chineseDate(doc.date) : '';
  const blockW = Math.max(...orgLines.map((l) => w.width(l, orgStyle)), dateText ? w.width(dateText, orgStyle) : 0, 2 * sealRadius + 4);
  const blockH = orgLines.length * 20 + (dateText ? 22 : 0);
  // The seal sits on the organisation's name and date, centred on the block, and stays clear of
  // the signature lines and the recorder above it however long the name is.
  const sealDrop = Math.max(sealRadius - blockH / 2, 0) + 4;
  // The seal may reach into the bottom margin, as a stamp does; it sits at the right, clear of the centred page number.
  const footH = sealDrop + blockH / 2 + sealRadius - 24 - 44;
  const needed = 6 + columnsH + footH;
  if (w.y - needed < w.bottom) {
    // The signature block goes to a page of its own: say that the page has no body text.
    w.newPage();
    w.drawLine(NO_BODY_MARKER, MARGIN_X, w.y, BODY_LH, body);
    w.y -= BODY_LH;
  }
  w.gap(6);

  const colW = CONTENT_W / 2;
  const sigColumn = (x: number, caption: string, sigs: AgreementSignature[], extra?: string) => {
    let top = w.y;
    w.drawLine(`${caption}：`, x, top, BODY_LH, bodyBold);
    top -= BODY_LH;
    const lineX = x + BODY * 4.5;
    const lineW = colW - BODY * 5;
    for (const sig of sigs) {
      const label = signatureLabel(sig, doc, t);
      if (label) w.drawLine(label, x, top - 4, sigLH - 6, body);
      const lineY = top - sigLH + 6;
      w.page.drawLine({ start: { x: lineX, y: lineY }, end: { x: lineX + lineW, y: lineY }, thickness: 0.5, color: RULE });
      if (sig.signedAt) {
        // An agent with special authority signs in their own name, marked as signing for the party.
        const signed = sig.agent ? `${sig.agent}（代）` : sig.name;
        w.page.drawText(signed, { x: lineX + 4, y: lineY + 3, size: 12, font: fonts.bold, color: INK });
        const when = `${L.signedAt} ${sig.signedAt}`;
        w.page.drawText(when, { x: lineX + lineW - w.width(when, small) - 2, y: lineY + 3, size: SMALL, font: fonts.regular, color: GREY });
      }
      top -= sigLH;
    }
    if (extra) {
      w.drawLine(extra, x, top - 4, sigLH - 6, body);
      top -= sigLH;
    }
    return top;
  };
  const leftBottom = sigColumn(MARGIN_X, L.partySignature, partySigs);
  const rightBottom = sigColumn(
    MARGIN_X + colW + 6,
    L.mediatorSignature,
    mediatorSigs,
    doc.recorder ? `${L.recorder}：${doc.recorder}` : undefined,
  );
  const sigBottom = Math.min(leftBottom, rightBottom);
  const orgTop = sigBottom - sealDrop;
  const blockX = MARGIN_X + CONTENT_W - blockW - 6;
  if (!doc.sealApplied) {
    w.drawLine(L.sealCaption, blockX + (blockW - w.width(L.sealCaption, small)) / 2, orgTop + 14, 14, small);
  }
  orgLines.forEach((line, i) => w.drawLine(line, blockX + (blockW - w.width(line, orgStyle)) / 2, orgTop - i * 20, 20, orgStyle));
  if (dateText) w.drawLine(dateText, blockX + (blockW - w.width(dateText, orgStyle)) / 2, orgTop - orgLines.length * 20 - 2, 20, orgStyle);

  // Verification text beside the organisation block; the QR code is on the first page.
  const vStyle: Style = { font: fonts.regular, size: 8, color: GREY };
  const vMax = blockX - MARGIN_X - 16;
  let vTop = orgTop - 2;
  for (const line of [
    ...w.lines(`${L.verification}：${doc.verification.code}　${L.verifyUrl}：${doc.verification.url}`, vMax, vStyle),
    ...w.lines(L.verifyHint, vMax, vStyle),
  ]) {
    w.drawLine(line, MARGIN_X, vTop, 11, vStyle);
    vTop -= 11;
  }

  const sealCy = orgTop - blockH / 2;
  if (doc.sealApplied) {
    const seal = sealXObject(pdf, doc.organization.name, sealRadius);
    drawSeal(w.page, seal, blockX + blockW / 2, sealCy);
    if (w.pages.length > 1) drawCrossPageSeal(w.pages, seal, sealRadius, PAGE_H / 2);
  }
  w.y = Math.min(vTop, sealCy - sealRadius);

  const total = w.pages.length;
  if (total > 1) {
    w.pages.forEach((page, i) => {
      const text = fillPlaceholders(L.page, { page: i + 1, pages: total });
      const size = 9;
      page.drawText(text, {
        x: (PAGE_W - w.width(text, { font: fonts.regular, size })) / 2,
        y: 11 * MM,
        size,
        font: fonts.regular,
        color: GREY,
      });
    });
  }

  pdf.setTitle(`${t.title} ${doc.number}`);
  pdf.setSubject(`${doc.categoryLabel} ${t.title}（第${doc.version}版）`);
  pdf.setKeywords([doc.caseNumber, doc.number, `${t.templateId}/v${t.version}`, `agreement-version:${doc.version}`, doc.categoryLabel]);
  pdf.setAuthor(doc.organization.name);
  pdf.setCreator('jiefen');
  pdf.setProducer('jiefen');
  pdf.setLanguage('zh-CN');
  pdf.setCreationDate(doc.createdAt);
  pdf.setModificationDate(doc.createdAt);

  tagSubsetNames([fonts.regular, fonts.bold]);
  // Without object streams every object stays a plain indirect object, which keeps the file
  // simple for the signature step that rewrites it with a placeholder.
  return pdf.save({ useObjectStreams: false });
}
