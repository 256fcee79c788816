/**
 * Drift's perp fee tiers. A user's tier follows its 30-day traded volume (maker + taker, the fill
 * being charged included: the program updates the volume before it computes the fee), or its
 * insurance-fund stake, which the sim does not model: protocol-v2
 * `programs/drift/src/math/fees.rs` `determine_perp_fee_tier` moves to tier 2 from 1M USDC, 3 from
 * 5M, 4 from 10M, 5 from 50M and 6 from 100M. The rates of each tier are the exchange's admin
 * parameters (`State.perp_fee_structure.fee_tiers`), so they are configuration here; the rounding is
 * the program's: the taker fee rounded up (`calculate_taker_fee`, `safe_div_ceil`), the maker rebate
 * down (`calculate_maker_rebate`, `safe_div`), which is what `ceil(quote * rate)` gives for a
 * positive fee rate and a negative (rebate) rate alike.
 */
import { divRound, QUOTE_PRECISION } from '@drift/domain';
import { FEE_RATE_PRECISION, type FeeRate } from './config.js';

/** Volume (QUOTE_PRECISION) from which each tier applies: tier 1 from 0. */
export const PERP_FEE_TIER_VOLUMES: readonly bigint[] = [0n, 1n, 5n, 10n, 50n, 100n].map(
  (millions) => millions * 1_000_000n * QUOTE_PRECISION,
);

export interface FeeTierRates {
  /** Fee rate of a taker fill, millionths of notional. */
  taker: FeeRate;
  /** Fee rate of a maker fill, millionths (negative: a rebate). */
  maker: FeeRate;
}

/** The tier (0-based) for a 30-day volume. */
export function feeTierOf(volume: bigint): number {
  let tier = 0;
  while (tier + 1 < PERP_FEE_TIER_VOLUMES.length && volume >= PERP_FEE_TIER_VOLUMES[tier + 1]!) tier++;
  return tier;
}

/** The fee of one fill: `ceil(quote * rate / 1e6)`, i.e. the venue keeps the odd unit either way. */
export function fillFee(quote: bigint, rate: FeeRate): bigint {
  return divRound(quote * rate, FEE_RATE_PRECISION, 'ceil');
}

/**
 * Rates for a volume: tier i of `tiers` (tiers beyond the list use its last entry), or the flat
 * `base` rates when no tiers are configured.
 */
export function ratesFor(volume: bigint, tiers: readonly FeeTierRates[], base: FeeTierRates): FeeTierRates {
  if (tiers.length === 0) return base;
  return tiers[Math.min(feeTierOf(volume), tiers.length - 1)]!;
}
