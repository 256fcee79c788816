/**
 * When the fleet's net exposure in a market leaves the band, one hedge order that brings it back
 * toward flat: capped in size, priced no worse than the max slippage from the oracle, and never
 * sooner than the cool-down after the previous hedge. Pure: the caller reads positions and places.
 */
import { absBig, applyBps, type MarketSpec, minBig, roundToStep, type Side } from '@drift/domain';

export interface HedgeParams {
  /** Net exposure tolerated without hedging, BASE_PRECISION (absolute). */
  bandBase: bigint;
  /** Largest hedge order, BASE_PRECISION. */
  maxOrderBase: bigint;
  /** Worst price accepted, in bps from the oracle. */
  maxSlippageBps: number;
  /** Minimum time between two hedges in one market, ms. */
  cooldownMs: number;
}

export type HedgePlan =
  | { action: 'none'; reason: 'inside-band' | 'cooldown' | 'too-small' }
  | { action: 'hedge'; side: Side; baseAmount: bigint; limitPrice: bigint; exposure: bigint };

export interface HedgeInput {
  market: MarketSpec;
  /** Sum of the watched sub-accounts' signed positions, BASE_PRECISION. */
  netExposure: bigint;
  oraclePrice: bigint;
  params: HedgeParams;
  now: number;
  lastHedgeAt?: number;
}

export function planHedge({
  market,
  netExposure,
  oraclePrice,
  params,
  now,
  lastHedgeAt,
}: HedgeInput): HedgePlan {
  if (absBig(netExposure) <= params.bandBase) return { action: 'none', reason: 'inside-band' };
  if (lastHedgeAt !== undefined && now - lastHedgeAt < params.cooldownMs)
    return { action: 'none', reason: 'cooldown' };
  const side: Side = netExposure > 0n ? 'sell' : 'buy';
  const baseAmount = roundToStep(minBig(absBig(netExposure), params.maxOrderBase), market.stepSize, 'floor');
  if (baseAmount < market.minOrderSize) return { action: 'none', reason: 'too-small' };
  const slippage = applyBps(oraclePrice, params.maxSlippageBps, 'floor');
  // Round toward the oracle so the tick never widens the accepted slippage.
  const limitPrice =
    side === 'buy'
      ? roundToStep(oraclePrice + slippage, market.tickSize, 'floor')
      : roundToStep(oraclePrice - slippage, market.tickSize, 'ceil');
  return { action: 'hedge', side, baseAmount, limitPrice, exposure: netExposure };
}
