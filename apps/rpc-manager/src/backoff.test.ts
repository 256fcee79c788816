import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfterMs } from './backoff.js';

describe('backoffDelayMs', () => {
  const policy = { baseMs: 100, capMs: 1_000 };

  it('doubles per retry between half and all of the step, and never passes the cap', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelayMs(n, policy, () => 0))).toEqual([50, 100, 200, 400]);
    expect([0, 1, 2, 3].map((n) => backoffDelayMs(n, policy, () => 1))).toEqual([100, 200, 400, 800]);
    expect(backoffDelayMs(10, policy, () => 1)).toBe(1_000);
    expect(backoffDelayMs(1_000, policy, () => 0.5)).toBe(750);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads delta-seconds and HTTP dates; anything else is undefined', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(parseRetryAfterMs('2', now)).toBe(2_000);
    expect(parseRetryAfterMs(' 0.5 ', now)).toBe(500);
    expect(parseRetryAfterMs('Sat, 28 Nov 2026 12:00:03 GMT', now)).toBe(3_000);
    expect(parseRetryAfterMs('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });
});
