/**
 * Which endpoint gets the next request: the best by probe health, then slot freshness, then
 * latency (divided by weight), config order breaking ties. Pure, so it is easy to test and reason about.
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

/** `candidates` sorted best first (a new array). */
export function rank(
  candidates: readonly Endpoint[],
  all: readonly Endpoint[],
  options: RankingOptions,
): Endpoint[] {
  const best = bestSlot(all);
  const lagBucket = (e: Endpoint) => {
    const lag = slotLag(e, best);
    return lag === undefined ? 0 : Math.floor(lag / Math.max(1, options.slotLagTolerance + 1));
  };
  const score = (e: Endpoint) => (e.latencyMs ?? Number.MAX_SAFE_INTEGER) / e.weight;
  const order = new Map(all.map((e, i) => [e, i]));
  return [...candidates].sort(
    (a, b) =>
      healthTier(a) - healthTier(b) ||
      lagBucket(a) - lagBucket(b) ||
      score(a) - score(b) ||
      (order.get(a) ?? 0) - (order.get(b) ?? 0),
  );
}
