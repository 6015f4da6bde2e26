import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDict, PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import jsQR from 'jsqr';
import { NO_BODY_MARKER, NO_RESPONSIBILITY, QR_QUIET_MODULES, renderAgreementPdf } from '../../server/pdf/render-agreement';
import { unprintableCharacters } from '../../server/pdf/coverage';
import { generateSelfSignedP12, readP12, signPdf } from '../../server/pdf/sign-pdf';
import { loadTemplate, templateVersions } from '../../server/pdf/templates';
import type { AgreementDocument } from '../../server/pdf/types';
import { compactAgreement, longAgreement, sampleAgreement } from '../fixtures/pdf/sample-agreement';
import { Scratch, hasTool, poppler, readPnm, run, squeeze, uninkedWords, wordsOnPage1 } from '../support/poppler';

const TIMEOUT = 60_000;

if (!poppler) {
  console.warn('poppler-utils not installed (pdftotext, pdffonts, pdftoppm, pdfsig): skipping rendering checks');
}
const withPoppler = poppler ? it : it.skip;

let scratch: Scratch;
beforeAll(() => {
  scratch = new Scratch('jiefen-pdf-');
});
afterAll(() => scratch?.cleanup());

const save = (bytes: Uint8Array) => scratch.save(bytes);
const rasterPage1 = (pdfFile: string, opts: { dpi: number; gray: boolean }) => scratch.rasterPage1(pdfFile, opts);

function textOf(pdfFile: string): string {
  return run('pdftotext', ['-layout', pdfFile, '-']);
}

describe('agreement templates', () => {
  it('load, validate and pick the latest version', () => {
    for (const id of ['peoples', 'administrative', 'lawyer', 'judicial'] as const) {
      const t = loadTemplate(id);
      expect(t.templateId).toBe(id);
      expect(t.version).toBe(Math.max(...templateVersions(id)));
      expect(loadTemplate(id, 1).version).toBe(1);
    }
    expect(loadTemplate('peoples').closing.legalEffect).toContain('人民调解法》第三十一条');
    expect(() => loadTemplate('peoples', 99)).toThrow();
  });
});

