/**
 * What text the platform accepts, decided once at the edge (GraphQL input, form fields):
 * Unicode normalised to NFC, "\r\n" read as "\n", no control characters other than newline and
 * tab, no unpaired surrogates (they cannot be stored as UTF-8 nor hashed into the audit chain).
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 except tab (09) and newline (0A), DEL, and C1.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

export type TextCheck = { ok: true; value: string } | { ok: false; message: string };

/** Checks one string; on success gives the normalised text to use instead. */
export function acceptText(value: string): TextCheck {
  if (LONE_SURROGATE.test(value)) return { ok: false, message: 'contains an unpaired surrogate (not valid Unicode text)' };
  const text = value.replace(/\r\n/g, '\n');
  const bad = CONTROL.exec(text);
  if (bad) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return { ok: false, message: `contains the control character U+${code}; only newline and tab are allowed` };
  }
  return { ok: true, value: text.normalize('NFC') };
}
