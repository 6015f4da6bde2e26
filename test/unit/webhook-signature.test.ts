import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  WEBHOOK_SIGNATURE_HEADER,
  parseWebhookSignatureHeader,
  signWebhookPayload,
  verifyWebhookSignature,
} from '../../server/jobs/webhook-signature';

const secret = 'whsec_test_0123456789';
const body = JSON.stringify({
  id: 'evt_1',
  type: 'confirmation_application.submitted',
  createdAt: '2026-03-01T02:00:00.000Z',
  data: { applicationId: 'app_1', court: '云0102' },
});
const t = 1_772_330_400;

describe('webhook signature', () => {
  it('uses the contract header name', () => {
    expect(WEBHOOK_SIGNATURE_HEADER).toBe('X-Jiefen-Signature');
  });

  it('signs "<t>.<raw body>" with HMAC-SHA256 in hex', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signWebhookPayload(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies its own signature within the tolerance, on both sides of the clock', () => {
    const header = signWebhookPayload(secret, body, t);
    expect(verifyWebhookSignature(secret, header, body, t)).toBe(true);
    expect(verifyWebhookSignature(secret, header, body, t + 300)).toBe(true);
    expect(verifyWebhookSignature(secret, header, body, t - 300)).toBe(true);
  });

  it('rejects stale and far-future timestamps', () => {
    const header = signWebhookPayload(secret, body, t);
    expect(verifyWebhookSignature(secret, header, body, t + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, t - 301)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, t + 1000, 2000)).toBe(true);
  });

  it('rejects a changed body, a wrong secret and a forged timestamp', () => {
    const header = signWebhookPayload(secret, body, t);
    expect(verifyWebhookSignature(secret, header, body.replace('app_1', 'app_2'), t)).toBe(false);
    expect(verifyWebhookSignature('other', header, body, t)).toBe(false);
    const forged = header.replace(`t=${t}`, `t=${t + 10}`);
    expect(verifyWebhookSignature(secret, forged, body, t)).toBe(false);
  });

  it('accepts any of several v1 entries, as during secret rotation', () => {
    const good = signWebhookPayload(secret, body, t).split(',v1=')[1];
    const oldSecretSig = signWebhookPayload('old-secret', body, t).split(',v1=')[1];
    expect(verifyWebhookSignature(secret, `t=${t},v1=${oldSecretSig},v1=${good}`, body, t)).toBe(true);
    expect(verifyWebhookSignature('old-secret', `t=${t},v1=${oldSecretSig},v1=${good}`, body, t)).toBe(true);
    expect(verifyWebhookSignature(secret, `t=${t},v1=${oldSecretSig}`, body, t)).toBe(false);
  });

  it('tolerates spaces, upper-case hex and unknown schemes', () => {
    const sig = signWebhookPayload(secret, body, t).split(',v1=')[1]!;
    expect(verifyWebhookSignature(secret, ` t=${t} , v0=abc, v1=${sig.toUpperCase()}`, body, t)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['no timestamp', 'v1=' + 'a'.repeat(64)],
    ['no signature', `t=${t}`],
    ['bad timestamp', `t=abc,v1=${'a'.repeat(64)}`],
    ['two timestamps', `t=${t},t=${t},v1=${'a'.repeat(64)}`],
    ['short signature', `t=${t},v1=abcd`],
    ['non-hex signature', `t=${t},v1=${'z'.repeat(64)}`],
  ])('rejects a malformed header (%s)', (_name, header) => {
    expect(verifyWebhookSignature(secret, header, body, t)).toBe(false);
  });

  it('parses the header into timestamp and signatures', () => {
    expect(parseWebhookSignatureHeader(`t=5,v1=${'A'.repeat(64)}`)).toEqual({ timestamp: 5, signatures: ['a'.repeat(64)] });
    expect(parseWebhookSignatureHeader('v1=x')).toBeNull();
  });

  it('refuses to sign with a non-integer timestamp', () => {
    expect(() => signWebhookPayload(secret, body, 1.5)).toThrow(RangeError);
  });

  it('signs the exact bytes: non-ASCII bodies verify, re-serialised ones do not', () => {
    const zh = JSON.stringify({ id: 'evt_2', data: { court: '云2924', note: '申请人：张三' } });
    const header = signWebhookPayload(secret, zh, t);
    expect(verifyWebhookSignature(secret, header, zh, t)).toBe(true);
    expect(verifyWebhookSignature(secret, header, JSON.stringify(JSON.parse(zh), null, 2), t)).toBe(false);
  });
});
