import { afterAll, describe, expect, it } from 'vitest';
import { PdfPool } from '../../server/pdf/pool';
import { renderAgreementPdf } from '../../server/pdf/render-agreement';
import { generateSelfSignedP12, signPdf } from '../../server/pdf/sign-pdf';
import { loadTemplate } from '../../server/pdf/templates';
import { compactAgreement, longAgreement } from '../fixtures/pdf/sample-agreement';

const TIMEOUT = 120_000;
const pool = new PdfPool(2);
afterAll(() => pool.close());

describe('PDF worker pool', () => {
  it('renders and signs the same bytes as the functions it wraps', async () => {
    const doc = compactAgreement();
    const template = loadTemplate('peoples', 1);
    const [inPool, direct] = await Promise.all([pool.render(doc, template), renderAgreementPdf(doc, template)]);
    expect(inPool.byteLength).toBeGreaterThan(10_000);
    expect(Buffer.from(inPool).equals(Buffer.from(direct))).toBe(true);

    const p12 = await generateSelfSignedP12({ commonName: 'Test', organization: 'Test', passphrase: 'pw-2026', notBefore: new Date('2026-01-01T00:00:00Z'), validDays: 30 });
    const opts = { p12, passphrase: 'pw-2026', reason: 'test', location: 'test', signerName: 'Test', signingTime: new Date('2026-11-23T02:00:00Z') };
    const [signedInPool, signedDirect] = await Promise.all([pool.sign(direct, opts), signPdf(direct, opts)]);
    expect(Buffer.from(signedInPool).equals(Buffer.from(signedDirect))).toBe(true);
    // The wrapped function's errors come back as errors, with their message.
    await expect(pool.sign(signedInPool, opts)).rejects.toThrow(/already signed/);
  }, TIMEOUT);

  it('keeps the event loop free while a 100-term agreement renders', async () => {
    const doc = longAgreement(100);
    await pool.render(compactAgreement()); // the worker's first document parses the fonts
    const lags: number[] = [];
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      lags.push(now - last - 10);
      last = now;
    }, 10);
    const started = performance.now();
    const pdf = await pool.render(doc);
    const renderMs = performance.now() - started;
    clearInterval(timer);
    console.log(`100-term render ${Math.round(renderMs)} ms; worst event-loop lag meanwhile ${Math.round(Math.max(...lags))} ms`);
    expect(pdf.byteLength).toBeGreaterThan(10_000);
    expect(lags.length).toBeGreaterThan(3);
    // On the main thread the loop would stall for about the whole render.
    expect(Math.max(...lags)).toBeLessThan(Math.max(100, renderMs * 0.5));
  }, TIMEOUT);
});

describe('idle PDF workers', () => {
  it('end after the idle time, and the next agreement starts a new one', async () => {
    const short = new PdfPool(1, 300);
    try {
      expect(short.running).toBe(0);
      const first = await short.render(compactAgreement());
      expect(short.running).toBe(1);
      await new Promise((r) => setTimeout(r, 1000));
      // Its heap with the parsed fonts is given back.
      expect(short.running).toBe(0);
      const again = await short.render(compactAgreement());
      expect(short.running).toBe(1);
      expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
    } finally {
      await short.close();
    }
  }, TIMEOUT);
});