describe('renderAgreementPdf', () => {
  let sample: Uint8Array;
  let sampleFile: string;
  beforeAll(async () => {
    sample = await renderAgreementPdf(sampleAgreement());
    sampleFile = save(sample);
  }, TIMEOUT);

  it('reloads with the metadata taken from the agreement', async () => {
    const doc = await PDFDocument.load(sample, { updateMetadata: false });
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(doc.getTitle()).toBe('人民调解协议书 宾川人调字〔2026〕第12号');
    expect(doc.getKeywords()).toContain('JF-532924-2026-000123');
    expect(doc.getAuthor()).toBe('宾川县金牛镇人民调解委员会');
    expect(doc.getCreator()).toBe('jiefen');
    expect(doc.getProducer()).toBe('jiefen');
    expect(doc.getCreationDate()?.toISOString()).toBe('2026-11-23T02:12:00.000Z');
    expect(doc.getModificationDate()?.toISOString()).toBe('2026-11-23T02:12:00.000Z');
  });

  it('renders the same bytes for the same input', async () => {
    const again = await renderAgreementPdf(sampleAgreement());
    expect(Buffer.from(again).equals(Buffer.from(sample))).toBe(true);
  }, TIMEOUT);

  withPoppler('a page holding only signatures says 本页无正文 and carries a cross-page seal; otherwise the last clause stays with them', async () => {
    for (const doc of [compactAgreement(), sampleAgreement()]) {
      const file = save(await renderAgreementPdf(doc));
      const pages = (await PDFDocument.load(readFileSync(file))).getPageCount();
      const last = squeeze(run('pdftotext', ['-f', String(pages), '-l', String(pages), file, '-']));
      const before = last.split('当事人（签名')[0]!.replace(/第\d+页共\d+页/g, '');
      // Either body text precedes the signatures on their page, or the page says it has none.
      expect(before === NO_BODY_MARKER || before.length > 20, `${before}`).toBe(true);
      if (pages > 1) {
        // The cross-page seal leaves red ink at the right edge of every page.
        for (let page = 1; page <= pages; page++) {
          const prefix = join(scratch.dir, `edge-${page}-${Math.random().toString(36).slice(2)}`);
          run('pdftoppm', ['-r', '40', '-f', String(page), '-l', String(page), '-singlefile', file, prefix]);
          const r = readPnm(`${prefix}.ppm`);
          let red = 0;
          for (let y = 0; y < r.height; y++) {
            for (let x = r.width - 12; x < r.width; x++) {
              const i = (y * r.width + x) * 3;
              if (r.data[i]! > 150 && r.data[i + 1]! < 110 && r.data[i + 2]! < 110) red++;
            }
          }
          expect(red, `page ${page}`).toBeGreaterThan(20);
        }
      }
    }
  }, TIMEOUT);

  withPoppler('prints the effective date under the seal, and no date on a draft', async () => {
    const final = squeeze(textOf(save(await renderAgreementPdf({ ...sampleAgreement(), date: '2026-11-25' }))));
    expect(final).toContain('2026年11月25日');
    const draft = squeeze(textOf(save(await renderAgreementPdf({ ...sampleAgreement(), date: '2026-11-25', draft: true, sealApplied: false, signatures: [] }))));
    expect(draft).not.toContain('2026年11月25日');
  }, TIMEOUT);

  withPoppler('the seal adds no text: its characters are outlines', async () => {
    const base = sampleAgreement();
    const sealed = squeeze(textOf(save(await renderAgreementPdf({ ...base, sealApplied: true }))));
    const unsealed = squeeze(textOf(save(await renderAgreementPdf({ ...base, sealApplied: false }))));
    expect(sealed).toBe(unsealed.replace(loadTemplate('peoples').labels.sealCaption, ''));
  }, TIMEOUT);

  withPoppler('prints 民族, 职业 and 各方责任, saying so when no one bears responsibility', async () => {
    const text = squeeze(textOf(save(await renderAgreementPdf({ ...sampleAgreement(), responsibilities: undefined }))));
    expect(text).toContain('民族白族');
    expect(text).toContain('职业农民');
    expect(text).toContain(`各方责任${NO_RESPONSIBILITY}`);
  }, TIMEOUT);

  withPoppler('the QR code has a quiet zone of 4 modules and decodes at 96 dpi', async () => {
    expect(QR_QUIET_MODULES).toBe(4);
    const r = rasterPage1(sampleFile, { dpi: 96, gray: false });
    const rgba = new Uint8ClampedArray(r.width * r.height * 4);
    for (let i = 0; i < r.width * r.height; i++) {
      rgba[i * 4] = r.data[i * 3]!;
      rgba[i * 4 + 1] = r.data[i * 3 + 1]!;
      rgba[i * 4 + 2] = r.data[i * 3 + 2]!;
      rgba[i * 4 + 3] = 255;
    }
    const code = jsQR(rgba, r.width, r.height);
    expect(code?.data).toBe(sampleAgreement().verification.url);
  }, TIMEOUT);

  it('finds characters the fonts cannot print (CJK Extension B) so drafting can refuse them', () => {
    expect(unprintableCharacters('吉𠮷李')).toEqual(['𠮷']);
    expect(unprintableCharacters('彝族李桂英')).toEqual([]);
  });

  withPoppler('extracts the title, party names and terms as text', () => {
    const text = squeeze(textOf(sampleFile));
    expect(text).toContain('人民调解协议书');
    expect(text).toContain('宾川县金牛镇人民调解委员会');
    expect(text).toContain('张永福');
    expect(text).toContain('李桂英');
    expect(text).toContain('第一条');
    expect(text).toContain(squeeze(sampleAgreement().terms[1]!.text));
    expect(text).toContain('本协议一式三份');
    expect(text).toContain('2026年11月23日');
  });

  withPoppler('embeds every font as a subset and uses no standard font', () => {
    const lines = run('pdffonts', [sampleFile]).trim().split('\n').slice(2);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      const [name, ...rest] = line.trim().split(/\s+/);
      expect(name).toMatch(/^[A-Z]{6}\+NotoSerifSC-/);
      // columns: type..., encoding, emb, sub, uni, object, ID
      const [emb, sub] = rest.slice(-5, -3);
      expect({ name, emb, sub }).toEqual({ name, emb: 'yes', sub: 'yes' });
      expect(line).not.toMatch(/Helvetica|Times|Courier|Symbol|ZapfDingbats/);
    }
  });

  withPoppler('actually inks the Chinese glyphs (a broken subset renders blank)', async () => {
    const words = wordsOnPage1(sampleFile).filter((w) => /[\u4e00-\u9fff]{2,}/.test(w.text));
    expect(words.length).toBeGreaterThan(30);
    expect(uninkedWords(scratch, sampleFile, words)).toEqual([]);

    // The check must be able to fail: with all text made invisible (what a subset of blank
    // glyphs looks like), while borders, lines and the QR code stay, nearly every word is flagged.
    const doc = await PDFDocument.load(sample);
    for (const page of doc.getPages()) {
      const start = doc.context.register(doc.context.flateStream('q 3 Tr\n'));
      const end = doc.context.register(doc.context.flateStream('\nQ'));
      page.node.wrapContentStreams(start, end);
    }
    const invisible = save(await doc.save());
    expect(uninkedWords(scratch, invisible, words).length).toBeGreaterThan(words.length * 0.9);
  }, TIMEOUT);

  withPoppler('splits a long agreement across pages with page numbers', async () => {
    const file = save(await renderAgreementPdf(longAgreement(40)));
    const pages = (await PDFDocument.load(readFileSync(file))).getPageCount();
    expect(pages).toBeGreaterThan(2);
    const text = textOf(file);
    expect(text).toMatch(new RegExp(`第\\s*1\\s*页\\s*共\\s*${pages}\\s*页`));
    expect(text).toMatch(new RegExp(`第\\s*${pages}\\s*页\\s*共\\s*${pages}\\s*页`));
    expect(squeeze(text)).toContain('第四十条');
  }, TIMEOUT);

  withPoppler('continues a party table that does not fit on the page', async () => {
    const many = sampleAgreement();
    const parties = Array.from({ length: 9 }, (_, i) => ({
      ...many.parties[i % 2]!,
      name: `当事人${i + 1}`,
    }));
    const file = save(await renderAgreementPdf({ ...many, parties, signatures: [] }));
    const text = squeeze(textOf(file));
    expect(text).toContain('当事人9');
    expect((await PDFDocument.load(readFileSync(file))).getPageCount()).toBeGreaterThan(1);
  }, TIMEOUT);

  withPoppler('draws the red seal only when it is applied', async () => {
    const countRed = (file: string) => {
      const r = rasterPage1(file, { dpi: 50, gray: false });
      let red = 0;
      for (let i = 0; i + 2 < r.data.length; i += 3) {
        if ((r.data[i] ?? 0) > 170 && (r.data[i + 1] ?? 255) < 110 && (r.data[i + 2] ?? 255) < 110) red++;
      }
      return red;
    };
    const sealed = countRed(save(await renderAgreementPdf(compactAgreement())));
    const unsealed = countRed(save(await renderAgreementPdf(compactAgreement({ sealApplied: false }))));
    expect(sealed).toBeGreaterThan(300);
    expect(unsealed).toBe(0);
  }, TIMEOUT);

  it('writes the seal once, as a form XObject that the stamp and every strip of the cross-page seal place', async () => {
    const forms = async (doc: AgreementDocument) => {
      const pdf = await PDFDocument.load(await renderAgreementPdf(doc));
      const found = pdf.context
        .enumerateIndirectObjects()
        .filter(([, o]) => o instanceof PDFRawStream && o.dict.get(PDFName.of('Subtype')) === PDFName.of('Form'))
        .map(([ref, o]) => ({ ref, bytes: Buffer.from((o as PDFRawStream).getContents()) }));
      // Each page's resources name the one seal.
      const placed = pdf.getPages().map((page) => {
        const xobjects = page.node.Resources()?.lookup(PDFName.of('XObject'), PDFDict);
        return xobjects ? xobjects.values().map(String) : [];
      });
      return { found, placed, pages: pdf.getPageCount() };
    };
    const two = await forms(compactAgreement());
    expect(two.pages).toBe(2);
    expect(two.found).toHaveLength(1);
    // Page 1 carries a strip of the cross-page seal; page 2 the stamp and its own strip.
    expect(two.placed).toEqual([[two.found[0]!.ref.toString()], [two.found[0]!.ref.toString(), two.found[0]!.ref.toString()]]);
    // Another organisation's seal is other outlines; the same organisation's is the same bytes.
    const again = await forms(compactAgreement());
    const other = await forms(compactAgreement({ organization: { ...compactAgreement().organization, name: '宾川县州城镇人民调解委员会' } }));
    expect(again.found[0]!.bytes.equals(two.found[0]!.bytes)).toBe(true);
    expect(other.found[0]!.bytes.equals(two.found[0]!.bytes)).toBe(false);
    // No seal, no XObject.
    expect((await forms(compactAgreement({ sealApplied: false }))).found).toHaveLength(0);
  }, TIMEOUT);

  withPoppler('renders every channel with its own title and legal-effect sentence', async () => {
    const cases: [AgreementDocument['templateId'], string, string][] = [
      ['administrative', '行政调解协议书', '调解机关印章'],
      ['lawyer', '律师调解协议书', '调解律师签名'],
      ['judicial', '调解协议', '委派调解的人民法院申请司法确认'],
    ];
    for (const [templateId, title, effect] of cases) {
      const text = squeeze(textOf(save(await renderAgreementPdf(sampleAgreement({ templateId })))));
      expect(text).toContain(title);
      expect(text).toContain(effect);
    }
  }, TIMEOUT);

  withPoppler('marks a draft', async () => {
    // The mark is set diagonally, so text extraction returns its characters out of order.
    const draft = squeeze(textOf(save(await renderAgreementPdf(sampleAgreement({ draft: true, signatures: [], sealApplied: false })))));
    const final = squeeze(textOf(save(await renderAgreementPdf(sampleAgreement()))));
    for (const ch of '草稿待签署') expect(draft).toContain(ch);
    expect(final).not.toContain('稿');
  }, TIMEOUT);
});

