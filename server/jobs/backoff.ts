/** Delivery attempts after which a webhook is marked failed; it stays stored for manual redelivery. */
export const MAX_WEBHOOK_ATTEMPTS = 20;

/** Default delay ceiling for the first retry, in milliseconds. */
export const DEFAULT_RETRY_BASE_MS = 5_000;

/** Default cap on any single retry delay, in milliseconds (one hour). */
export const DEFAULT_RETRY_MAX_MS = 60 * 60 * 1000;

/**
 * Delay before retry number `attempt` (1-based): exponential backoff with full jitter, i.e. a
 * uniform draw from [0, min(maxMs, baseMs * 2^(attempt-1))], in whole milliseconds.
 */
export function retryDelayMs(
  attempt: number,
  opts: { baseMs?: number; maxMs?: number; random?: () => number } = {},
): number {
  const baseMs = opts.baseMs ?? DEFAULT_RETRY_BASE_MS;
  const maxMs = opts.maxMs ?? DEFAULT_RETRY_MAX_MS;
  const random = opts.random ?? Math.random;
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  }
  if (!(baseMs > 0) || !(maxMs > 0)) throw new RangeError('baseMs and maxMs must be positive');
  // Capping the exponent keeps 2^n finite for absurd attempt numbers; the min() below caps anyway.
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 52));
  // Full jitter spreads retries from many receivers that failed at the same moment.
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * ceiling);
}
