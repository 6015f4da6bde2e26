import { describe, expect, it } from 'vitest';
import { MAX_WEBHOOK_ATTEMPTS, retryDelayMs } from '../../server/jobs/backoff';

const almostOne = () => 0.999_999_999;

describe('retryDelayMs', () => {
  it('doubles the ceiling from 5 s per attempt', () => {
    expect(retryDelayMs(1, { random: almostOne })).toBe(4_999);
    expect(retryDelayMs(2, { random: almostOne })).toBe(9_999);
    expect(retryDelayMs(3, { random: almostOne })).toBe(19_999);
    expect(retryDelayMs(1, { random: () => 1 })).toBe(5_000);
  });

  it('caps at one hour by default, even for huge attempt numbers', () => {
    expect(retryDelayMs(10, { random: () => 1 })).toBe(2_560_000);
    expect(retryDelayMs(11, { random: () => 1 })).toBe(3_600_000);
    expect(retryDelayMs(MAX_WEBHOOK_ATTEMPTS, { random: () => 1 })).toBe(3_600_000);
    expect(retryDelayMs(5_000, { random: () => 1 })).toBe(3_600_000);
  });

  it('applies full jitter: zero is possible, and the draw scales the ceiling', () => {
    expect(retryDelayMs(4, { random: () => 0 })).toBe(0);
    expect(retryDelayMs(4, { random: () => 0.5 })).toBe(20_000);
  });

  it('honours custom base and max', () => {
    expect(retryDelayMs(1, { baseMs: 100, maxMs: 1_000, random: () => 1 })).toBe(100);
    expect(retryDelayMs(4, { baseMs: 100, maxMs: 1_000, random: () => 1 })).toBe(800);
    expect(retryDelayMs(5, { baseMs: 100, maxMs: 1_000, random: () => 1 })).toBe(1_000);
  });

  it('stays within [0, ceiling] with the real random source', () => {
    for (let attempt = 1; attempt <= MAX_WEBHOOK_ATTEMPTS; attempt++) {
      const ceiling = Math.min(3_600_000, 5_000 * 2 ** (attempt - 1));
      for (let i = 0; i < 50; i++) {
        const d = retryDelayMs(attempt);
        expect(Number.isInteger(d)).toBe(true);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('clamps an out-of-range random source', () => {
    expect(retryDelayMs(1, { random: () => 7 })).toBe(5_000);
    expect(retryDelayMs(1, { random: () => -1 })).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects attempt %s', (attempt) => {
    expect(() => retryDelayMs(attempt)).toThrow(RangeError);
  });

  it('gives up after a bounded number of attempts spanning many hours', () => {
    expect(MAX_WEBHOOK_ATTEMPTS).toBe(20);
    let worstCase = 0;
    for (let a = 1; a < MAX_WEBHOOK_ATTEMPTS; a++) worstCase += retryDelayMs(a, { random: () => 1 });
    expect(worstCase).toBeGreaterThan(8 * 3_600_000);
  });
});
