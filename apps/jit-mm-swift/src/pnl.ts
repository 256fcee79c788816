/**
 * The maker's PnL from its own fills: mark-to-oracle (cash + position at the oracle, fees in) and
 * the spread captured (each fill's price against the oracle at the moment of the fill, fees in),
 * which is what the edge is meant to earn regardless of where the market goes afterwards.
 */
import { type Fill, quoteValue } from '@drift/domain';

export class PnlBook {
  private readonly cash = new Map<string, bigint>();
  private readonly base = new Map<string, bigint>();
  private spread = 0n;
  private fees = 0n;

  /** Starts from a position the sub-account already had (its cost is not ours to judge). */
  seed(market: string, baseAmount: bigint, oraclePrice: bigint): void {
    this.base.set(market, baseAmount);
    this.cash.set(market, -quoteValue(oraclePrice, baseAmount));
  }

  onFill(fill: Fill, oracleAtFill: bigint): void {
    const sign = fill.side === 'buy' ? 1n : -1n;
    this.base.set(fill.market, this.position(fill.market) + sign * fill.baseAmount);
    this.cash.set(fill.market, (this.cash.get(fill.market) ?? 0n) - sign * fill.quoteAmount - fill.fee);
    this.spread += sign * (quoteValue(oracleAtFill, fill.baseAmount) - fill.quoteAmount) - fill.fee;
    this.fees += fill.fee;
  }

  position(market: string): bigint {
    return this.base.get(market) ?? 0n;
  }

  /** Cash plus every position marked at `oracle(market)`, QUOTE_PRECISION. */
  markToMarket(oracle: (market: string) => bigint | undefined): bigint {
    let total = 0n;
    for (const [market, cash] of this.cash) {
      const price = oracle(market);
      total += cash + (price === undefined ? 0n : quoteValue(price, this.position(market)));
    }
    return total;
  }

  /** Sum over fills of the price's edge against the oracle at fill time, fees included. */
  get spreadCaptured(): bigint {
    return this.spread;
  }

  /** Fees paid (negative: rebates earned). */
  get feesPaid(): bigint {
    return this.fees;
  }
}
