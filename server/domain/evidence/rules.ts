import { ValidationError } from '../errors';

/** SHARED: all parties and the mediator side; MEDIATOR_ONLY: the mediator side and the uploader. */
export const EVIDENCE_VISIBILITIES = ['SHARED', 'MEDIATOR_ONLY'] as const;
export type EvidenceVisibility = (typeof EVIDENCE_VISIBILITIES)[number];

/** The file is larger than the configured limit (HTTP 413); still a validation failure in the closed set. */
export class FileTooLargeError extends ValidationError {
  constructor(public readonly maxBytes: number) {
    super([{ field: 'file', message: `must be at most ${maxBytes} bytes` }], `The file is larger than ${maxBytes} bytes.`);
    this.name = 'FileTooLargeError';
  }
}

/** The bytes are not one of the accepted kinds (HTTP 415), whatever name or type the client gave. */
export class UnsupportedFileTypeError extends ValidationError {
  constructor() {
    super(
      [{ field: 'file', message: `must be one of: ${ACCEPTED_TYPES.join(', ')}` }],
      `This kind of file is not accepted. Accepted: ${ACCEPTED_TYPES.join(', ')}.`,
    );
    this.name = 'UnsupportedFileTypeError';
  }
}

/**
 * Documents, photos and recordings of a session or a phone call. Office documents, archives and
 * anything executable or renderable as a page (HTML, SVG) are refused: they can carry active content.
 */
export const ACCEPTED_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'audio/mpeg', 'audio/mp4', 'video/mp4'] as const;
export type AcceptedType = (typeof ACCEPTED_TYPES)[number];

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));

/** ISO base media brands of ordinary MP4 video and M4A audio from phones and recorders. */
const MP4_VIDEO_BRANDS = new Set(['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'MSNV', 'dash']);
const MP4_AUDIO_BRANDS = new Set(['M4A ', 'M4B ']);

/** Decides the type from the leading bytes alone; the client's name and Content-Type are not trusted. */
export function sniffContentType(bytes: Uint8Array): AcceptedType | null {
  if (bytes.length >= 5 && ascii(bytes, 0, 5) === '%PDF-') return 'application/pdf';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'image/png';
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === 'ftyp') {
    const brand = ascii(bytes, 8, 12);
    if (MP4_AUDIO_BRANDS.has(brand)) return 'audio/mp4';
    if (MP4_VIDEO_BRANDS.has(brand)) return 'video/mp4';
    return null;
  }
  if (bytes.length >= 10 && ascii(bytes, 0, 3) === 'ID3') return 'audio/mpeg';
  // A bare MPEG audio frame: 11 sync bits, a real version, Layer III, a bitrate index that is not "bad".
  if (bytes.length >= 4 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0) {
    const version = (bytes[1]! >> 3) & 0x03;
    const layer = (bytes[1]! >> 1) & 0x03;
    const bitrate = bytes[2]! >> 4;
    if (version !== 0x01 && layer === 0x01 && bitrate !== 0x0f) return 'audio/mpeg';
  }
  return null;
}

/**
 * The name shown and offered on download: no folders, no control characters, at most 200
 * characters; the original extension is kept (the stored content type comes from the bytes).
 */
export function cleanFileName(raw: string | null | undefined): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return Array.from(cleaned || 'evidence').slice(0, 200).join('');
}

/** The URL a client fetches an item from, with its usual Authorization header. */
export function evidenceDownloadUrl(publicUrl: string, evidenceId: string): string {
  return `${publicUrl}/files/evidence/${evidenceId}`;
}
