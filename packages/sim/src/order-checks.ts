/** The per-order checks against a market's rules: each returns the typed reason and a message. */
import type { MarketSpec, RejectReason } from '@drift/core';

export type Rejection = [RejectReason, string];

export function checkSize(spec: MarketSpec, base: bigint): Rejection | undefined {
  if (typeof base !== 'bigint' || base <= 0n) return ['invalid-size', `size ${base} must be > 0`];
  if (base % spec.stepSize !== 0n)
    return ['invalid-size', `size ${base} is not a multiple of the step ${spec.stepSize}`];
  if (base < spec.minOrderSize)
    return ['invalid-size', `size ${base} is below the minimum ${spec.minOrderSize}`];
  return undefined;
}

export function checkPrice(spec: MarketSpec, price: bigint): Rejection | undefined {
  if (typeof price !== 'bigint' || price <= 0n) return ['invalid-price', `price ${price} must be > 0`];
  if (price % spec.tickSize !== 0n)
    return ['price-off-tick', `price ${price} is not a multiple of the tick ${spec.tickSize}`];
  return undefined;
}