describe('signPdf', () => {
  const org = '宾川县金牛镇人民调解委员会';
  const passphrase = '金牛-2026';
  let p12: Uint8Array;
  beforeAll(async () => {
    p12 = await generateSelfSignedP12({
      commonName: org,
      organization: org,
      passphrase,
      notBefore: new Date('2026-01-01T00:00:00Z'),
      validDays: 3650,
    });
  }, TIMEOUT);

  it('reads back the generated PKCS#12', async () => {
    const { certificate } = await readP12(p12, passphrase);
    expect(certificate.subject.typesAndValues.map((t) => t.value.valueBlock.value)).toContain(org);
    await expect(readP12(p12, 'wrong')).rejects.toThrow();
  }, TIMEOUT);

  withPoppler('produces a signature pdfsig validates, with a Chinese subject and reason', async () => {
    const signed = await signPdf(await renderAgreementPdf(compactAgreement()), {
      p12,
      passphrase,
      reason: '调解协议生效，加盖电子印章',
      location: '云南省大理白族自治州宾川县',
      signerName: org,
      signingTime: new Date('2026-11-23T02:15:00Z'),
    });
    const report = run('pdfsig', [save(signed)]);
    expect(report).toContain('Signature is Valid');
    expect(report).toContain(`Common Name: ${org}`);
    expect(report).toContain(`O=${org}`);
    expect(report).toContain('Total document signed');
    expect(report).toContain('ETSI.CAdES.detached');
  }, TIMEOUT);

  it('refuses to sign a second time rather than breaking the first signature', async () => {
    const opts = { p12, passphrase, reason: 'r', location: 'l', signerName: 's', signingTime: new Date('2026-11-23T00:00:00Z') };
    const once = await signPdf(await renderAgreementPdf(compactAgreement()), opts);
    await expect(signPdf(once, opts)).rejects.toThrow(/already signed/);
  }, TIMEOUT);

  withPoppler('signs with a PKCS#12 made by OpenSSL', async () => {
    if (!hasTool('openssl')) {
      console.warn('openssl not installed: skipping the OpenSSL interoperability check');
      return;
    }
    const key = join(scratch.dir, 'k.pem');
    const cert = join(scratch.dir, 'c.pem');
    const out = join(scratch.dir, 'o.p12');
    run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '30', '-utf8', '-subj', `/C=CN/O=${org}/CN=杨春梅`]);
    run('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', out, '-passout', 'pass:abc']);
    const signed = await signPdf(await renderAgreementPdf(compactAgreement()), {
      p12: readFileSync(out),
      passphrase: 'abc',
      reason: '调解员签名',
      location: '宾川县',
      signerName: '杨春梅',
      signingTime: new Date('2026-11-23T02:15:00Z'),
    });
    const report = run('pdfsig', [save(signed)]);
    expect(report).toContain('Signature is Valid');
    expect(report).toContain('Common Name: 杨春梅');
  }, TIMEOUT);
});
