import { createHmac, timingSafeEqual } from 'node:crypto';

/** HTTP header carrying the webhook signature (api-contract, "Webhooks to court systems"). */
export const WEBHOOK_SIGNATURE_HEADER = 'X-Jiefen-Signature';

/** Default window in which a signed timestamp is accepted, in seconds. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, unixSeconds: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`, 'utf8').digest('hex');
}

/** Builds the `t=<unix seconds>,v1=<hex hmac>` header value for one delivery of `rawBody`. */
export function signWebhookPayload(secret: string, rawBody: string, unixSeconds: number): string {
  if (!Number.isSafeInteger(unixSeconds) || unixSeconds < 0) {
    throw new RangeError('unixSeconds must be a non-negative integer');
  }
  return `t=${unixSeconds},v1=${hmacHex(secret, unixSeconds, rawBody)}`;
}

/** Parsed form of a signature header; `null` when it lacks a usable timestamp. */
export function parseWebhookSignatureHeader(
  header: string,
): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      // A second timestamp makes the header ambiguous: which one did the signer mean?
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) {
      signatures.push(value.toLowerCase());
    }
    // Unknown schemes (v0, v2…) are ignored so that the scheme can be rotated without breaking receivers.
  }
  if (timestamp === null) return null;
  return { timestamp, signatures };
}

/**
 * True when one of the header's v1 signatures matches `rawBody` under `secret` and its timestamp
 * lies within `toleranceSeconds` of `nowUnixSeconds` (either side, to absorb clock skew).
 */
export function verifyWebhookSignature(
  secret: string,
  header: string,
  rawBody: string,
  nowUnixSeconds: number,
  toleranceSeconds: number = DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
): boolean {
  const parsed = parseWebhookSignatureHeader(header);
  if (!parsed || parsed.signatures.length === 0) return false;
  // Stale or far-future timestamps are refused so that a captured delivery cannot be replayed later.
  if (Math.abs(nowUnixSeconds - parsed.timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, parsed.timestamp, rawBody), 'hex');
  let ok = false;
  // Every candidate is compared (no early exit) so timing does not reveal which entry matched.
  for (const candidate of parsed.signatures) {
    const given = Buffer.from(candidate, 'hex');
    if (given.length === expected.length && timingSafeEqual(given, expected)) ok = true;
  }
  return ok;
}
