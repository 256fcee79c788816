/**
 * JIT auction prices. A taker's auction runs from `startPrice` (best for the taker) to `endPrice`
 * (worst, the taker's limit) linearly over `durationSlots`; at slot s the price is
 *   start + (end - start) * (s - startSlot) / durationSlots,
 * rounded to the tick in the taker's favour. A maker may fill while s < startSlot + durationSlots at
 * its own price, if that price is at or better for the taker than the auction price at s.
 *
 * Drift's (protocol-v2 `math/auction.rs` `calculate_auction_price_for_fixed_auction`): delta =
 * (end - start) * min(elapsed, duration) / duration rounded down, then `standardize_price` to the
 * tick (down for a long, up for a short) — the same integer as the one division here.
 */
import { applyBps, divRound, maxBig, minBig, type Side } from '@drift/domain';

export interface AuctionTerms {
  side: Side;
  startPrice: bigint;
  endPrice: bigint;
  startSlot: number;
  durationSlots: number;
}

export function auctionPriceAt(terms: AuctionTerms, slot: number, tickSize: bigint): bigint {
  if (terms.durationSlots <= 0) return terms.endPrice;
  const elapsed = BigInt(Math.min(Math.max(slot - terms.startSlot, 0), terms.durationSlots));
  const move = (terms.endPrice - terms.startPrice) * elapsed;
  const raw = terms.startPrice * BigInt(terms.durationSlots) + move;
  const ticks = divRound(
    raw,
    BigInt(terms.durationSlots) * tickSize,
    terms.side === 'buy' ? 'floor' : 'ceil',
  );
  return ticks * tickSize;
}

/** True when a maker quoting `makerPrice` gives the taker the auction price or better. */
export function makerPriceAcceptable(takerSide: Side, makerPrice: bigint, auctionPrice: bigint): boolean {
  return takerSide === 'buy' ? makerPrice <= auctionPrice : makerPrice >= auctionPrice;
}

/**
 * Start and end prices around the oracle: offsets are bps toward "worse for the taker" (a buyer's
 * prices go up). A taker limit caps both: the end is the offset price unless the limit is tighter,
 * as the program derives a market order's auction (`derive_market_order_auction_params`: a long's
 * start and end are `min(offset price, limit)`), checked by drift-client's differential test.
 */
export function auctionBounds(
  side: Side,
  oracle: bigint,
  startOffsetBps: number,
  endOffsetBps: number,
  tickSize: bigint,
  limit?: bigint,
): { startPrice: bigint; endPrice: bigint } {
  const sign = side === 'buy' ? 1 : -1;
  const toTick = (price: bigint, rounding: 'floor' | 'ceil') =>
    divRound(price, tickSize, rounding) * tickSize;
  // Start rounds in the taker's favour, end against it (the end is a worst case).
  let startPrice = toTick(
    oracle + applyBps(oracle, sign * startOffsetBps),
    side === 'buy' ? 'floor' : 'ceil',
  );
  const offsetEnd = toTick(oracle + applyBps(oracle, sign * endOffsetBps), side === 'buy' ? 'ceil' : 'floor');
  let endPrice =
    limit === undefined ? offsetEnd : side === 'buy' ? minBig(limit, offsetEnd) : maxBig(limit, offsetEnd);
  if (endPrice <= 0n) endPrice = tickSize;
  if (startPrice <= 0n) startPrice = tickSize;
  if (side === 'buy' ? startPrice > endPrice : startPrice < endPrice) startPrice = endPrice;
  return { startPrice, endPrice };
}
