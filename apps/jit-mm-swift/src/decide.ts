/**
 * The market maker's whole decision for one taker order, as a pure function: given the oracle,
 * the auction and the bot's inventory, fill (at what price and size, at which slot) or skip (why).
 * Everything is bigint at Drift precision; the caller does the I/O.
 */
import {
  absBig,
  applyBps,
  divRound,
  type MarketSpec,
  minBig,
  roundToStep,
  type Side,
  type TakerOrder,
} from '@drift/domain';

export interface QuoteParams {
  /** Edge over the oracle the maker keeps on every fill, basis points. */
  edgeBps: number;
  /** Extra edge, in bps at full inventory, on the side that would grow the position. */
  inventorySkewBps: number;
  /** Largest single fill, BASE_PRECISION. */
  maxOrderBase: bigint;
  /** Largest absolute position in the market, BASE_PRECISION. */
  maxPositionBase: bigint;
  /**
   * Fill only at slots with at least this many slots of the auction left (the fill must land
   * before the end despite latency). 0 or 1: any slot of the auction.
   */
  minTimeLeftSlots?: number;
}

export type SkipReason =
  | 'auction-ended'
  | 'auction-ending'
  | 'edge'
  | 'max-position'
  | 'volatility'
  | 'too-small';

export type Decision =
  | {
      decision: 'fill';
      side: Side;
      price: bigint;
      baseAmount: bigint;
      fillSlot: number;
      requiredPrice: bigint;
    }
  | { decision: 'skip'; reason: SkipReason; requiredPrice?: bigint };

export interface DecisionInput {
  taker: TakerOrder;
  market: MarketSpec;
  oraclePrice: bigint;
  /** Current slot. */
  slot: number;
  /** Maker's signed position in the market, BASE_PRECISION. */
  position: bigint;
  params: QuoteParams;
  /** True when the volatility guard says the market moves too fast to quote. */
  volatile: boolean;
}

/**
 * Taker's acceptable price at `slot`: linear from start to end over the auction, clamped; with a
 * `tickSize`, rounded to the tick in the taker's favour as Drift (and the simulator) do, so a maker
 * quoting it is never refused for a price a fraction of a tick worse than the auction's.
 */
export function auctionPriceAt(taker: TakerOrder, slot: number, tickSize = 1n): bigint {
  const { startPrice, endPrice, startSlot, durationSlots } = taker.auction;
  if (durationSlots <= 0 || slot >= startSlot + durationSlots) return endPrice;
  if (slot <= startSlot) return startPrice;
  const raw = startPrice * BigInt(durationSlots) + (endPrice - startPrice) * BigInt(slot - startSlot);
  const ticks = divRound(raw, BigInt(durationSlots) * tickSize, taker.side === 'buy' ? 'floor' : 'ceil');
  return ticks * tickSize;
}

/**
 * Price the maker needs to keep its edge: fair value (the oracle) plus the edge, plus the
 * inventory skew scaled by how full the inventory already is on the side this fill would grow.
 * Rounded to the tick away from the taker, so rounding never eats the edge.
 */
export function requiredMakerPrice(
  makerSide: Side,
  oraclePrice: bigint,
  position: bigint,
  params: QuoteParams,
  tickSize: bigint,
): bigint {
  const grows = (makerSide === 'buy' && position >= 0n) || (makerSide === 'sell' && position <= 0n);
  const fullness = params.maxPositionBase > 0n ? minBig(absBig(position), params.maxPositionBase) : 0n;
  const skewBps =
    grows && params.maxPositionBase > 0n
      ? (BigInt(params.inventorySkewBps) * fullness) / params.maxPositionBase
      : 0n;
  const edge = applyBps(oraclePrice, BigInt(params.edgeBps) + skewBps, 'ceil');
  return makerSide === 'sell'
    ? roundToStep(oraclePrice + edge, tickSize, 'ceil')
    : roundToStep(oraclePrice - edge, tickSize, 'floor');
}

/** Size the maker can take without breaching its caps, rounded down to the market's step. */
export function fillSize(
  makerSide: Side,
  takerBase: bigint,
  position: bigint,
  params: QuoteParams,
  market: MarketSpec,
): bigint {
  const after = makerSide === 'buy' ? 1n : -1n;
  // Capacity left before |position| would exceed the cap in the direction of this fill.
  const capacity = after > 0n ? params.maxPositionBase - position : params.maxPositionBase + position;
  const size = minBig(minBig(takerBase, params.maxOrderBase), capacity > 0n ? capacity : 0n);
  return roundToStep(size, market.stepSize, 'floor');
}

/**
 * Fill or skip. The maker fills at the first slot (now or later in the auction) at which the
 * taker's auction price gives it at least its required price: the best price for the taker that
 * still keeps the maker's edge, so the maker is as competitive as its edge allows.
 */
export function decide(input: DecisionInput): Decision {
  const { taker, market, oraclePrice, slot, position, params } = input;
  const makerSide: Side = taker.side === 'buy' ? 'sell' : 'buy';
  const endSlot = taker.auction.startSlot + taker.auction.durationSlots;
  if (slot >= endSlot) return { decision: 'skip', reason: 'auction-ended' };
  // Last slot at which a fill still leaves `minTimeLeftSlots` of the auction (counting its own).
  const lastFillSlot = endSlot - Math.max(1, params.minTimeLeftSlots ?? 0);
  if (slot > lastFillSlot) return { decision: 'skip', reason: 'auction-ending' };
  if (input.volatile) return { decision: 'skip', reason: 'volatility' };

  const requiredPrice = requiredMakerPrice(makerSide, oraclePrice, position, params, market.tickSize);
  const size = fillSize(makerSide, taker.baseAmount, position, params, market);
  if (size <= 0n) return { decision: 'skip', reason: 'max-position', requiredPrice };
  if (size < market.minOrderSize) return { decision: 'skip', reason: 'too-small', requiredPrice };

  const good = (price: bigint) => (makerSide === 'sell' ? price >= requiredPrice : price <= requiredPrice);
  for (let s = Math.max(slot, taker.auction.startSlot); s <= lastFillSlot; s++) {
    const price = auctionPriceAt(taker, s, market.tickSize);
    if (good(price))
      return { decision: 'fill', side: makerSide, price, baseAmount: size, fillSlot: s, requiredPrice };
  }
  return { decision: 'skip', reason: 'edge', requiredPrice };
}
