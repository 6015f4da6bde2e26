/**
 * Line wrapping for Chinese text measured with the real font.
 *
 * A line may break between any two CJK characters, never inside a run of Latin letters or
 * digits, and never so that closing punctuation starts a line or opening punctuation ends
 * one (禁则). The offending character is pushed to the next line together with its neighbour,
 * which is what Chinese typesetting does when it cannot compress punctuation.
 */

/** Characters that must not begin a line. */
export const NO_LINE_START = new Set([
  ...'，。、；：？！）》」』”’%…—',
  ...',.;:?!)]}',
  ...'〉】〕％',
]);

/** Characters that must not end a line. */
export const NO_LINE_END = new Set([...'（《「『“‘', ...'([{', ...'〈【〔']);

export type Measure = (text: string) => number;

const CJK = /[\u2E80-\u2FDF\u3000-\u303F\u3040-\u30FF\u3100-\u312F\u31A0-\u31FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]|[\u{20000}-\u{2FA1F}]/u;

function isCjk(ch: string): boolean {
  return CJK.test(ch);
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\u00A0';
}

/** Splits text into the smallest pieces between which a line may break. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let word = '';
  const flush = () => {
    if (word) tokens.push(word);
    word = '';
  };
  for (const ch of text) {
    if (isSpace(ch)) {
      flush();
      const last = tokens[tokens.length - 1];
      if (last !== undefined && isSpace(last[0] ?? '')) tokens[tokens.length - 1] = last + ch;
      else tokens.push(ch);
    } else if (isCjk(ch) || (ch > '\u007f' && (NO_LINE_START.has(ch) || NO_LINE_END.has(ch)))) {
      // ASCII punctuation stays inside its Latin word or number (12,000.50, 50%, (a)).
      flush();
      tokens.push(ch);
    } else {
      word += ch;
    }
  }
  flush();
  return tokens;
}

/** Glues tokens so that no unit boundary violates the 禁则 rules. */
export function unbreakableUnits(text: string): string[] {
  const units: string[] = [];
  let glueNext = false;
  for (const token of tokenize(text)) {
    const first = [...token][0] ?? '';
    const last = [...token].at(-1) ?? '';
    const prev = units.length - 1;
    if (prev >= 0 && (glueNext || NO_LINE_START.has(first))) {
      units[prev] += token;
    } else {
      units.push(token);
    }
    glueNext = NO_LINE_END.has(last);
  }
  return units;
}

function splitOversized(unit: string, maxWidth: number, measure: Measure): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const ch of unit) {
    if (current && measure(current + ch) > maxWidth) {
      pieces.push(current);
      current = ch;
    } else {
      current += ch;
    }
  }
  if (current) pieces.push(current);
  return pieces;
}

/**
 * Breaks `text` into lines no wider than `maxWidth` as measured by `measure`.
 * Newlines in the text are kept as hard breaks; spaces at a break are dropped.
 */
export function breakLines(text: string, maxWidth: number, measure: Measure): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    let width = 0;
    const widthCache = new Map<string, number>();
    const widthOf = (s: string) => {
      let w = widthCache.get(s);
      if (w === undefined) {
        w = measure(s);
        widthCache.set(s, w);
      }
      return w;
    };
    const pushLine = () => {
      lines.push(line.replace(/[ \t\u00A0]+$/, ''));
      line = '';
      width = 0;
    };
    for (const unit of unbreakableUnits(paragraph)) {
      const isBlank = /^[ \t\u00A0]+$/.test(unit);
      if (isBlank && line === '') continue;
      const w = widthOf(unit);
      if (width + w <= maxWidth + 1e-6) {
        line += unit;
        width += w;
        continue;
      }
      if (isBlank) {
        pushLine();
        continue;
      }
      if (line !== '') pushLine();
      if (w <= maxWidth) {
        line = unit;
        width = w;
      } else {
        // A single word or number wider than the line (a long URL, an ID number in a narrow
        // cell) has to be cut somewhere; cutting by character is the least surprising.
        const pieces = splitOversized(unit, maxWidth, measure);
        for (const piece of pieces.slice(0, -1)) lines.push(piece);
        line = pieces.at(-1) ?? '';
        width = measure(line);
      }
    }
    if (line !== '' || lines.length === 0 || paragraph === '') pushLine();
  }
  return lines;
}
