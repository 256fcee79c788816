/**
 * Which endpoint gets the next request: the best by probe health, then slot freshness, then
 * latency (divided by weight), config order breaking ties. Pure, so it is easy to test and reason about;
 * a comparison rather than a sort, so that choosing allocates nothing on the request path.
 */
import type { Endpoint } from './endpoint.js';

export interface RankingOptions {
  /** Slots behind the best that still count as "caught up" (slot numbers jitter between probes). */
  slotLagTolerance: number;
}

/** 0: probed healthy, 1: not probed yet, 2: unhealthy (used only when nothing better is left). */
function healthTier(e: Endpoint): number {
  if (e.healthy === true) return 0;
  return e.healthy === undefined ? 1 : 2;
}

/** The highest slot any endpoint reported. */
export function bestSlot(endpoints: readonly Endpoint[]): number | undefined {
  let best: number | undefined;
  for (const e of endpoints) if (e.slot !== undefined && (best === undefined || e.slot > best)) best = e.slot;
  return best;
}

export function slotLag(e: Endpoint, best: number | undefined): number | undefined {
  return e.slot === undefined || best === undefined ? undefined : best - e.slot;
}

/**
 * Is `a` a better choice than `b`? Health, then slot lag (in buckets of `slotLagTolerance`), then
 * latency divided by weight. Strict: on a tie the endpoint met first (config order) stays.
 */
export function isBetter(
  a: Endpoint,
  b: Endpoint,
  best: number | undefined,
  options: RankingOptions,
): boolean {
  const byHealth = healthTier(a) - healthTier(b);
  if (byHealth !== 0) return byHealth < 0;
  const byLag = lagBucket(a, best, options) - lagBucket(b, best, options);
  if (byLag !== 0) return byLag < 0;
  return score(a) < score(b);
}

function lagBucket(e: Endpoint, best: number | undefined, options: RankingOptions): number {
  const lag = slotLag(e, best);
  return lag === undefined ? 0 : Math.floor(lag / Math.max(1, options.slotLagTolerance + 1));
}

function score(e: Endpoint): number {
  return (e.latencyMs ?? Number.MAX_SAFE_INTEGER) / e.weight;
}
