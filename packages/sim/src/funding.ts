/**
 * Funding arithmetic. Rates are parts per billion of notional per interval.
 * - premium: (mid TWAP - oracle TWAP) / oracle TWAP / 24, capped at +-cap (Drift's hourly formula:
 *   protocol-v2 `math/funding.rs` `calculate_funding_rate`, a one-day window paid per one-hour period;
 *   the program's cap depends on the market's contract tier, here one configured cap);
 * - payment: longs pay `rate` of their oracle notional to shorts (shorts pay when the rate is < 0).
 *   Credits round down and debits up: the venue never pays out a unit it did not take.
 */
import { BASE_PRECISION, divRound, maxBig, minBig } from '@drift/domain';

export const PPB = 1_000_000_000n;

/** Sums of per-slot samples since the last payment (the TWAPs are sum / samples). */
export interface FundingSamples {
  midSum: bigint;
  oracleSum: bigint;
  samples: bigint;
}

export function premiumRatePpb(s: FundingSamples, capPpb: bigint): bigint {
  if (s.samples === 0n || s.oracleSum === 0n) return 0n;
  const premium = divRound((s.midSum - s.oracleSum) * PPB, s.oracleSum * 24n, 'trunc');
  return maxBig(-capPpb, minBig(capPpb, premium));
}

/** What a position of signed `base` receives (negative: pays) at `oracle` for `ratePpb`. */
export function fundingCredit(base: bigint, oracle: bigint, ratePpb: bigint): bigint {
  const notional = divRound(oracle * base, BASE_PRECISION, 'trunc');
  return divRound(-notional * ratePpb, PPB, 'floor');
}
