/** Retry delays: capped exponential backoff with jitter, and the server's `Retry-After`. */

export interface BackoffPolicy {
  /** Delay before the first retry, ms (before jitter). */
  baseMs: number;
  /** No delay is longer than this, ms, whatever the attempt or `Retry-After` says. */
  capMs: number;
}

/**
 * "Equal jitter": half the exponential step is fixed, half is random, so retries from many clients
 * spread out but never collapse to zero. `retry` counts from 0.
 */
export function backoffDelayMs(
  retry: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const step = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(retry, 30));
  return Math.round(step / 2 + random() * (step / 2));
}

/** `Retry-After` as ms from `now`: delta-seconds or an HTTP date. Unparseable -> undefined. */
export function parseRetryAfterMs(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
