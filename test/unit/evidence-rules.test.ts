import { describe, expect, it } from 'vitest';
import { cleanFileName, sniffContentType } from '../../server/domain/evidence/rules';
import { contentDisposition } from '../../server/http/evidence';

const b = (...parts: (string | number[])[]) =>
  new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p)))));

describe('sniffContentType', () => {
  it.each([
    [b('%PDF-1.4\n'), 'application/pdf'],
    [b([0xff, 0xd8, 0xff, 0xdb]), 'image/jpeg'],
    [b([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/png'],
    [b([0, 0, 0, 0x18], 'ftypmp42', [0, 0, 0, 0]), 'video/mp4'],
    [b([0, 0, 0, 0x18], 'ftypM4A ', [0, 0, 0, 0]), 'audio/mp4'],
    [b('ID3', [4, 0, 0, 0, 0, 0, 0]), 'audio/mpeg'],
    [b([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg'],
  ])('accepts %#', (bytes, type) => expect(sniffContentType(bytes)).toBe(type));

  it.each([
    ['an executable', b('MZ', [0x90, 0, 3, 0])],
    ['HTML', b('<!DOCTYPE html><html>%PDF-1.7')],
    ['SVG', b('<svg xmlns="http://www.w3.org/2000/svg">')],
    ['a ZIP (docx)', b('PK', [3, 4, 20, 0])],
    ['a QuickTime movie', b([0, 0, 0, 0x14], 'ftypqt  ', [0, 0, 0, 0])],
    ['ADTS AAC (not Layer III)', b([0xff, 0xf1, 0x50, 0x80])],
    ['empty', b()],
  ])('refuses %s', (_name, bytes) => expect(sniffContentType(bytes)).toBeNull());
});

describe('file names', () => {
  it('drops folders and control characters', () => {
    expect(cleanFileName('C:\\Users\\张三\\借条.pdf')).toBe('借条.pdf');
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('a\r\nb".pdf')).toBe('ab.pdf');
    expect(cleanFileName('')).toBe('evidence');
  });

  it('offers Chinese names per RFC 5987 with an ASCII fallback', () => {
    expect(contentDisposition('借条 (1).pdf')).toBe(`attachment; filename="__ (1).pdf"; filename*=UTF-8''%E5%80%9F%E6%9D%A1%20%281%29.pdf`);
  });
});
