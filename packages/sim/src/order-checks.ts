/**
 * The per-order checks against a market's rules: each returns the typed reason and a message, which
 * starts with the program's error name where the program refuses the same order. Sizes off the step
 * and prices off the tick the program would round (down, and toward the order's side); the live
 * venue refuses them before sending (drift-client's `checkOrder`), and so does the sim.
 */
import type { MarketSpec, RejectReason } from '@drift/domain';

export type Rejection = [RejectReason, string];

export function checkSize(spec: MarketSpec, base: bigint): Rejection | undefined {
  if (typeof base !== 'bigint' || base <= 0n) return ['invalid-size', `size ${base} must be > 0`];
  if (base < spec.minOrderSize)
    return ['invalid-size', `OrderAmountTooSmall: size ${base} is below the minimum ${spec.minOrderSize}`];
  if (base % spec.stepSize !== 0n)
    return ['invalid-size', `size ${base} is not a multiple of the step ${spec.stepSize}`];
  return undefined;
}

export function checkPrice(spec: MarketSpec, price: bigint): Rejection | undefined {
  if (typeof price !== 'bigint' || price <= 0n) return ['invalid-price', `price ${price} must be > 0`];
  if (price % spec.tickSize !== 0n)
    return ['price-off-tick', `price ${price} is not a multiple of the tick ${spec.tickSize}`];
  return undefined;
}
